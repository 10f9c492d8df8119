"""``gongwen excerpts``, ``stats``, ``chronicle`` and ``yearbook``: the yearbook tools, thin over
``Archive``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pipeline.cli.common import EXIT_OK, EXIT_USAGE, archive, emit, fail, positive_int
from pipeline.excerpts.stats import amount_text, change_text


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    """Add the yearbook sub-commands."""
    p = sub.add_parser("excerpts", parents=[parent], help="年鉴摘编：与检索词最相关的段落，附出处")
    p.add_argument("query")
    p.add_argument("--year", type=int, help="只看该年份的公文")
    p.add_argument("--limit", type=positive_int, default=10, help="最多段落数（默认 10）")
    p.set_defaults(handler=run_excerpts)

    p = sub.add_parser("stats", parents=[parent], help="统计数据：指标、数值、单位、增减，附原句")
    p.add_argument("--year", type=int, help="只看该年份的数据（以句中年份为准，否则取公文年份）")
    p.add_argument("--limit", type=positive_int, default=None, help="最多条数")
    p.set_defaults(handler=run_stats)

    p = sub.add_parser("chronicle", parents=[parent], help="大事记：按日期排列的会议、决议、任免、检查等")
    p.add_argument("--year", type=int, help="只看该年份的事件")
    p.set_defaults(handler=run_chronicle)

    p = sub.add_parser("yearbook", parents=[parent],
                       help="年鉴资料：大事记、统计数据、重要文件、摘编，逐条注明出处（docx/xlsx/md）")
    p.add_argument("--year", type=int, required=True, help="资料年度")
    p.add_argument("--issuer", help="只收该机关的公文（如：区人大常委会）")
    p.add_argument("--topic", action="extend", nargs="+", default=[], metavar="主题",
                   help="摘编的主题，可写多个")
    p.add_argument("--exclude", action="extend", nargs="+", default=[], metavar="编号",
                   help="不收录的大事、统计数据（stats/chronicle 显示的编号）或公文编号")
    p.add_argument("--include-restricted", action="store_true", help="也收录内部资料")
    p.add_argument("--format", choices=("docx", "xlsx", "md"), help="输出格式（默认按文件名后缀，否则 docx）")
    p.add_argument("-o", "--output", help="输出文件（默认：<年份>年年鉴资料.<格式>）")
    p.set_defaults(handler=run_yearbook)


def run_excerpts(args: argparse.Namespace) -> int:
    data = archive(args).excerpts(args.query, year=args.year, limit=args.limit)
    emit(args, data, _excerpts_text(data["passages"]) or "没有找到相关段落")
    return EXIT_OK


def _excerpts_text(passages: list[dict[str, Any]]) -> str:
    blocks = []
    for number, p in enumerate(passages, start=1):
        source = "，".join(x for x in (p["doc_number"], p["date"], p["section"]) if x)
        blocks.append(f"{number}. {p['text']}\n   ——《{p['title'] or '无题'}》（{source}）[{p['doc_id']}]")
    return "\n".join(blocks)


def run_stats(args: argparse.Namespace) -> int:
    data = archive(args).stats(year=args.year, limit=args.limit)
    emit(args, data, "\n".join(_fact_line(f) for f in data["facts"]) or "没有找到统计数据")
    return EXIT_OK


def _fact_line(fact: dict[str, Any]) -> str:
    amount = amount_text(fact)
    return "\t".join((str(fact["year"] or "年份不详"), fact["metric"], amount,
                      change_text(fact["change"]), f"[{fact['doc_id']}] {fact['sentence']}", fact["id"]))


def run_chronicle(args: argparse.Namespace) -> int:
    data = archive(args).chronicle(year=args.year)
    lines = [f"{e['date']}\t{e['text']}\t[{'、'.join(e['sources'])}]\t{e['id']}" for e in data["events"]]
    emit(args, data, "\n".join(lines) or "没有找到大事")
    return EXIT_OK


def run_yearbook(args: argparse.Namespace) -> int:
    fmt = args.format or (Path(args.output).suffix.lstrip(".") if args.output else "docx")
    out = Path(args.output or f"{args.year}年年鉴资料.{fmt}")
    try:
        data = archive(args).yearbook(args.year, out, fmt=fmt, issuer=args.issuer, topics=args.topic,
                                      exclude=args.exclude, include_restricted=args.include_restricted)
    except ValueError as err:
        return fail(args, str(err), EXIT_USAGE)
    left = "，".join(f"{LEFT_OUT.get(k, k)} {n} 条" for k, n in data["left_out"].items() if n)
    emit(args, data, f"已写出 {data['path']}：大事 {data['events']} 条，统计数据 {data['facts']} 项，"
                     f"重要文件 {data['documents']} 件，摘编 {data['passages']} 段"
                     + (f"（未收录：{left}）" if left else ""))
    return EXIT_OK


LEFT_OUT = {"excluded": "按编号排除", "restricted": "内部资料", "issuer": "其他机关"}
