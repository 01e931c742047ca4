"""How files outside the site are named in messages."""

from __future__ import annotations

from pathlib import Path


def shown(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it, else absolute."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()
