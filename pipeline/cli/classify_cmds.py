"""``gongwen classify`` and ``gongwen catalog``: thin layers over ``Archive``."""

from __future__ import annotations

import argparse
from typing import Any

from pipeline.cli.common import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, archive, emit, fail, warn


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    """Add this stage's sub-commands."""
    p = sub.add_parser("classify", parents=[parent], help="判断文种、主题、密级和保管期限")
    p.add_argument("paths", nargs="+", metavar="FILE")
    p.add_argument("--train", action="store_true",
                   help="先用档案库（含人工更正）重新训练文种与主题模型")
    p.set_defaults(handler=run_classify)

    p = sub.add_parser("catalog", parents=[parent], help="导出归档文件目录（并分配档号）")
    p.add_argument("--format", dest="fmt", choices=("xlsx", "csv", "docx"), default="xlsx")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--purpose", metavar="TEXT", help="利用目的（记入利用记录）")
    p.set_defaults(handler=run_catalog)


def run_classify(args: argparse.Namespace) -> int:
    arch = archive(args)
    if args.train:
        try:
            report = arch.train()
            warn(f"模型已训练：文档 {report['documents']} 篇")
        except Exception as error:  # noqa: BLE001 — an empty archive: classify with rules only
            warn(f"无法训练模型（{error}），仅使用规则")
    results = arch.classify(args.paths)
    for item in results:
        if "error" in item:
            warn(f"{item['path']}：{item['error']}")
    data: Any = results[0] if len(results) == 1 else results
    emit(args, data, None if args.json else _text(results))
    return EXIT_PARTIAL if any("error" in item for item in results) else EXIT_OK


def _text(results: list[dict[str, Any]]) -> str:
    lines = []
    for item in results:
        if "error" in item:
            lines.append(f"{item['path']}\t错误：{item['error']}")
            continue
        secrecy = item["secrecy"]["level"] if item["secrecy"] else "无"
        lines.append(
            f"{item['path']}\t文种：{item['genre']}\t主题：{'、'.join(item['topics']) or '—'}"
            f"\t密级：{secrecy}\t保管期限：{item['retention']['period']}（{item['retention']['reason']}）"
        )
    return "\n".join(lines)


def run_catalog(args: argparse.Namespace) -> int:
    try:
        out = archive(args).catalog(args.fmt, args.output)
    except ValueError as error:
        return fail(args, str(error), EXIT_USAGE)
    except OSError as error:
        return fail(args, f"{args.output}：无法写入目录文件（{error.strerror or error}）", EXIT_PARTIAL)
    emit(args, {"path": str(out), "format": args.fmt}, f"已导出归档文件目录：{out}")
    return EXIT_OK
