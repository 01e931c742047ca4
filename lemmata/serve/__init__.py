"""The development server: build, serve on 127.0.0.1, watch, rebuild, reload the browser."""

from lemmata.serve._server import serve

__all__ = ["serve"]
