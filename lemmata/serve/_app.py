"""The HTTP side: the built files, the reload channel, and the error page."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from lemmata.serve._files import content_type, find
from lemmata.serve._state import RELOAD_PATH, ServeState

_NO_STORE = {"Cache-Control": "no-store"}


def make_app(state: ServeState) -> Starlette:
    async def events(request: Request) -> Response:
        return StreamingResponse(
            _stream(state, request),
            media_type="text/event-stream",
            headers={**_NO_STORE, "X-Accel-Buffering": "no"},
        )

    async def files(request: Request) -> Response:
        raw = request.scope.get("raw_path", b"").decode("latin-1").split("?", 1)[0] or "/"
        if raw == "/" and state.base_path != "/":
            return RedirectResponse(state.base_path, status_code=302)
        wants_page = raw.endswith(("/", ".html")) or "." not in raw.rsplit("/", 1)[-1]
        if state.failure is not None and wants_page:
            return HTMLResponse(state.error_page(), status_code=500, headers=_NO_STORE)
        found = find(state.output, state.base_path, raw)
        if found.redirect is not None:
            return RedirectResponse(found.redirect, status_code=301, headers=_NO_STORE)
        if found.path is None:
            return _not_found(state)
        return FileResponse(
            found.path, headers=_NO_STORE, media_type=content_type(found.path), stat_result=None
        )

    return Starlette(
        routes=[
            Route(RELOAD_PATH, events, methods=["GET"]),
            Route("/{path:path}", files, methods=["GET", "HEAD"]),
        ]
    )


def _not_found(state: ServeState) -> Response:
    page = state.output / "404.html"
    if page.is_file():
        return FileResponse(
            page, status_code=404, headers=_NO_STORE, media_type="text/html; charset=utf-8"
        )
    return HTMLResponse("<h1>Not found</h1>", status_code=404, headers=_NO_STORE)


async def _stream(state: ServeState, request: Request) -> AsyncIterator[str]:
    queue: asyncio.Queue[int] = asyncio.Queue()
    state.listeners.add(queue)
    try:
        yield "retry: 1000\n\n"
        while not state.closing:
            try:
                await asyncio.wait_for(queue.get(), timeout=0.5)
            except TimeoutError:
                if await request.is_disconnected():
                    return
                continue
            yield f"event: reload\ndata: {state.generation}\n\n"
    finally:
        state.listeners.discard(queue)
