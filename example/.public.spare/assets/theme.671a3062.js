// Progressive enhancement only: reading never needs this file.
(() => {
  const root = document.documentElement;
  const toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    toggle.addEventListener("click", () => {
      const dark = root.dataset.theme
        ? root.dataset.theme === "dark"
        : matchMedia("(prefers-color-scheme: dark)").matches;
      root.dataset.theme = dark ? "light" : "dark";
      try { localStorage.setItem("lemmata-theme", root.dataset.theme); } catch (e) {}
    });
  }
  for (const block of document.querySelectorAll(".highlight")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "copy";
    button.addEventListener("click", async () => {
      const code = block.querySelector("code");
      const lines = code ? [...code.querySelectorAll(".line")] : [];
      const text = lines.length
        ? lines.map((line) => [...line.childNodes].filter((n) => !(n.classList && n.classList.contains("ln"))).map((n) => n.textContent).join("")).join("")
        : (code || block).textContent;
      try { await navigator.clipboard.writeText(text); button.textContent = "copied"; }
      catch (e) { button.textContent = "press Ctrl+C"; }
      setTimeout(() => { button.textContent = "copy"; }, 1500);
    });
    block.appendChild(button);
  }
  const box = document.querySelector("[data-shortcut]");
  if (box) {
    document.addEventListener("keydown", (event) => {
      const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (event.key === box.dataset.shortcut && !typing && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        box.focus();
      }
    });
  }
})();
