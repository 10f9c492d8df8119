"""``gongwen excerpts``, ``stats`` and ``chronicle``: the yearbook tools, thin over ``Archive``."""

from __future__ import annotations

import argparse
from typing import Any

from pipeline.cli.common import EXIT_OK, archive, emit, positive_int
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
                      change_text(fact["change"]), f"[{fact['doc_id']}] {fact['sentence']}"))


def run_chronicle(args: argparse.Namespace) -> int:
    data = archive(args).chronicle(year=args.year)
    lines = [f"{e['date']}\t{e['text']}\t[{e['doc_id']}]" for e in data["events"]]
    emit(args, data, "\n".join(lines) or "没有找到大事")
    return EXIT_OK
