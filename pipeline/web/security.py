"""The web app's guard: who is asking, may they, did the request come from our own pages,
and what goes into the use record. Route handlers stay thin: they read ``viewer_archive``.

Two layers:
- ``GuardMiddleware`` (ASGI, headers only, before any handler): the Host a loopback server
  answers to (a foreign page that rebinds its name to 127.0.0.1 is refused), the Origin of
  every state-changing request (in every mode: on 127.0.0.1 without accounts a page open in
  another tab is exactly the threat), the body's size, the security headers (CSP without
  inline script, frame-ancestors 'none', nosniff) on every response; after the response, the
  use record's row.
- ``Guard.dependency`` (a FastAPI dependency on every route): the signed-in account or, in a
  home without accounts, the one person on this machine; the CSRF token of a state-changing
  request; the route's action from ``pipeline.office.permissions.ROUTES`` and the roles it
  needs (a route not in the table is refused once accounts exist).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.facade import Archive
from pipeline.office import permissions
from pipeline.office.accounts import Account
from pipeline.office.audit import RecordQueue, Use
from pipeline.office.permissions import BUSINESS_ROLES, PUBLIC
from pipeline.office.sessions import age_limit
from pipeline.office.throttle import LoginThrottle
from pipeline.settings import env_int

SESSION_COOKIE = "gongwen_session"
BROWSER_COOKIE = "gongwen_browser"  # before signing in, and without accounts: the CSRF token's key
CSRF_FIELD, CSRF_HEADER = "csrf_token", "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
DEFAULT_MAX_UPLOAD_MB = 1024.0
DEFAULT_WEB_THREADS = 4
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
NOT_RECORDED_PARAMETERS = {"purpose", CSRF_FIELD}


def web_threads() -> int:
    return env_int("GONGWEN_WEB_THREADS", DEFAULT_WEB_THREADS, least=1)


def max_upload_bytes() -> int:
    try:
        megabytes = float(os.environ.get("GONGWEN_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB))
    except ValueError:
        megabytes = DEFAULT_MAX_UPLOAD_MB
    return int(megabytes * 1024 * 1024)


@dataclass(frozen=True)
class Viewer:
    """Who a request comes from: a signed-in account, or (``account`` False) the one person
    on the machine of a home without accounts."""

    name: str
    roles: tuple[str, ...]
    restricted: bool  # may see 内部 documents
    account: bool

    def may(self, action: str) -> bool:
        return action == PUBLIC or permissions.allowed(action, self.roles)


class SignInRequired(Exception):
    """A page asked without a session in a home with accounts (→ the login page)."""


class Redirect(Exception):
    """Answer with a redirect (303) to ``url``."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


# Where each role starts: the first of these its roles allow.
START_PAGES = (("search", "/"), ("accounts", "/admin/users"), ("grants", "/admin/grants"),
               ("audit", "/audit"))


def viewer_archive(request: Request) -> Archive:
    """The archive as the person asking may read it (内部 documents only if granted)."""
    return request.state.archive


