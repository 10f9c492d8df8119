"""``gongwen serve``: the web app (pipeline.web) on a local port."""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import threading

from pipeline.cli.common import warn


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    """Add this stage's sub-commands."""
    p = sub.add_parser("serve", parents=[parent], help="启动网页版检索与入库服务")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--ingest-root", action="append", default=[], metavar="DIR",
                   help="网页上填写的服务器路径只能位于这些目录之内（可重复）；未指定时，仅本机访问"
                        "（--host 为 127.0.0.1 等）可填写任意路径，否则只能上传文件")
    p.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from pipeline.web import create_app

    roots = args.ingest_root or (None if _loopback(args.host) else [])
    app = create_app(args.home, ingest_roots=roots)
    # the first search loads the segmenter's dictionaries and opens the index: do it now
    threading.Thread(target=_warm_up, args=(args.home,), daemon=True).start()
    warn(f"公文档案检索服务：http://{args.host}:{args.port}/ （档案库 {args.home}，按 Ctrl+C 停止）")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _loopback(host: str) -> bool:
    """Only this machine can reach a server bound to ``host``."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _warm_up(home: str) -> None:
    from pipeline.facade import Archive

    # only an optimisation: a real search reports whatever went wrong here
    with contextlib.suppress(Exception):
        Archive(home).search("人民代表大会", limit=1)
