"""Signing in and out, and one's own account (its password)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from pipeline.facade import Archive
from pipeline.office.sessions import token_hash
from pipeline.web.security import SESSION_COOKIE, Guard


def safe_next(target: str) -> str:
    """Where to go after signing in: a path of this site only (never ``//host`` or a URL)."""
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def register(app: FastAPI, archive: Archive, pages: Jinja2Templates, guard: Guard) -> None:
    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/") -> Response:
        if not guard.office():
            return RedirectResponse("/", status_code=303)  # one person: nothing to sign into
        return pages.TemplateResponse(request, "login.html", {"next": safe_next(next)})

    @app.post("/login")
    def sign_in(request: Request, name: Annotated[str, Form()] = "",
                password: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:
        name, address = name.strip(), guard.address(request)
        guard.note(request, user=name or "（未填用户名）", target="登录")
        context: dict[str, Any] = {"next": safe_next(next), "name": name}
        wait = guard.throttle.wait_seconds(name, address)
        if wait > 0:
            guard.note(request, action="登录受限")
            context["error"] = f"登录失败次数过多，请 {max(1, round(wait / 60))} 分钟后再试"
            return pages.TemplateResponse(request, "login.html", context, status_code=429)
        account = archive.accounts.authenticate(name, password)
        if account is None:
            guard.throttle.failed(name, address)
            guard.note(request, action="登录失败")
            context["error"] = "用户名或密码错误，或账户已停用"
            return pages.TemplateResponse(request, "login.html", context, status_code=401)
        guard.throttle.succeeded(name)
        guard.note(request, action="登录")
        token = archive.sessions.start(account, address)
        target = safe_next(next)
        if target == "/":
            target = guard.start_page(guard.viewer_of(account))
        response = RedirectResponse(target, status_code=303)
        response.headers.append("set-cookie", guard.session_cookie(request, token))
        return response

    @app.get("/api/csrf")
    def csrf(request: Request) -> dict[str, str]:
        """The token a script sends back in ``X-CSRF-Token`` (with this browser's cookies);
        a page of another site cannot read it."""
        return {"token": guard.csrf_token(request)}

    @app.post("/logout")
    def sign_out(request: Request) -> Response:
        archive.sessions.end(request.cookies.get(SESSION_COOKIE))
        guard.note(request, action="退出登录", target="退出")
        response = RedirectResponse("/login" if guard.office() else "/", status_code=303)
        response.headers.append("set-cookie", guard.expired_session_cookie(request))
        return response

    @app.get("/account", response_class=HTMLResponse)
    def account_page(request: Request) -> Response:
        return pages.TemplateResponse(request, "account.html", {})

    @app.post("/account/password", response_class=HTMLResponse)
    def change_password(request: Request, current: Annotated[str, Form()] = "",
                        new: Annotated[str, Form()] = "", again: Annotated[str, Form()] = "") -> Response:
        viewer = request.state.viewer
        guard.note(request, action="修改本人密码", target=viewer.name)
        context: dict[str, Any] = {}
        if not viewer.account:
            context["error"] = "本机单人使用，没有账户密码"
        elif archive.accounts.authenticate(viewer.name, current) is None:
            context["error"] = "当前密码不正确"
        elif new != again:
            context["error"] = "两次输入的新密码不一致"
        else:
            try:
                archive.accounts.set_password(viewer.name, new)
            except ValueError as err:
                context["error"] = str(err)
            else:  # signed out everywhere else
                archive.accounts.end_sessions(viewer.name, keep=token_hash(request.cookies.get(SESSION_COOKIE, "")))
                context["done"] = "密码已更新，其他已登录的会话已失效"
        return pages.TemplateResponse(request, "account.html", context,
                                      status_code=400 if "error" in context else 200)
