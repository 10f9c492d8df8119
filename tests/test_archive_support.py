"""Shared helpers (no tests) for the archive tests: real .txt and .docx 公文, catalog access, CLI."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def notice_lines(n: int, topic: str = "安全生产", date: str | None = None,
                 number: str | None = None) -> list[str]:
    """A small 通知 with a distinct body and date for each ``n``."""
    date = date or f"2023年{n % 12 + 1}月{n % 28 + 1}日"
    lines = ["某某区人民代表大会常务委员会办公室"]
    if number:
        lines.append(number)
    lines += [
        f"关于做好第{n}批{topic}检查工作的通知",
        "各街道人大工委：",
        f"为做好第{n}批{topic}检查工作，现将有关事项通知如下。",
        f"一、检查范围。本次检查覆盖第{n}片区的{n * 3 + 7}家单位，重点检查{topic}责任落实情况。",
        f"二、时间安排。检查自{n % 12 + 1}月开始，为期{n % 5 + 2}周，请各单位认真准备。",
        "三、工作要求。请各单位高度重视，按时报送自查报告。",
        "某某区人民代表大会常务委员会办公室",
        date,
    ]
    return lines


def write_txt(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_docx(path: Path, lines: list[str]) -> Path:
    import docx

    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def catalog(home: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(home / "catalog.sqlite")
    conn.row_factory = sqlite3.Row
    return conn


def current_ids(home: Path) -> set[str]:
    with catalog(home) as conn:
        rows = conn.execute("SELECT id FROM documents WHERE is_current = 1 AND state = 'active'")
        return {row["id"] for row in rows}


def gongwen(*args: str, home: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the CLI in a subprocess (``python -m pipeline.cli.main``)."""
    env = dict(os.environ, GONGWEN_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "pipeline.cli.main", *args], cwd=PROJECT,
                          env=env, capture_output=True, text=True, timeout=timeout, check=False)


def sigkill_when(proc: subprocess.Popen, reached: Callable[[], bool], seconds: float = 240) -> None:
    """SIGKILL ``proc`` as soon as ``reached()`` holds (within ``seconds``: the machine may be
    busy); fails when ``proc`` ended first."""
    deadline = time.monotonic() + seconds
    while not reached() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the process ended before it could be killed: make more files"
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
