"""Roles, what each action needs, and the one table of the web app's routes.

Who may do what is decided here and nowhere else: ``ACTIONS`` maps each action to the roles
allowed it, ``ROUTES`` maps each web route (method, path template as FastAPI declares it) to
its action. A route missing from ``ROUTES`` is refused to everyone once accounts exist
(default deny): a new page is reachable only after its line is added here.

The business roles build on reading the archive: 起草人员 search, read, draft and check;
档案员 also ingest, correct, export the catalogue and verify; 年鉴编辑 also use the yearbook
tools and pack a yearbook. The three separate roles (三员分立, as 等级保护 expects) do only
their own job and read no document: 系统管理员 the accounts, 安全管理员 who may see 内部
documents, 审计员 the use record. An account holds one separate role alone, or business roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DRAFTER, ARCHIVIST, YEARBOOK_EDITOR = "起草人员", "档案员", "年鉴编辑"
SYSTEM_ADMIN, SECURITY_ADMIN, AUDITOR = "系统管理员", "安全管理员", "审计员"
BUSINESS_ROLES = (DRAFTER, ARCHIVIST, YEARBOOK_EDITOR)
SEPARATE_ROLES = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDITOR)
ROLES = BUSINESS_ROLES + SEPARATE_ROLES
ROLE_ALIASES = {"管理员": SYSTEM_ADMIN, "系统管理": SYSTEM_ADMIN, "安全管理": SECURITY_ADMIN,
                "审计": AUDITOR, "起草": DRAFTER, "档案": ARCHIVIST, "年鉴": YEARBOOK_EDITOR}

PUBLIC = "public"  # no sign-in needed: the login page, the CSRF token
SIGNED_IN = "self"  # any signed-in account: its own password, signing out


@dataclass(frozen=True)
class Action:
    label: str  # how the use record and the pages name it
    roles: frozenset[str]


_READERS = frozenset(BUSINESS_ROLES)
ACTIONS: dict[str, Action] = {
    PUBLIC: Action("公开页面", frozenset(ROLES)),
    SIGNED_IN: Action("本人账户", frozenset(ROLES)),
    "search": Action("检索", _READERS),
    "read": Action("查阅", _READERS),
    "download": Action("下载原件", _READERS),
    "draft": Action("起草", _READERS),
    "check": Action("核稿", _READERS),
    "ingest": Action("入库", frozenset({ARCHIVIST})),
    "edit": Action("著录更正", frozenset({ARCHIVIST})),
    "export": Action("导出目录", frozenset({ARCHIVIST})),
    "verify": Action("检测", frozenset({ARCHIVIST})),
    "yearbook": Action("年鉴资料", frozenset({YEARBOOK_EDITOR})),
    "pack": Action("年鉴打包", frozenset({YEARBOOK_EDITOR})),
    "accounts": Action("账户管理", frozenset({SYSTEM_ADMIN})),
    "grants": Action("内部文件授权", frozenset({SECURITY_ADMIN})),
    "audit": Action("查看利用记录", frozenset({AUDITOR})),
}


@dataclass(frozen=True)
class Route:
    action: str
    recorded: bool = True  # written to the use record (not: status polls, the login form)


# (method, path template) → what it does. GET covers HEAD. Static files (/static) are public.
ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/login"): Route(PUBLIC, recorded=False),
    ("POST", "/login"): Route(PUBLIC),  # the handler records success, failure, throttling
    ("GET", "/api/csrf"): Route(PUBLIC, recorded=False),
    ("POST", "/logout"): Route(SIGNED_IN),
    ("GET", "/account"): Route(SIGNED_IN, recorded=False),
    ("POST", "/account/password"): Route(SIGNED_IN),
    ("GET", "/"): Route("search"),
    ("GET", "/api/search"): Route("search"),
    ("GET", "/doc/{doc_id}"): Route("read"),
    ("GET", "/api/doc/{doc_id}"): Route("read"),
    ("GET", "/doc/{doc_id}/files/{number}"): Route("download"),
    ("GET", "/doc/{doc_id}/edit"): Route("edit", recorded=False),
    ("POST", "/doc/{doc_id}/edit"): Route("edit"),
    ("GET", "/yearbook"): Route("yearbook"),
    ("GET", "/api/excerpts"): Route("yearbook"),
    ("GET", "/api/stats"): Route("yearbook"),
    ("GET", "/api/chronicle"): Route("yearbook"),
    ("GET", "/ingest"): Route("ingest", recorded=False),
    ("POST", "/api/ingest"): Route("ingest"),
    ("GET", "/api/ingest/{job_id}"): Route("ingest", recorded=False),
    ("GET", "/catalog"): Route("export", recorded=False),
    ("POST", "/catalog"): Route("export"),
    ("GET", "/verify"): Route("verify", recorded=False),
    ("POST", "/verify"): Route("verify"),
    ("GET", "/admin/users"): Route("accounts", recorded=False),
    ("POST", "/admin/users"): Route("accounts"),
    ("POST", "/admin/users/{name}"): Route("accounts"),
    ("GET", "/admin/grants"): Route("grants", recorded=False),
    ("POST", "/admin/grants/{name}"): Route("grants"),
    ("GET", "/draft"): Route("draft"),
    ("GET", "/draft/{genre}"): Route("draft"),
    ("POST", "/draft/{genre}/docx"): Route("draft"),
    ("POST", "/draft/{genre}/check"): Route("check"),
    ("GET", "/check"): Route("check", recorded=False),
    ("POST", "/check"): Route("check"),
    ("GET", "/check/{token}/annotated"): Route("check"),
    ("POST", "/api/check"): Route("check"),
    ("GET", "/yearbook/pack"): Route("pack"),
    ("GET", "/audit"): Route("audit"),
    ("GET", "/api/audit"): Route("audit"),
}


def route(method: str, path: str) -> Route | None:
    """The table's entry for a route (``path`` is its template), None when it has none."""
    return ROUTES.get(("GET" if method == "HEAD" else method, path))


def allowed(action: str, roles: Iterable[str]) -> bool:
    entry = ACTIONS.get(action)
    return entry is not None and bool(entry.roles & set(roles))


def actions_of(roles: Iterable[str]) -> set[str]:
    """Every action an account with ``roles`` may take (the pages show only those links)."""
    held = set(roles)
    return {name for name, action in ACTIONS.items() if action.roles & held}


def label(action: str) -> str:
    entry = ACTIONS.get(action)
    return entry.label if entry else action


def normalise_roles(names: Iterable[str]) -> tuple[str, ...]:
    """The roles named (aliases such as 管理员 read as 系统管理员, ``a,b`` split), in table
    order; ``ValueError`` (Chinese) for an unknown role or a separate role held with another."""
    wanted: list[str] = []
    for name in names:
        for part in name.replace("，", ",").replace("、", ",").split(","):
            part = part.strip()
            if not part:
                continue
            role = ROLE_ALIASES.get(part, part)
            if role not in ROLES:
                raise ValueError(f"没有这个角色：{part}（可选：{'、'.join(ROLES)}）")
            wanted.append(role)
    roles = tuple(r for r in ROLES if r in wanted)
    if not roles:
        raise ValueError(f"请指定角色（可选：{'、'.join(ROLES)}）")
    separate = [r for r in roles if r in SEPARATE_ROLES]
    if separate and len(roles) > 1:
        raise ValueError(f"{separate[0]}须单独设账户，不能兼任其他角色（三员分立）")
    return roles
