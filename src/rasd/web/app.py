"""The FastAPI application: `create_app(db_path)` wires the store, the JSON API, the pages and the static files.

Each server thread reads through its own read-only connection (SQLite connections are cheap, and WAL lets an
ingest write while the server reads). Responses carry a strict Content-Security-Policy: every script is a static
file, so no inline script or style can run even if some article text slipped through unescaped.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rasd import __version__
from rasd.store import SearchError, Store, StoreError, is_postgres
from rasd.web import labels

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
TEMPLATE_DIR = HERE / "templates"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self';"
    " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
MACROS = ("label", "type_badge", "status_badge", "actor_link", "actor_list")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Adds the security headers to every HTTP response (pure ASGI, so streamed responses stay streamed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                if scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"public, max-age=3600"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class StorePool:
    """One read-only store connection per server thread, all closed at shutdown."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.path)
            store.set_read_only()
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for s in self._all:
                s.close()
            self._all.clear()
        self._local = threading.local()


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["urlq"] = lambda v: quote(str(v), safe="")
    env.filters["num"] = lambda v: f"{int(v):,}" if v is not None else "0"
    env.globals.update(
        version=__version__,
        EVENT_TYPES=labels.EVENT_TYPES,
        STATUSES=labels.STATUSES,
        KINDS=labels.KINDS,
        SOURCE_KINDS=labels.SOURCE_KINDS,
        type_colour=labels.type_colour,
    )
    macros = env.get_template("_macros.html").module
    env.globals.update({name: getattr(macros, name) for name in MACROS})
    return Jinja2Templates(env=env)


def create_app(db_path: str | Path) -> FastAPI:
    """The Rasd web app over the store at `db_path` (a file, which must exist: serving never creates an empty
    store), or a postgresql:// URL."""
    path = str(db_path)
    if path != ":memory:" and not is_postgres(path) and not Path(path).is_file():
        raise StoreError(f"no store at {path}: build one with `rasd ingest ... --db {path}` or `rasd demo`")
    Store(path).close()  # fail now, not on the first request, if it is not a Rasd store; migrate if older
    pool = StorePool(path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(
        title="Rasd API",
        version=__version__,
        description=(
            "Evidence-linked records of political events from Arabic news. Offsets are Unicode code points into"
            " each document's `text`. Lists are paged (`limit` at most 200)."
        ),
        docs_url=None,  # the Swagger page loads scripts from a CDN, which the CSP (rightly) forbids
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.pool = pool
    app.state.db_path = path
    app.state.templates = _templates()

    from rasd.web.api import router as api_router
    from rasd.web.pages import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/export/"))


def _add_error_handlers(app: FastAPI) -> None:
    """JSON errors under /api, an error page elsewhere; a search the parser refuses is the user's 400."""

    def page(request: Request, status: int, message: str) -> Response:
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message}, status)

    @app.exception_handler(SearchError)
    async def search_error(request: Request, exc: SearchError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": f"bad search query: {exc}"}, status_code=400)
        return page(request, 400, f"bad search query: {exc}")

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        if _wants_json(request):
            return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)
        where = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg')}" for e in errors)
        return page(request, 400, f"invalid parameters: {where}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request) or not request.url.path or request.url.path.startswith("/static/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return page(request, exc.status_code, str(exc.detail))


def store_of(request: Request) -> Store:
    """This thread's connection to the app's store. Called inside the (sync) endpoint, not as a dependency:
    FastAPI runs sync dependencies in another worker thread than the endpoint."""
    pool: StorePool = request.app.state.pool
    return pool.get()


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(request, name, context, status)
    response.headers["vary"] = "HX-Request"
    return response
