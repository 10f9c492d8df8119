"""``gongwen`` entry point: global options, then one sub-command module per stage."""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from typing import Any

from pipeline.cli.common import EXIT_USAGE, database_option, print_json
from pipeline.cli.use import record_command
from pipeline.home import DEFAULT_HOME, HOME_VARIABLE

# Each module defines ``register(subparsers, parent)``; order is the order of ``--help``.
COMMAND_MODULES = (
    "pipeline.cli.parse_cmd",
    "pipeline.cli.archive_cmds",
    "pipeline.cli.classify_cmds",
    "pipeline.cli.template_cmds",
    "pipeline.cli.check_cmd",
    "pipeline.cli.yearbook_cmds",
    "pipeline.cli.web_cmd",
    "pipeline.cli.office_cmds",
    "pipeline.cli.storage_cmds",
)


class UsageError(SystemExit):
    """A command line the parser rejects (exit 2), with its Chinese message."""

    def __init__(self, message: str):
        super().__init__(EXIT_USAGE)
        self.message = message


# argparse's own messages are English (Python ships no Chinese catalogue for them): the ones a
# user meets, in Chinese; a type's own error (ours are Chinese already) is kept as it is.
_TYPE_NAMES = {"int": "整数", "float": "数字"}
_ARGPARSE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.+)"), "缺少参数：{0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"), "参数 {0} 的取值 {1} 无效（可选：{2}）"),
    (re.compile(r"argument (\S+): invalid (\w+) value: (.+)"), "参数 {0} 的值 {2} 无效（应为{1}）"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 需要一个值"),
    (re.compile(r"argument (\S+): (.+)"), "参数 {0}：{1}"),
)


def chinese_usage_error(message: str) -> str:
    for pattern, template in _ARGPARSE_MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            return template.format(*(_TYPE_NAMES.get(g, g) for g in match.groups()))
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        # prefix "" is argparse computing a sub-command's name, not a usage line
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in Chinese: usage, section titles, -h and the usage errors (exit 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help, parents = kwargs.pop("add_help", True), kwargs.pop("parents", [])
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = "位置参数", "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示帮助并退出")
        for parent in parents:  # after the titles, so that the parents' options join ours
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)

    def error(self, message: str) -> None:  # usage errors exit 2, as the contract says
        text = f"用法错误：{chinese_usage_error(message)}"
        self.print_usage(sys.stderr)
        sys.stderr.write(text + "\n")
        raise UsageError(text)


def _global_options(defaults: bool) -> argparse.ArgumentParser:
    """--home and --json, accepted before and after the sub-command.

    The copy given to sub-commands has suppressed defaults: otherwise a sub-command's default
    would overwrite a value given before it (`gongwen --home X ingest ...`).
    """
    options = _Parser(add_help=False)
    home = os.environ.get(HOME_VARIABLE, DEFAULT_HOME) if defaults else argparse.SUPPRESS
    options.add_argument("--home", default=home,
                         help="档案库目录（环境变量 GONGWEN_HOME，默认 ./indexes）")
    options.add_argument("--db", default=None if defaults else argparse.SUPPRESS,
                         type=database_option, metavar="URL",
                         help="目录与检索所在的数据库，如 postgresql://…"
                              "（环境变量 GONGWEN_DATABASE_URL，默认用档案库目录内置的）")
    options.add_argument("--json", action="store_true",
                         default=False if defaults else argparse.SUPPRESS,
                         help="在 stdout 输出一个 JSON 文档")
    return options


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gongwen", description="公文处理：解析、归档、检索、起草",
                     parents=[_global_options(defaults=True)])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    parent = _global_options(defaults=False)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, parent)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as error:  # even then, --json gets its one JSON document
        if "--json" in (sys.argv[1:] if argv is None else argv):
            print_json({"error": error.message})
        return EXIT_USAGE
    except SystemExit as stop:  # --help (0) comes back as an exit code too
        return int(stop.code or 0)
    status: int | None = None  # None: the command raised
    try:
        status = int(args.handler(args) or 0)
        return status
    except BrokenPipeError:
        # The reader went away (`gongwen search … | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = 0
        return 0
    finally:
        record_command(args, sys.argv[1:] if argv is None else argv, status)


if __name__ == "__main__":
    raise SystemExit(main())
