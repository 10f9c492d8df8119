"""``gongwen serve``: the web app (pipeline.web) on a local port, or on the office network once
the home has a 系统管理员 account."""

from __future__ import annotations

import argparse
import contextlib
import threading

from pipeline.cli.common import EXIT_USAGE, fail, warn


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    """Add this stage's sub-commands."""
    p = sub.add_parser("serve", parents=[parent], help="启动网页版检索与入库服务")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--ingest-root", action="append", default=[], metavar="DIR",
                   help="网页上填写的服务器路径只能位于这些目录之内（可重复）；未指定时，仅本机访问"
                        "（--host 为 127.0.0.1 等）可填写任意路径，否则只能上传文件")
    p.add_argument("--trusted-proxy", action="append", default=[], metavar="ADDR",
                   help="前置反向代理的地址（可重复）：只有来自它的请求才采信 X-Forwarded-For 中的客户端地址")
    p.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from pipeline.facade import Archive
    from pipeline.office.permissions import SYSTEM_ADMIN
    from pipeline.web import create_app
    from pipeline.web.security import LOOPBACK_NAMES

    local = _loopback(args.host)
    database = getattr(args, "db", None)
    try:  # a database that cannot be reached is said now, not on the first page
        archive = Archive(args.home, database=database)
        if archive.db is not None:
            _ = archive.db.conn  # connects (and creates the schema on first use)
            archive.db.close()
    except (ValueError, ConnectionError) as err:
        return fail(args, str(err), 1)
    if not local and not archive.accounts.has_enabled(SYSTEM_ADMIN):
        return fail(args, f"拒绝在网络地址 {args.host} 上提供服务：档案库还没有启用的系统管理员账户。\n"
                          f"请先建立一个：gongwen --home {args.home} users add 用户名 --role 系统管理员\n"
                          "（再由系统管理员在网页上建立其他账户）；只在本机使用时请用 --host 127.0.0.1",
                    EXIT_USAGE)
    roots = args.ingest_root or (None if local else [])
    # on loopback only this machine's names: a foreign page rebinding its name to 127.0.0.1
    # must not reach the server as if it were one of ours
    app = create_app(args.home, ingest_roots=roots, trusted_proxies=args.trusted_proxy,
                     allowed_hosts=[*LOOPBACK_NAMES, args.host] if local else None,
                     database=database)
    # the first search loads the segmenter's dictionaries and opens the index: do it now
    threading.Thread(target=_warm_up, args=(args.home, database), daemon=True).start()
    warn(f"公文档案检索服务：http://{args.host}:{args.port}/ （档案库 {args.home}"
         f"{_database_note(database)}，按 Ctrl+C 停止）")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _loopback(host: str) -> bool:
    """Only this machine can reach a server bound to ``host``."""
    from pipeline.web.security import is_loopback

    return is_loopback(host)


def _database_note(database: str | None) -> str:
    """``，数据库 URL`` (password hidden) when the archive is on a database."""
    from pipeline.storage import database_url
    from pipeline.storage.postgres.catalog import redact

    url = database_url(database)
    return f"，数据库 {redact(url)}" if url else ""


def _warm_up(home: str, database: str | None) -> None:
    from pipeline.facade import Archive

    # only an optimisation: a real search reports whatever went wrong here
    with contextlib.suppress(Exception):
        Archive(home, database=database).search("人民代表大会", limit=1)
