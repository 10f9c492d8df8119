"""``gongwen check FILE... [--json] [--annotate OUT.docx]``: 公文校核, a thin layer over ``Archive``.

Exit 1 when a 错误 is found (or a file cannot be read), 0 when only 提示 or nothing is; 2 for a
usage error. With several files ``--annotate`` names a folder and each copy is ``NAME.校核.docx``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pipeline.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    archive,
    each_file,
    emit,
    fail,
    warn,
)


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[parent],
                       help="公文校核：格式（GB/T 9704）、文字、文种和档案一致性")
    p.add_argument("files", nargs="*", metavar="FILE")
    p.add_argument("--annotate", metavar="OUT.docx",
                   help="把问题写成批注，另存一份 Word 文档（多个文件时为目录）")
    p.add_argument("--rules", action="store_true", help="列出全部校核规则")
    p.set_defaults(handler=run)


def _annotate_target(args: argparse.Namespace, path: str) -> Path | None:
    if not args.annotate:
        return None
    if len(args.files) == 1:
        return Path(args.annotate)
    return Path(args.annotate) / f"{Path(path).stem}.校核.docx"


def run(args: argparse.Namespace) -> int:
    if args.rules:
        rules = archive(args).check_rules()
        emit(args, {"rules": rules}, "\n".join(f"{r['id']}\t{r['family']}\t{r['summary']}" for r in rules))
        return EXIT_OK
    if not args.files:
        return fail(args, "用法错误：请给出要校核的文件", EXIT_USAGE)
    store = archive(args)

    def check_one(path: str) -> dict[str, Any]:
        result = store.check(path, annotate=_annotate_target(args, path))
        if result.get("warning"):
            warn(f"{path}：{result['warning']}")
        return result

    results, failed = each_file(args.files, check_one, "校核失败")
    data = results[0] if len(results) == 1 else results
    emit(args, data, None if args.json else _report(results))
    errors = any(r.get("errors") for r in results)
    return EXIT_PARTIAL if failed or errors else EXIT_OK


def _report(results: list[dict[str, Any]]) -> str:
    lines = []
    for result in results:
        if "error" in result:
            lines.append(f"✗ {result['path']}：{result['error']}")
            continue
        genre = result.get("genre") or "未识别文种"
        lines.append(f"{'✗' if result['errors'] else '✓'} {result['path']}（{genre}）："
                     f"错误 {result['errors']} 处，提示 {result['hints']} 处")
        for finding in result["findings"]:
            lines.append(f"  【{finding['severity']}】{_where(finding['location'])}{finding['message']}")
            lines.append(f"      修改：{finding['fix']}")
        if result.get("annotated"):
            lines.append(f"  已写入批注：{result['annotated']}")
    return "\n".join(lines)


def _where(location: dict[str, Any]) -> str:
    parts = []
    if location.get("page"):
        parts.append(f"第{location['page']}页")
    if location.get("paragraph"):
        parts.append(f"第{location['paragraph']}段")
    if location.get("part"):
        parts.append(location["part"])
    return ("，".join(parts) + "：") if parts else ""
