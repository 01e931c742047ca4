"""What the dev server knows: the last build's outcome, and who is listening for reloads."""

from __future__ import annotations

import asyncio
import html
from dataclasses import dataclass, field
from pathlib import Path

from lemmata.errors import Diagnostic

RELOAD_PATH = "/__lemmata/events"
RELOAD_SCRIPT = f"""<script>
(() => {{
  const connect = () => {{
    const events = new EventSource("{RELOAD_PATH}");
    events.addEventListener("reload", () => location.reload());
    events.onerror = () => {{ events.close(); setTimeout(connect, 1000); }};
  }};
  connect();
}})();
</script>"""
"""Injected into every page while serving (never into ``lemmata build`` output)."""


@dataclass
class ServeState:
    """Shared between the watcher and the request handlers (one event loop)."""

    site_dir: Path
    output: Path
    base_path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    failure: str | None = None
    """Why the last build failed, or ``None`` if it succeeded."""
    generation: int = 0
    """Counts finished builds; listeners reload when it changes."""
    listeners: set[asyncio.Queue[int]] = field(default_factory=set)
    closing: bool = False

    def finished(self, failure: str | None, diagnostics: tuple[Diagnostic, ...]) -> None:
        self.failure = failure
        self.diagnostics = diagnostics
        self.generation += 1
        for queue in list(self.listeners):
            queue.put_nowait(self.generation)

    def error_page(self) -> str:
        """The page shown instead of the site while the last build has errors."""
        items = []
        for diag in sorted(self.diagnostics, key=lambda d: (not d.is_error, str(d.location))):
            items.append(
                f'<li class="{diag.severity.value}"><p><strong>{html.escape(diag.headline())}</strong></p>'
                f"{self._context(diag)}</li>"
            )
        detail = "".join(items) or f"<li><p>{html.escape(self.failure or '')}</p></li>"
        return (
            "<!doctype html><html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width, initial-scale=1'>"
            "<title>Build failed · lemmata</title><style>"
            "body{font:15px/1.5 ui-monospace,monospace;margin:2rem;background:#1b1d22;color:#eee}"
            "h1{color:#ff8f8f;font-size:1.3rem}li{margin:0 0 1.5rem}.warning strong{color:#f5c26b}"
            ".error strong{color:#ff8f8f}pre{background:#111;padding:.6rem;overflow-x:auto}"
            "mark{background:#5a1f1f;color:inherit}</style>"
            f"{RELOAD_SCRIPT}</head><body><h1>Build failed — fix the file and save; "
            f"this page reloads by itself</h1><ul>{detail}</ul></body></html>"
        )

    def _context(self, diag: Diagnostic) -> str:
        if diag.location is None:
            return ""
        try:
            lines = (self.site_dir / diag.location.path).read_text("utf-8", "replace").splitlines()
        except OSError:
            return ""
        line = diag.location.line
        shown = []
        for number in range(max(1, line - 3), min(len(lines), line + 3) + 1):
            text = html.escape(lines[number - 1])
            if number == line:
                text = f"<mark>{text}</mark>"
            shown.append(f"{number:>5} | {text}")
        caret = " " * (8 + max(0, diag.location.column - 1)) + "^"
        index = line - max(1, line - 3) + 1
        shown.insert(index, caret)
        return "<pre>" + "\n".join(shown) + "</pre>"
