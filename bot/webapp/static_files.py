"""The Mini App's page at /app/: static files, no build step. Only the files in static/ with a
known kind are served, by exact name (no directory walk), so nothing else under the package
can leak through the route."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).parent / "static"
KINDS = {".html", ".js", ".css"}
FILES = {path.name: path for path in STATIC.iterdir() if path.suffix in KINDS}
PAGE = STATIC / "index.html"


async def _serve(request: web.Request) -> web.FileResponse:
    name = request.match_info["name"]
    path = PAGE if name == "" else FILES.get(name)
    if path is None:
        raise web.HTTPNotFound()
    return web.FileResponse(path)


async def _to_slash(request: web.Request) -> web.Response:
    raise web.HTTPFound("/app/")


def add_page_routes(app: web.Application) -> None:
    app.router.add_get("/app", _to_slash)
    app.router.add_get(r"/app/{name:[A-Za-z0-9_.-]*}", _serve)
