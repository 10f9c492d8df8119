"""Helpers every command module shares: output, exit codes, the archive from --home."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


def emit(args: argparse.Namespace, data: Any, text: str | None = None) -> None:
    """Print exactly one JSON document with --json, else ``text`` (or pretty JSON)."""
    if args.json or text is None:
        print_json(data, indent=None if args.json else 2)
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")


def fail(args: argparse.Namespace, message: str, code: int) -> int:
    """Report a failure: ``message`` on stderr and, with --json, ``{"error": message}`` on stdout
    (a --json caller always gets exactly one JSON document). Returns ``code``."""
    warn(message)
    if getattr(args, "json", False):
        print_json({"error": message})
    return code


def print_json(data: Any, indent: int | None = None) -> None:
    """One JSON document on stdout (Chinese as it is, not escaped)."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=indent)
    sys.stdout.write("\n")


def warn(message: str) -> None:
    """A message for the user on stderr (Chinese)."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def each_file(paths: Iterable[str], read: Callable[[str], dict[str, Any]], failure: str
              ) -> tuple[list[dict[str, Any]], bool]:
    """``read`` every file; a file that cannot be read is warned about (``failure``: 解析失败 …),
    kept in the results as ``{"path", "error"}`` and the batch goes on. Returns (results, any failed)."""
    from pipeline.model import ParseError

    results: list[dict[str, Any]] = []
    failed = False
    for path in paths:
        try:
            results.append(read(path))
        except ParseError as err:
            failed = True
            warn(f"{failure}：{err.path}：{err.reason}")
            results.append({"path": path, "error": err.reason})
    return results, failed


def archive(args: argparse.Namespace):
    from pipeline.facade import Archive

    return Archive(args.home, database=getattr(args, "db", None))


def database_option(text: str) -> str:
    """An argparse type for ``--db URL`` (one no backend serves is a usage error, exit 2)."""
    from pipeline.storage import database_url

    try:
        return database_url(text) or ""
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def assignment(text: str) -> tuple[str, str]:
    """An argparse type for ``--set KEY=VALUE`` (a bad one is a usage error, exit 2)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"--set 应写成 键=值：{text}")
    return key.strip(), value


def positive_int(text: str) -> int:
    """An argparse type: a whole number ≥ 1 (a bad one is a usage error, exit 2)."""
    value = non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return value


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number ≥ 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数：{text}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"不能为负数：{text}")
    return value


def iso_date(text: str) -> str:
    """An argparse type: a calendar date written YYYY-MM-DD (a bad one is a usage error)."""
    import datetime

    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None
