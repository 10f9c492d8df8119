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
    b = actions.add_parser("build", parents=[parent], help="为每个至少有3篇文档的文种生成模板")
    b.add_argument("--genre", default=None, help="只生成这个文种的模板")
    b.set_defaults(handler=run_build)
    s = actions.add_parser("show", parents=[parent], help="显示文种模板（结构、固定用语、栏目）")
    s.add_argument("genre", metavar="G")
    s.set_defaults(handler=run_show)

    d = sub.add_parser("draft", parents=[parent], help="按模板起草 GB/T 9704 格式的 .docx")
    d.add_argument("genre", metavar="G")
    d.add_argument("--set", dest="values", action="append", default=[], metavar="KEY=VALUE",
                   type=assignment,
                   help="填写栏目（可重复），如 --set 标题=…")
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
        data = archive(args).template(args.genre)
    except KeyError as error:
        return fail(args, error.args[0], EXIT_PARTIAL)
    emit(args, data, _show_text(data))
    return EXIT_OK


def _show_text(data: dict[str, Any]) -> str:
    lines = [f"文种：{data['genre']}（{data['documents']} 篇）", "结构："]
    lines += [f"  {o['part']}（{o['documents']} 篇）" for o in data["outline"]]
    lines.append("固定用语：")
    lines += [f"  {f['text']}（{f['support']} 篇，{f['position']}）" for f in data["fixed"]]
    lines.append("栏目：")
    lines += [f"  {s['name']}［{s['kind']}］ 例：{'；'.join(s['examples'][:2])}" for s in data["slots"]]
    return "\n".join(lines)


def run_draft(args: argparse.Namespace) -> int:
    try:
        result = archive(args).draft(args.genre, dict(args.values), args.output)
    except KeyError as error:
        return fail(args, error.args[0], EXIT_PARTIAL)
    except OSError as error:
        return fail(args, f"{args.output}：无法写入（{error.strerror or error}）", EXIT_PARTIAL)
    for message in result["warnings"]:
        warn(message)
    emit(args, result, f"已起草：{result['path']}")
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
