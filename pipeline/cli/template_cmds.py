"""``gongwen templates build|show``, ``gongwen draft`` and ``gongwen phrases``: thin layers over ``Archive``."""

from __future__ import annotations

import argparse
from typing import Any

from pipeline.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    archive,
    assignment,
    emit,
    fail,
    warn,
)


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    """Add this stage's sub-commands."""
    p = sub.add_parser("templates", parents=[parent], help="从档案中挖掘公文模板")
    actions = p.add_subparsers(dest="action", required=True)
    b = actions.add_parser("build", parents=[parent], help="用档案中的文档完善内置模板（没有内置模板的文种至少需要3篇）")
    b.add_argument("--genre", default=None, help="只生成这个文种的模板")
    b.set_defaults(handler=run_build)
    s = actions.add_parser("show", parents=[parent], help="显示文种模板（结构、固定用语、栏目）")
    s.add_argument("genre", metavar="G")
    s.add_argument("--variant", default=None, help="样式，如 纪要 的“党组会议纪要”")
    s.add_argument("--like", default=None, metavar="ID|QUERY", help="按最相近的范文显示（文档编号或检索词）")
    s.set_defaults(handler=run_show)
    li = actions.add_parser("list", parents=[parent], help="列出可起草的文种（内置模板和档案生成的模板）")
    li.set_defaults(handler=run_list)

    d = sub.add_parser("draft", parents=[parent], help="按模板起草 GB/T 9704 格式的 .docx")
    d.add_argument("genre", metavar="G")
    d.add_argument("--set", dest="values", action="append", default=[], metavar="KEY=VALUE",
                   type=assignment,
                   help="填写栏目（可重复；多条的栏目如“意见”重复填写，每次一条），如 --set 标题=…")
    d.add_argument("--like", default=None, metavar="ID|QUERY",
                   help="参照档案中最相近的范文起草（文档编号或检索词），并列出最相近的三篇")
    d.add_argument("--variant", default=None, help="样式，如 纪要 的“党组会议纪要”")
    d.add_argument("-o", "--output", required=True, metavar="OUT.docx")
    d.set_defaults(handler=run_draft)

    ph = sub.add_parser("phrases", parents=[parent], help="文种常用语（开头、过渡、正文、结尾）")
    ph.add_argument("genre", metavar="G")
    ph.add_argument("--position", default=None, help="位置：opening（开头）| transition（过渡）| body（正文）| closing（结尾）")
    ph.set_defaults(handler=run_phrases)


def run_build(args: argparse.Namespace) -> int:
    try:
        result = archive(args).build_templates(args.genre)
    except ValueError as error:
        return fail(args, str(error), EXIT_PARTIAL)
    lines = [f"{t['genre']}\t文档 {t['documents']} 篇\t样式 {t['variants']} 种" for t in result["templates"]]
    emit(args, result, "\n".join(lines) or "没有文档数达到3篇的文种")
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    try:
        data = archive(args).template(args.genre, args.variant, args.like)
    except KeyError as error:
        return fail(args, error.args[0], EXIT_PARTIAL)
    emit(args, data, _show_text(data))
    return EXIT_OK


_SOURCES = {"built-in": "内置", "mined": "档案", "built-in+mined": "内置＋档案", "precedent": "范文"}


def _show_text(data: dict[str, Any]) -> str:
    source = _SOURCES.get(data["source"], data["source"])
    lines = [f"文种：{data['genre']}（样式：{data['variant']}；来源：{source}；档案 {data['documents']} 篇）",
             f"标题格式：{data.get('title_pattern') or '（自行填写）'}", "结构："]
    lines += ["  " + " → ".join(o["part"] for o in data["outline"])]
    lines.append("固定用语：")
    lines += [f"  {f['text']}（{_SOURCES.get(f['source'], f['source'])}，{f['support']} 篇，{f['position']}）"
              for f in data["fixed"]]
    lines.append("栏目：")
    for s in data["slots"]:
        need = "" if s.get("required", True) else "，可不填"
        lines.append(f"  {s['name']}［{s['kind']}{need}］ {s.get('hint', '')} 例：{'；'.join(s['examples'][:2])}")
    if len(data.get("variants") or []) > 1:
        lines.append("样式：" + "、".join(v["name"] for v in data["variants"]))
    return "\n".join(lines)


def run_list(args: argparse.Namespace) -> int:
    found = archive(args).template_genres()
    lines = [f"{g['genre']}\t{_SOURCES.get(g['source'], g['source'])}\t档案 {g['documents']} 篇" for g in found]
    emit(args, {"genres": found}, "\n".join(lines))
    return EXIT_OK


def _values(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``--set`` pairs; a key given more than once is a list (the items of a list slot)."""
    values: dict[str, Any] = {}
    for key, value in pairs:
        if key in values:
            previous = values[key]
            values[key] = (previous if isinstance(previous, list) else [previous]) + [value]
        else:
            values[key] = value
    return values


def run_draft(args: argparse.Namespace) -> int:
    try:
        result = archive(args).draft(args.genre, _values(args.values), args.output, variant=args.variant,
                                     like=args.like)
    except KeyError as error:
        return fail(args, error.args[0], EXIT_PARTIAL)
    except OSError as error:
        return fail(args, f"{args.output}：无法写入（{error.strerror or error}）", EXIT_PARTIAL)
    for message in result["warnings"]:
        warn(message)
    text = f"已起草：{result['path']}"
    if result.get("precedents"):
        text += "\n最相近的范文：" + "；".join(f"{p['title']}（{p['id'][:10]}）" for p in result["precedents"])
    emit(args, result, text)
    return EXIT_OK


def run_phrases(args: argparse.Namespace) -> int:
    try:
        data = archive(args).phrases(args.genre, args.position)
    except KeyError as error:
        return fail(args, error.args[0], EXIT_PARTIAL)
    except ValueError as error:
        return fail(args, f"用法错误：{error}", EXIT_USAGE)
    lines = [f"[{p['position']}] {p['text']}（{p['documents']} 篇，{p['count']} 次）" for p in data["phrases"]]
    emit(args, data, "\n".join(lines) or "没有常用语")
    return EXIT_OK
