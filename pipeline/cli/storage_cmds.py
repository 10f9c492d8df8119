"""``gongwen migrate --to postgresql://…`` and ``gongwen fonds grant|revoke|list`` (a database
pooling several 全宗): thin, over ``pipeline.storage``."""

from __future__ import annotations

import argparse
from typing import Any

from pipeline.cli.common import EXIT_OK, EXIT_USAGE, database_option, emit, fail


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("migrate", parents=[parent],
                       help="把档案库（目录、原件记录、更正、利用记录）迁移到 PostgreSQL 数据库")
    p.add_argument("--to", required=True, type=database_option, metavar="URL",
                   help="目标数据库，如 postgresql://用户@主机/库名")
    p.add_argument("--no-progress", action="store_true", help="不在 stderr 显示进度")
    p.set_defaults(handler=run_migrate)

    p = sub.add_parser("fonds", parents=[parent], help="数据库中各全宗的公文数，及用户可查看的全宗")
    p.add_argument("action", choices=("list", "grant", "revoke"))
    p.add_argument("user", nargs="?", metavar="USER")
    p.add_argument("fonds", nargs="?", metavar="FONDS", help="全宗号（* 表示全部全宗）")
    p.set_defaults(handler=run_fonds)


def _storage(args: argparse.Namespace, url: str | None) -> Any:
    from pipeline.home import Home
    from pipeline.storage import backend

    return backend(Home(args.home), url) if url else None


def run_migrate(args: argparse.Namespace) -> int:
    storage = _storage(args, args.to)
    if storage is None:
        return fail(args, "用法错误：--to 应为 postgresql://… 数据库地址", EXIT_USAGE)
    try:
        counts = storage.migrate(progress=not args.no_progress)
    except (ConnectionError, ValueError) as err:
        return fail(args, f"迁移失败：{err}", 1)
    finally:
        storage.close()
    from pipeline.storage.postgres.publish import summary_text

    emit(args, counts, None if args.json else
         f"{summary_text(counts)}利用记录 {counts['use_record']} 条。全宗号：{counts['fonds']}。"
         "\n请用 gongwen --db 数据库地址 verify 检测迁移结果。")
    return EXIT_OK


def run_fonds(args: argparse.Namespace) -> int:
    from pipeline.storage import database_url

    storage = _storage(args, database_url(getattr(args, "db", None)))
    if storage is None:
        return fail(args, "用法错误：全宗授权只用于数据库（请给出 --db postgresql://…）", EXIT_USAGE)
    try:
        if args.action == "list":
            return _list(args, storage)
        if not args.user or not args.fonds:
            return fail(args, "用法错误：请给出用户名和全宗号", EXIT_USAGE)
        (storage.grant if args.action == "grant" else storage.revoke)(args.user, args.fonds)
        granted = storage.granted(args.user)
        emit(args, {"user": args.user, "fonds": granted},
             None if args.json else f"{args.user} 可查看的全宗：{'、'.join(granted) or '无'}")
        return EXIT_OK
    except ConnectionError as err:
        return fail(args, str(err), 1)
    finally:
        storage.close()


def _list(args: argparse.Namespace, storage: Any) -> int:
    if args.user:
        granted = storage.granted(args.user)
        emit(args, {"user": args.user, "fonds": granted},
             None if args.json else f"{args.user} 可查看的全宗：{'、'.join(granted) or '无'}")
        return EXIT_OK
    counts = storage.fonds_counts()
    emit(args, {"fonds": counts}, None if args.json else
         "\n".join(f"{name or '（未设全宗号）'}：{n} 件" for name, n in counts.items()) or "数据库中还没有公文")
    return EXIT_OK
