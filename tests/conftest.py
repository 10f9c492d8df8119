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


WEB_SAMPLE = (  # real files of the sample corpus: two genres, a classified copy, a bad file
    "docx/001_shenyi_minsheng.docx", "docx/007_zhuren_huiyi_jiyao.docx",
    "docx/013_jueyi_jihua.docx", "docx/018_baogao_xinfang.docx",
    "txt-utf8/046_helin_minsheng_jiandu_shenyi_yijian.txt", "bad/empty.docx",
)


@pytest.fixture(scope="session")
def web_home(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> Path:
    """An archive home holding WEB_SAMPLE, ingested once for the web tests."""
    import shutil

    from pipeline import Archive

    source = tmp_path_factory.mktemp("web-source")
    for name in WEB_SAMPLE:
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(sample_corpus / "generated" / name, target)
    home = tmp_path_factory.mktemp("web-home")
    summary = Archive(home).ingest([source], workers=2, progress=False)
    assert summary["added"] == 4 and len(summary["quarantined"]) == 1, summary
    return home


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright (the browser tests; skipped without either)."""
    import shutil

    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (make system-packages installs it)")
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()
