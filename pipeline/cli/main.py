"""``gongwen`` entry point: global options, then one sub-command module per stage."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from pipeline.cli.common import EXIT_USAGE

# Each module defines ``register(subparsers, parent)``; order is the order of ``--help``.
COMMAND_MODULES = (
    "pipeline.cli.parse_cmd",
    "pipeline.cli.archive_cmds",
    "pipeline.cli.classify_cmds",
    "pipeline.cli.template_cmds",
    "pipeline.cli.yearbook_cmds",
    "pipeline.cli.web_cmd",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2, as the contract says
        self.print_usage(sys.stderr)
        sys.stderr.write(f"用法错误：{message}\n")
        raise SystemExit(EXIT_USAGE)


def _global_options(defaults: bool) -> argparse.ArgumentParser:
    """--home and --json, accepted before and after the sub-command.

    The copy given to sub-commands has suppressed defaults: otherwise a sub-command's default
    would overwrite a value given before it (`gongwen --home X ingest ...`).
    """
    options = _Parser(add_help=False)
    home = os.environ.get("GONGWEN_HOME", "indexes") if defaults else argparse.SUPPRESS
    options.add_argument("--home", default=home,
                         help="archive home directory (env GONGWEN_HOME, default ./indexes)")
    options.add_argument("--json", action="store_true",
                         default=False if defaults else argparse.SUPPRESS,
                         help="print one JSON document on stdout")
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
    except SystemExit as stop:  # usage errors (2) and --help (0) come back as exit codes too
        return int(stop.code or 0)
    try:
        return int(args.handler(args) or 0)
    except BrokenPipeError:
        # The reader went away (`gongwen search … | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
