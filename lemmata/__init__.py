"""lemmata: a static site generator for math-heavy technical notes."""

__version__ = "0.1.0"
