"""The three separate roles' pages: accounts (系统管理员), 内部 and 全宗 grants (安全管理员) and
the use record (审计员). Each changes or reads only its own store; none shows a document. The
全宗 grants (an archive on a database pooling several offices) are those ``gongwen fonds``
writes."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from pipeline.facade import Archive
from pipeline.office.permissions import BUSINESS_ROLES, ROLES, SYSTEM_ADMIN
from pipeline.storage.fonds import ALL_FONDS
from pipeline.web.security import Guard

AUDIT_PAGE = 100  # rows a page of the use record lists


def register(app: FastAPI, archive: Archive, pages: Jinja2Templates, guard: Guard) -> None:
    accounts = archive.accounts

    def users_page(request: Request, message: dict[str, str], status: int = 200) -> Response:
        listed = accounts.all()
        return pages.TemplateResponse(request, "users.html", {
            "accounts": listed, "roles": ROLES, "fonds": _fonds_grants(archive, listed), **message},
            status_code=status)

    def outcome(request: Request, change: Any, done: str) -> Response:
        try:
            change()
        except KeyError as err:
            return users_page(request, {"error": f"没有这个用户：{err.args[0]}"}, 404)
        except ValueError as err:
            return users_page(request, {"error": str(err)}, 400)
        return users_page(request, {"done": done})

    @app.get("/admin/users", response_class=HTMLResponse)
    def list_users(request: Request) -> Response:
        return users_page(request, {})

    @app.post("/admin/users", response_class=HTMLResponse)
    def add_user(request: Request, name: Annotated[str, Form()] = "",
                 roles: Annotated[list[str] | None, Form()] = None,
                 password: Annotated[str, Form()] = "") -> Response:
        name = name.strip()
        guard.note(request, action="新建账户", target=f"{name}（{'、'.join(roles or [])}）")
        return outcome(request, lambda: accounts.add(name, roles or [], password),
                       f"已新建账户 {name}")

    @app.post("/admin/users/{name}", response_class=HTMLResponse)
    def change_user(request: Request, name: str, op: Annotated[str, Form()] = "",
                    roles: Annotated[list[str] | None, Form()] = None,
                    password: Annotated[str, Form()] = "") -> Response:
        changes = {
            "disable": ("停用账户", lambda: _keep_an_admin(accounts, name) or accounts.set_enabled(name, False)),
            "enable": ("启用账户", lambda: accounts.set_enabled(name, True)),
            "password": ("重设密码", lambda: (accounts.set_password(name, password),
                                            accounts.end_sessions(name))),
            "roles": ("更改角色", lambda: _keep_an_admin(accounts, name, roles) or accounts.set_roles(name, roles or [])),
        }
        if op not in changes:
            raise HTTPException(400, "不支持的操作")
        label, change = changes[op]
        guard.note(request, action=label, target=name if op != "roles" else f"{name}（{'、'.join(roles or [])}）")
        return outcome(request, change, f"{label}：{name}")

    @app.get("/admin/grants", response_class=HTMLResponse)
    def grants_page(request: Request) -> Response:
        return _grants(request, {})

    def _grants(request: Request, message: dict[str, str], status: int = 200) -> Response:
        readers = [a for a in accounts.all() if set(a.roles) & set(BUSINESS_ROLES)]
        counts = archive.db.fonds_counts() if archive.db is not None else {}
        return pages.TemplateResponse(request, "grants.html", {
            "accounts": readers, "fonds": _fonds_grants(archive, readers),
            "fonds_counts": counts,
            "all_fonds": ALL_FONDS, **message}, status_code=status)

    @app.post("/admin/grants/{name}", response_class=HTMLResponse)
    def change_grant(request: Request, name: str, op: Annotated[str, Form()] = "",
                     fonds: Annotated[str, Form()] = "") -> Response:
        if op in ("grant_fonds", "revoke_fonds"):
            return _change_fonds(request, name, op == "grant_fonds", fonds.strip())
        if op not in ("grant", "revoke"):
            raise HTTPException(400, "不支持的操作")
        label = "授权查阅内部文件" if op == "grant" else "收回内部文件授权"
        guard.note(request, action=label, target=name)
        try:
            accounts.set_restricted(name, op == "grant")
        except KeyError:
            return _grants(request, {"error": f"没有这个用户：{name}"}, 404)
        except ValueError as err:
            return _grants(request, {"error": str(err)}, 400)
        return _grants(request, {"done": f"{label}：{name}"})

    def _change_fonds(request: Request, name: str, grant: bool, fonds: str) -> Response:
        """Grant or revoke one 全宗 (``ALL_FONDS``: every one) to a reader."""
        if archive.db is None:
            return _grants(request, {"error": "全宗授权只用于数据库上的档案库"}, 400)
        if accounts.get(name) is None:
            return _grants(request, {"error": f"没有这个用户：{name}"}, 404)
        if not fonds:
            return _grants(request, {"error": "请填写全宗号"}, 400)
        label = "授权查阅全宗" if grant else "收回全宗授权"
        guard.note(request, action=label, target=f"{name}（{fonds}）")
        (archive.db.grant if grant else archive.db.revoke)(name, fonds)
        return _grants(request, {"done": f"{label}：{name}（{fonds}）"})

    @app.get("/audit", response_class=HTMLResponse)
    def audit_page(request: Request) -> Response:
        context = _audit(request)
        return pages.TemplateResponse(request, "audit.html", context,
                                      status_code=400 if "error" in context else 200)

    @app.get("/api/audit")
    def audit_api(request: Request) -> dict[str, Any]:
        context = _audit(request)
        if "error" in context:
            raise HTTPException(400, context["error"])
        return context["report"] if context["report"] else {"records": context["records"]}

    def _audit(request: Request) -> dict[str, Any]:
        """Rows newest first (filters: user, from, to; page), the anchor, and with
        ``verify=1`` the chain's check."""
        params = request.query_params
        guard.record.flush()  # what this server queued is on the page too
        record = archive.use_record
        context: dict[str, Any] = {"params": dict(params), "anchor": record.anchor(), "report": None,
                                   "records": []}
        try:
            since, until = (_date(params.get(k)) for k in ("from", "to"))
            page = max(1, int(params.get("page") or 1))
        except ValueError:
            context["error"] = "日期应为 YYYY-MM-DD，页码应为正整数"
            return context
        if params.get("verify"):
            context["report"] = record.verify(anchor=params.get("anchor") or None)
        context["records"] = record.entries(user=params.get("user") or None, since=since, until=until,
                                            limit=AUDIT_PAGE, offset=(page - 1) * AUDIT_PAGE,
                                            newest_first=True)
        context["page"] = page
        return context


def _fonds_grants(archive: Archive, listed: list[Any]) -> dict[str, list[str]] | None:
    """Each account's granted 全宗 on a database (None for the embedded archive: no 全宗)."""
    if archive.db is None:
        return None
    return {account.name: archive.db.granted(account.name) for account in listed}


def _date(text: str | None) -> str | None:
    return datetime.date.fromisoformat(text).isoformat() if text else None


def _keep_an_admin(accounts: Any, name: str, roles: list[str] | None = None) -> None:
    """Refuse to leave the home without an enabled 系统管理员 (nobody could then manage
    accounts from the web; the command line still could)."""
    account = accounts.get(name)
    if account is None or SYSTEM_ADMIN not in account.roles or (roles and SYSTEM_ADMIN in roles):
        return
    others = [a for a in accounts.all() if a.name != name and a.enabled and SYSTEM_ADMIN in a.roles]
    if not others:
        raise ValueError("至少须保留一个启用的系统管理员账户")
