"""Reading built pages in tests: tag balance, and visible text outside code."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr", "mspace", "none", "mprescripts",
}  # fmt: skip
SKIP_TEXT = {"code", "pre", "script", "style", "math", "textarea"}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in SKIP_TEXT:
            self.skipping += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        return

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            where = "/".join(self.stack[-4:])
            self.problems.append(f"</{tag}> closes {where or 'nothing'} at line {self.getpos()[0]}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag in SKIP_TEXT:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.text.append(data)


def check_html(html: str) -> tuple[list[str], str]:
    """Problems with tag nesting, and the visible text outside code and math."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    if checker.stack:
        checker.problems.append(f"unclosed: {checker.stack}")
    return checker.problems, " ".join(checker.text)
