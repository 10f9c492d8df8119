"""Replay every input the fuzzer found that once escaped a reader as a raw library exception.

Through ``read`` each must parse or raise ParseError; through its backend alone it must
raise ParseError too, with a specific reason (not the catch-all "读取失败" of ``read``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import formats
from pipeline.formats.sniff import detect
from pipeline.model import ParseError, RawDocument

CRASHERS = sorted((Path(__file__).parent / "crashers").glob("*.*"))


@pytest.mark.parametrize("path", CRASHERS, ids=[p.name for p in CRASHERS])
def test_crasher_is_handled(path: Path) -> None:
    try:
        result = formats.read(path)
    except ParseError as error:
        assert error.reason and error.path == str(path)
    else:
        assert isinstance(result, RawDocument)


@pytest.mark.parametrize("path", CRASHERS, ids=[p.name for p in CRASHERS])
def test_crasher_is_handled_by_its_backend(path: Path) -> None:
    try:
        backend = formats.backend_for(detect(str(path)).format, str(path))
        backend.read(str(path))
    except ParseError as error:
        assert not error.reason.startswith("读取失败"), error.reason
        assert "损坏" in error.reason or "不完整" in error.reason


def test_crashers_are_kept() -> None:
    assert len(CRASHERS) >= 6, "tests/fuzz/crashers/ holds the inputs found by fuzzing"
