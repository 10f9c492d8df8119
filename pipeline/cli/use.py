"""The command line's own lines in the use record: it acts as the machine's operator, under
the OS user, so that what was searched, read, exported or changed from a terminal is on record
as much as what was done in a browser."""

from __future__ import annotations

import argparse
import getpass
import os
import re
import shlex
import sqlite3

from pipeline.cli.common import archive, warn

UNRECORDED = {"parse", "classify"}  # they read the files given, not the archive
ACTION_OF = {  # command → the action it is (pipeline.office.permissions)
    "search": "search", "show": "read", "edit": "edit", "ingest": "ingest", "verify": "verify",
    "catalog": "export", "excerpts": "yearbook", "stats": "yearbook", "chronicle": "yearbook",
    "templates": "draft", "draft": "draft", "phrases": "draft", "audit": "audit",
    "users": "accounts",
}
OWN_LABELS = {"serve": "启动网页服务"}


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container)
        return f"uid{os.getuid()}"


OUTCOMES = {0: "成功", 1: "部分失败", 2: "用法错误"}
_NEEDS_QUOTES = re.compile(r"[\s'\"\\$`;&|<>]")


def command_line(argv: list[str]) -> str:
    return " ".join(shlex.quote(a) if not a or _NEEDS_QUOTES.search(a) else a for a in argv)


def record_command(args: argparse.Namespace, argv: list[str], status: int | None) -> None:
    """Append one row for this command once it ended (``status`` None: it raised, and is on
    record all the same). A home whose catalog cannot be written gets a warning, not a refusal."""
    if args.command in UNRECORDED:
        return
    from pipeline.office.audit import CLI, Use
    from pipeline.office.permissions import label

    action = ACTION_OF.get(args.command)
    if args.command == "users" and getattr(args, "action", None) in ("grant", "revoke"):
        action = "grants"
    text = label(action) if action else OWN_LABELS.get(args.command, args.command)
    use = Use(user=os_user(), action=text, target=command_line(argv), address="本机", channel=CLI,
              purpose=getattr(args, "purpose", None),
              outcome="出错" if status is None else OUTCOMES.get(status, f"退出码 {status}"))
    try:
        archive(args).use_record.append([use])
    except (sqlite3.Error, OSError) as err:
        warn(f"警告：无法写入利用记录（{err}）")
