"""``gongwen parse FILE... [--json]``."""

from __future__ import annotations

import argparse

from pipeline.cli.common import EXIT_OK, EXIT_PARTIAL, each_file, emit
from pipeline.model import shown_title


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("parse", parents=[parent], help="解析文件，输出公文结构")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--full", action="store_true", help="输出识别出的全部字段")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.parse import parse_file

    results, failed = each_file(args.files, lambda path: parse_file(path).to_json(full=args.full),
                                "解析失败")
    data = results[0] if len(results) == 1 else results
    emit(args, data, None if args.json else _summary(results))
    return EXIT_PARTIAL if failed else EXIT_OK


def _summary(results: list[dict]) -> str:
    lines = []
    for r in results:
        if "error" in r:
            lines.append(f"✗ {r['path']}：{r['error']}")
            continue
        lines.append(f"✓ {r['path']}  [{r['format']}]  {r.get('genre') or '未识别文种'}")
        if r.get("title"):
            lines.append(f"    标题：{shown_title(r['title'], r.get('title_derived'))}")
        for label, key in (("文号", "doc_number"), ("日期", "date")):
            if r.get(key):
                lines.append(f"    {label}：{r[key]}")
        if r.get("issuer"):
            lines.append(f"    机关：{'、'.join(r['issuer'])}")
    return "\n".join(lines)
