"""The Mini App's page at /app/: three static files, no build step. Only these names are
served (no directory walk), so nothing else under the package can leak through the route."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).parent / "static"
FILES = {"": "index.html", "app.js": "app.js", "app.css": "app.css"}


async def _serve(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / FILES[request.match_info["name"]])


async def _to_slash(request: web.Request) -> web.Response:
    raise web.HTTPFound("/app/")


def add_page_routes(app: web.Application) -> None:
    app.router.add_get("/app", _to_slash)
    app.router.add_get(r"/app/{name:(|app\.js|app\.css)}", _serve)
