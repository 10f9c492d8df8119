"""Fixtures shared by every test module."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = PROJECT.parent / "shared" / "corpus"
SAMPLE_CORPUS = PROJECT / "corpus"


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """../shared/corpus (real public documents); tests needing it skip when it is absent."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent: real-document tests need the shared corpus")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def sample_corpus() -> Path:
    """The project's own sample corpus (sources plus corpus/generated from corpus/build.py)."""
    return SAMPLE_CORPUS


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A fresh, empty archive home."""
    path = tmp_path / "home"
    path.mkdir()
    return path
