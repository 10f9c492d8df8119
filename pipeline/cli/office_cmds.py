"""``gongwen users …`` (accounts of the web app) and ``gongwen audit`` (the use record).

The command line is the machine's operator: whoever can run it on the server can read the
home's files anyway, so it needs no account; what it does is written to the use record under
the OS user (``pipeline.cli.main``).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from pipeline.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    archive,
    emit,
    fail,
    iso_date,
    positive_int,
)
from pipeline.office.permissions import ROLES


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("users", parents=[parent], help="网页服务的账户：新建、改密码、停用、授权内部文件")
    actions = p.add_subparsers(dest="action", required=True)
    roles_help = f"角色（可重复或用逗号分隔）：{'、'.join(ROLES)}；“管理员”即系统管理员"
    a = actions.add_parser("add", parents=[parent], help="新建账户")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", action="append", required=True, metavar="ROLE", help=roles_help)
    a.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    a.set_defaults(handler=run_add)
    pw = actions.add_parser("passwd", parents=[parent], help="设置账户的新密码（其已登录的会话随之失效）")
    pw.add_argument("name", metavar="NAME")
    pw.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    pw.set_defaults(handler=run_passwd)
    r = actions.add_parser("roles", parents=[parent], help="更改账户的角色")
    r.add_argument("name", metavar="NAME")
    r.add_argument("--role", action="append", required=True, metavar="ROLE", help=roles_help)
    r.set_defaults(handler=run_roles)
    for name, help_text, handler in (
            ("disable", "停用账户（立即退出登录）", run_disable), ("enable", "重新启用账户", run_enable),
            ("grant", "允许账户查阅内部文件（安全管理员的职责）", run_grant),
            ("revoke", "收回查阅内部文件的授权", run_revoke)):
        c = actions.add_parser(name, parents=[parent], help=help_text)
        c.add_argument("name", metavar="NAME")
        c.set_defaults(handler=handler)
    ls = actions.add_parser("list", parents=[parent], help="列出账户")
    ls.set_defaults(handler=run_list)

    au = sub.add_parser("audit", parents=[parent], help="利用记录：谁在何时从何处做了什么；--verify 校验是否被篡改")
    au.add_argument("--user", help="只看这个用户")
    au.add_argument("--from", dest="since", type=iso_date, metavar="YYYY-MM-DD", help="起始日期（含）")
    au.add_argument("--to", dest="until", type=iso_date, metavar="YYYY-MM-DD", help="截止日期（含）")
    au.add_argument("--limit", type=positive_int, default=None, help="最多条数（最新的）")
    au.add_argument("--verify", action="store_true", help="校验 SM3 记录链与链尾锚点")
    au.add_argument("--anchor", metavar="HASH", help="与 --verify 同用：审计员记下的链尾校验值")
    au.set_defaults(handler=run_audit)


def _password(args: argparse.Namespace) -> str | None:
    """The new password: one line of stdin, or typed twice at a terminal (None: not given)."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass("新密码：")
    return first if getpass.getpass("再输入一次：") == first else ""


def _changed(args: argparse.Namespace, change: Any, message: str) -> int:
    """Run one account change; its errors as Chinese messages."""
    try:
        account = change()
    except KeyError:
        return fail(args, f"没有这个用户：{args.name}", EXIT_PARTIAL)
    except ValueError as err:
        return fail(args, str(err), EXIT_USAGE)
    emit(args, account.to_json(), message)
    return EXIT_OK


def run_add(args: argparse.Namespace) -> int:
    password = _password(args)
    if not password:
        return fail(args, "请输入两次相同的密码，或用 --password-stdin 从标准输入提供", EXIT_USAGE)
    accounts = archive(args).accounts
    return _changed(args, lambda: accounts.add(args.name, args.role, password),
                    f"已新建账户 {args.name}（{'、'.join(_roles(args.role))}）")


def _roles(names: list[str]) -> tuple[str, ...]:
    from pipeline.office.permissions import normalise_roles

    try:
        return normalise_roles(names)
    except ValueError:
        return tuple(names)


