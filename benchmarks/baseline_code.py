"""Run a benchmark's own measurement with the ``pipeline`` package of an earlier commit, so that a
benchmark shows before and after in the same run.

A script that takes ``--code DIR`` imports ``pipeline`` from ``DIR`` (``code_dir`` reads the flag
before anything is imported); ``measure_with(rev, script, args)`` extracts ``pipeline/`` of
commit ``rev`` (``git archive``) into a temporary folder, runs ``script --code DIR --numbers
FILE args`` and returns what it wrote to FILE (JSON).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]


def code_dir(default: Path = PROJECT) -> Path:
    """The folder ``--code`` names on the command line, else ``default`` (this checkout)."""
    if "--code" in sys.argv:
        return Path(sys.argv[sys.argv.index("--code") + 1]).resolve()
    return default


def measure_with(rev: str, script: Path, args: list[str]) -> dict[str, Any]:
    """The numbers ``script`` measures with the ``pipeline`` package of commit ``rev``."""
    with tempfile.TemporaryDirectory(prefix="gongwen-baseline-") as tmp:
        archive = subprocess.run(["git", "-C", str(PROJECT), "archive", rev, "pipeline"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        out = Path(tmp) / "numbers.json"
        env = {**os.environ, "PYTHONPATH": tmp}
        subprocess.run([sys.executable, str(script), "--code", tmp, "--numbers", str(out), *args],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        return json.loads(out.read_text(encoding="utf-8"))
