"""``gongwen serve``: the web app (pipeline.web) on a local port."""

from __future__ import annotations

import argparse
import contextlib
import threading

from pipeline.cli.common import warn


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    """Add this stage's sub-commands."""
    p = sub.add_parser("serve", parents=[parent], help="启动网页版检索与入库服务")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from pipeline.web import create_app

    app = create_app(args.home)
    # the first search loads the segmenter's dictionaries and opens the index: do it now
    threading.Thread(target=_warm_up, args=(args.home,), daemon=True).start()
    warn(f"公文档案检索服务：http://{args.host}:{args.port}/ （档案库 {args.home}，按 Ctrl+C 停止）")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _warm_up(home: str) -> None:
    from pipeline.archive import Archive

    # only an optimisation: a real search reports whatever went wrong here
    with contextlib.suppress(Exception):
        Archive(home).search("人民代表大会", limit=1)