def run_passwd(args: argparse.Namespace) -> int:
    password = _password(args)
    if not password:
        return fail(args, "请输入两次相同的密码，或用 --password-stdin 从标准输入提供", EXIT_USAGE)
    accounts = archive(args).accounts

    def change() -> Any:
        account = accounts.set_password(args.name, password)
        accounts.end_sessions(args.name)
        return account

    return _changed(args, change, f"已更新 {args.name} 的密码，其已登录的会话已失效")


def run_roles(args: argparse.Namespace) -> int:
    accounts = archive(args).accounts
    return _changed(args, lambda: accounts.set_roles(args.name, args.role),
                    f"已将 {args.name} 的角色改为：{'、'.join(_roles(args.role))}")


def run_disable(args: argparse.Namespace) -> int:
    accounts = archive(args).accounts
    return _changed(args, lambda: accounts.set_enabled(args.name, False), f"已停用账户 {args.name}")


def run_enable(args: argparse.Namespace) -> int:
    accounts = archive(args).accounts
    return _changed(args, lambda: accounts.set_enabled(args.name, True), f"已启用账户 {args.name}")


def run_grant(args: argparse.Namespace) -> int:
    accounts = archive(args).accounts
    return _changed(args, lambda: accounts.set_restricted(args.name, True),
                    f"已允许 {args.name} 查阅内部文件")


def run_revoke(args: argparse.Namespace) -> int:
    accounts = archive(args).accounts
    return _changed(args, lambda: accounts.set_restricted(args.name, False),
                    f"已收回 {args.name} 查阅内部文件的授权")


def run_list(args: argparse.Namespace) -> int:
    accounts = [a.to_json() for a in archive(args).accounts.all()]
    lines = ["\t".join([a["name"], "、".join(a["roles"]), "启用" if a["enabled"] else "停用",
                        "可查阅内部文件" if a["restricted"] else ""]).rstrip() for a in accounts]
    emit(args, {"users": accounts}, "\n".join(lines) or "还没有账户（gongwen users add 用户名 --role 系统管理员）")
    return EXIT_OK


# --- the use record ----------------------------------------------------------------------------


def run_audit(args: argparse.Namespace) -> int:
    record = archive(args).use_record
    if args.anchor and not args.verify:
        return fail(args, "用法错误：--anchor 须与 --verify 同用", EXIT_USAGE)
    if args.verify:
        report = record.verify(anchor=args.anchor)
        emit(args, report, None if args.json else verify_text(report))
        return EXIT_OK if report["ok"] else EXIT_PARTIAL
    rows = record.entries(user=args.user, since=args.since, until=args.until, limit=args.limit,
                          newest_first=args.limit is not None)
    if args.limit is not None:
        rows.reverse()  # the latest N, shown oldest first
    emit(args, {"records": rows}, "\n".join(_row_text(r) for r in rows) or "没有符合条件的利用记录")
    return EXIT_OK


def _row_text(row: dict[str, Any]) -> str:
    purpose = f"\t利用目的：{row['purpose']}" if row["purpose"] else ""
    return (f"{row['seq']}\t{row['at']}\t{row['user']}\t{row['address']}（{row['channel']}）\t"
            f"{row['action']}\t{row['target']}\t{row['outcome']}{purpose}")


def verify_text(report: dict[str, Any]) -> str:
    latest = report["latest"]
    lines = [f"利用记录共 {report['records']} 条"
             + (f"（{report['first']} 至 {report['last']}）" if report["records"] else "")]
    if latest:
        lines.append(f"链尾：第 {latest['seq']} 条，SM3 {latest['hash']}")
    for problem in report["problems"]:
        where = f"第 {problem['seq']} 条：" if problem["seq"] else ""
        lines.append(f"✗ {where}{problem['problem']}")
    if report["ok"]:
        lines.append("✓ 记录链完整，与链尾锚点相符，未发现篡改。")
    return "\n".join(lines)
