"""The limits module on its own: environment overrides, the SIGALRM timer, threads."""

from __future__ import annotations

import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pipeline import formats
from pipeline.formats import limits
from tests.fuzz.samples import make_text


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GONGWEN_MAX_FILE_MB", "GONGWEN_READ_TIMEOUT", "GONGWEN_CONVERT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    default = limits.current()
    assert default.max_file_bytes == 200 * limits.MB and default.read_timeout == 120
    assert default.max_unzipped_bytes == 300 * limits.MB
    monkeypatch.setenv("GONGWEN_READ_TIMEOUT", "7.5")
    monkeypatch.setenv("GONGWEN_MAX_FILE_MB", "not a number")  # ignored, default kept
    assert limits.current().read_timeout == 7.5
    assert limits.current().max_file_bytes == 200 * limits.MB


def test_time_limit_interrupts_python_code() -> None:
    started = time.monotonic()
    with pytest.raises(limits.ReadTimeout), limits.time_limit(0.05):
        while True:
            sum(range(1000))
    assert time.monotonic() - started < 2
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_nested_time_limit_restores_outer_timer() -> None:
    with limits.time_limit(30):
        with limits.time_limit(5):
            pass
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < remaining <= 30
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_read_works_off_the_main_thread(tmp_path: Path) -> None:
    """No SIGALRM there (web workers, thread pools): read still works, just unbounded."""
    path = make_text(tmp_path / "a.txt")
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(formats.read, [path, path]))
    assert [r.format for r in results] == ["txt", "txt"]