def is_loopback(host: str) -> bool:
    """Only this machine can reach a server bound to ``host``."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


class Guard:
    def __init__(self, archive: Archive, trusted_proxies: Iterable[str] = (),
                 allowed_hosts: Iterable[str] | None = None, operator: str = "本机用户"):
        """``allowed_hosts``: the names the Host header may carry (None: any — a server bound
        to the network, where accounts protect it); ``operator``: how the use record names the
        one person of a home without accounts."""
        self.archive = archive
        self.trusted_proxies = set(trusted_proxies)
        self.allowed_hosts = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}
        self.operator = operator
        self.throttle = LoginThrottle()
        self.record = RecordQueue(archive.use_record)
        self._secret = secrets.token_bytes(32)
        self._accounts_seen: tuple[float, bool] = (0.0, False)

    @asynccontextmanager
    async def lifespan(self, _app: Any) -> AsyncIterator[None]:
        """Requests run in a few threads (``GONGWEN_WEB_THREADS``, 4): twenty threads contending
        for one interpreter lock on a busy machine serve fewer requests than four. On shutdown,
        what is queued for the use record is written before the process ends."""
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = web_threads()
        yield
        await run_in_threadpool(self.record.flush)

    # --- who and from where ------------------------------------------------------------------
    def office(self) -> bool:
        """Whether the home has accounts (asked at most once a second: a file read)."""
        checked, answer = self._accounts_seen
        if time.monotonic() - checked > 1.0:
            answer = self.archive.accounts.exist()
            self._accounts_seen = (time.monotonic(), answer)
        return answer

    def address(self, request: Request) -> str:
        """The client: the socket's peer, or the last X-Forwarded-For entry when the peer is
        the trusted proxy (the address that proxy saw; earlier entries are the client's word)."""
        peer = request.client.host if request.client else "?"
        forwarded = request.headers.get("x-forwarded-for")
        if peer in self.trusted_proxies and forwarded:
            return forwarded.split(",")[-1].strip() or peer
        return peer

    def _proxied(self, request: Request, header: str) -> str | None:
        peer = request.client.host if request.client else None
        return request.headers.get(header) if peer in self.trusted_proxies else None

    def https(self, request: Request) -> bool:
        return (self._proxied(request, "x-forwarded-proto") or request.url.scheme) == "https"

    def own_origin(self, request: Request) -> str:
        host = self._proxied(request, "x-forwarded-host") or request.headers.get("host", "")
        return f"{'https' if self.https(request) else 'http'}://{host}".lower()

    def identify(self, request: Request) -> Viewer | None:
        if not self.office():
            return Viewer(self.operator, BUSINESS_ROLES, restricted=True, account=False)
        account = self.archive.sessions.account(request.cookies.get(SESSION_COOKIE))
        return None if account is None else self.viewer_of(account)

    def fonds_of(self, viewer: Viewer | None) -> list[str] | None:
        """The 全宗 a reader of a database sees (``gongwen fonds grant``): the signed-in
        account's grants, all of them (None) for the one person of a home without accounts or
        an account granted every 全宗; nobody signed in sees none. None for the embedded archive."""
        if self.archive.db is None:
            return None
        if viewer is None:
            return []
        return self.archive.db.viewer_fonds(viewer.name) if viewer.account else None

    @staticmethod
    def viewer_of(account: Account) -> Viewer:
        return Viewer(account.name, account.roles, account.restricted, account=True)

    # --- CSRF ----------------------------------------------------------------------------------
    def csrf_token(self, request: Request) -> str:
        """The token this browser's forms carry: tied to its session, or before signing in
        (and without accounts) to its browser cookie."""
        key = (request.cookies.get(SESSION_COOKIE) or request.scope.get("state", {}).get("browser")
               or request.cookies.get(BROWSER_COOKIE) or "")
        return hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()

    async def check_csrf(self, request: Request) -> None:
        given = request.headers.get(CSRF_HEADER)
        if given is None and "form" in request.headers.get("content-type", ""):
            given = (await request.form()).get(CSRF_FIELD)
        if not isinstance(given, str) or not hmac.compare_digest(given, self.csrf_token(request)):
            raise HTTPException(403, "请求校验失败：页面已过期或来自其他网站，请刷新页面后重试")

    # --- the dependency on every route ---------------------------------------------------------
    async def dependency(self, request: Request) -> None:
        route = request.scope.get("route")
        entry = permissions.route(request.method, getattr(route, "path", ""))
        state = request.state
        state.entry = entry
        state.viewer = viewer = await run_in_threadpool(self.identify, request)
        state.archive = self.archive.viewing(viewer is not None and viewer.restricted,
                                             await run_in_threadpool(self.fonds_of, viewer))
        if request.method not in SAFE_METHODS:
            await self.check_csrf(request)
        if not self.office():
            return  # one person on this machine: everything the pages offer (no admin pages)
        if entry is None:
            raise HTTPException(403, "此页面尚未登记访问权限，暂不开放")
        if viewer is None and entry.action not in (PUBLIC,):
            raise SignInRequired
        if viewer is not None and not viewer.may(entry.action):
            if request.url.path == "/" and request.method == "GET":
                raise Redirect(self.start_page(viewer))  # the 三员 start on their own page
            raise HTTPException(403, f"您的角色（{'、'.join(viewer.roles)}）无权使用此功能"
                                     f"（{permissions.label(entry.action)}）")

    def start_page(self, viewer: Viewer | None) -> str:
        for action, url in START_PAGES:
            if viewer is not None and viewer.may(action):
                return url
        return "/account"

    def owner(self, request: Request) -> str | None:
        """Whose ingest jobs a request sees: its account's (None without accounts: all)."""
        viewer = getattr(request.state, "viewer", None)
        return viewer.name if viewer is not None and viewer.account else None

    def page_context(self, request: Request) -> dict[str, Any]:
        """What every page's frame needs: who is signed in, which links to show, the token."""
        viewer = request.scope.get("state", {}).get("viewer")
        return {"viewer": viewer, "csrf_token": self.csrf_token(request),
                "can": permissions.actions_of(viewer.roles) if viewer else set()}

    # --- the use record --------------------------------------------------------------------------
    def note(self, request: Request, target: str | None = None, purpose: str | None = None,
             user: str | None = None, action: str | None = None) -> None:
        """What a handler knows better than the URL (a form's content, the name that tried to
        sign in, the 利用目的 asked on a form)."""
        state = request.scope.setdefault("state", {})
        for name, value in (("note", target), ("purpose", purpose), ("who", user),
                            ("action_label", action)):
            if value is not None:
                state[name] = value

    def after(self, scope: Scope, status: int, address: str) -> None:
        """The use record's row for a finished request (none for static files, status polls,
        or anyone unknown: only the login handler writes those)."""
        state = scope.get("state") or {}
        entry, viewer = state.get("entry"), state.get("viewer")
        if entry is None or not entry.recorded or entry.action == PUBLIC and "who" not in state:
            return
        user = state.get("who") or (viewer.name if viewer else None)
        if user is None:
            return
        self.record.put(Use(
            user=user, address=address, action=state.get("action_label") or permissions.label(entry.action),
            target=state.get("note") or _target(scope), purpose=state.get("purpose") or None,
            outcome="成功" if status < 400 else ("拒绝" if status in (401, 403) else f"失败（HTTP {status}）")))

    # --- early refusals (headers only) --------------------------------------------------------
    def refusal(self, request: Request) -> tuple[int, str] | None:
        host = (request.headers.get("host") or "").lower()
        if self.allowed_hosts is not None and _host_name(host) not in self.allowed_hosts:
            return 400, f"本服务只接受本机访问，不接受主机名 {host or '（空）'}"
        if request.method in SAFE_METHODS:
            return None
        origin = request.headers.get("origin") or _origin_of(request.headers.get("referer"))
        if not origin or origin.lower() != self.own_origin(request):
            return 403, "请求来源校验失败：只接受本站页面提交的请求"
        length = request.headers.get("content-length")
        if length is None and request.headers.get("transfer-encoding"):
            return 411, "请求须注明长度（Content-Length）"
        if length is not None and (not length.isdigit() or int(length) > max_upload_bytes()):
            return 413, f"上传内容过大：上限 {max_upload_bytes() // (1024 * 1024)} MB（GONGWEN_MAX_UPLOAD_MB）"
        return None

    def session_cookie(self, request: Request, token: str) -> str:
        return _cookie(SESSION_COOKIE, token, int(age_limit()), self.https(request))

    def expired_session_cookie(self, request: Request) -> str:
        return _cookie(SESSION_COOKIE, "", 0, self.https(request))


def _cookie(name: str, value: str, max_age: int, secure: bool) -> str:
    """HttpOnly, SameSite=Strict, Secure when the browser came over HTTPS."""
    return (f"{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict"
            + ("; Secure" if secure else ""))


def _host_name(host: str) -> str:
    """``host`` of a Host header without its port (``[::1]:8000`` → ``::1``)."""
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _origin_of(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _target(scope: Scope) -> str:
    """The path and query of a request as a person reads them (the 利用目的 and token apart)."""
    query = [(k, v) for k, v in _pairs(scope.get("query_string", b"")) if k not in NOT_RECORDED_PARAMETERS]
    path = scope.get("path", "")
    return f"{path}?{'&'.join(f'{k}={v}' for k, v in query)}" if query else path


def _pairs(raw: bytes) -> list[tuple[str, str]]:
    return parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=False)


class GuardMiddleware:
    """Host, Origin and size refused before any handler; headers added to every response;
    the use record written once the response is out."""

    def __init__(self, app: ASGIApp, guard: Guard,
                 render_error: Callable[[Request, int, str], Awaitable[Response] | Response]):
        self.app, self.guard, self.render_error = app, guard, render_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        browser = None
        if not request.cookies.get(BROWSER_COOKIE):
            browser = secrets.token_urlsafe(24)
            scope.setdefault("state", {})["browser"] = browser  # this response's pages use it
        refused = self.guard.refusal(request)
        status: dict[str, int] = {}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not scope["path"].startswith("/static/"):
                    headers.setdefault("cache-control", "no-store")
                if browser is not None:
                    headers.append("set-cookie", _cookie(BROWSER_COOKIE, browser, 10 * 365 * 86400,
                                                         self.guard.https(request)))
            await send(message)

        if refused is not None:
            response = self.render_error(request, *refused)
            if not isinstance(response, Response):
                response = await response
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)
        self.guard.after(scope, status.get("code", 500), self.guard.address(request))
