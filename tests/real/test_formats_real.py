"""Every file under ../shared/corpus/formats parses or fails with a stated reason.

Run with ``-s`` to see the table (path, outcome, reason or number of characters).
PDF and image cases need the pdf/image backends; while those modules are absent the
cases are skipped with that reason.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipeline import formats
from pipeline.formats.sniff import detect
from pipeline.model import ParseError, RawDocument
from tests.conftest import SHARED_CORPUS

FORMATS_DIR = SHARED_CORPUS / "formats"
REPORTS_DIR = SHARED_CORPUS / "work_reports" / "provincial_2025" / "docx"
FILES = sorted(p for p in FORMATS_DIR.rglob("*") if p.is_file()) if FORMATS_DIR.is_dir() else []
REPORTS = sorted(REPORTS_DIR.glob("*.docx")) if REPORTS_DIR.is_dir() else []

# Files known not to carry extractable text, and why.
EXPECTED_FAILURES = {"ofdrw_h.ofd": "未提取到任何文字"}  # five pages of drawn shapes and seals only
# Text each parity-set file must yield (the same layout saved in several formats).
MUST_CONTAIN = {"test": "放假的通知", "master_template": "测试公文标题"}

RESULTS: dict[str, tuple[str, str]] = {}


def _needs_other_backend(path: Path) -> str | None:
    try:
        fmt = detect(str(path)).format
    except ParseError:
        return None
    module = {"pdf": "pipeline.formats.pdf", "image": "pipeline.formats.image"}.get(fmt)
    if module and importlib.util.find_spec(module) is None:
        return f"{module} is not there yet (that backend is not installed)"
    return None


_READS: dict[Path, RawDocument | ParseError] = {}


def _read(path: Path) -> RawDocument | ParseError:
    """Each file is read once per session (LibreOffice and OCR are slow)."""
    if path not in _READS:
        try:
            _READS[path] = formats.read(path)
        except ParseError as error:
            _READS[path] = error
    return _READS[path]


def _param(path: Path):
    slow = path.suffix.lower() in (".pdf", ".png", ".doc", ".wps")  # OCR and LibreOffice
    return pytest.param(
        path, id=str(path.relative_to(FORMATS_DIR)), marks=[pytest.mark.slow] if slow else []
    )


@pytest.mark.parametrize("path", [_param(p) for p in FILES])
def test_formats_file_parses_or_states_reason(shared_corpus: Path, path: Path) -> None:
    name = str(path.relative_to(FORMATS_DIR))
    missing = _needs_other_backend(path)
    if missing:
        RESULTS[name] = ("skipped", missing)
        pytest.skip(missing)
    result = _read(path)
    if isinstance(result, ParseError):
        RESULTS[name] = ("failed", result.reason)
    else:
        size = f"{len(result.text)} chars, {len(result.blocks)} blocks, pages={result.pages}"
        RESULTS[name] = ("parsed", f"{result.format}, {size}")
    expected_reason = EXPECTED_FAILURES.get(path.name)
    if expected_reason:
        assert isinstance(result, ParseError) and expected_reason in result.reason
        return
    assert isinstance(result, RawDocument), result
    assert result.text.strip()
    if (
        path.parent.name == "format_parity_set"
        and path.stem in MUST_CONTAIN
        and path.suffix not in (".pdf", ".png")
    ):
        assert MUST_CONTAIN[path.stem] in result.text.replace(" ", "")


@pytest.mark.slow
def test_parity_set_red_organ_mark_survives_every_format(shared_corpus: Path) -> None:
    folder = FORMATS_DIR / "format_parity_set"
    for suffix in (".docx", ".doc", ".wps", ".ofd"):
        raw = _read(folder / f"test{suffix}")
        assert isinstance(raw, RawDocument), raw
        mark = next(b for b in raw.blocks if b.kind == "para")
        assert mark.is_red and mark.size and mark.size >= 30, (suffix, mark)


def test_gbt9704_template_headings_get_their_automatic_numbers(shared_corpus: Path) -> None:
    raw = _read(FORMATS_DIR / "docx_templates" / "GongWen-Tamplate-Lite_template.dotx")
    assert isinstance(raw, RawDocument), raw
    texts = [b.text for b in raw.blocks]
    assert "一、一级标题a" in texts and "十一、一级标题k" in texts
    assert "（一）二级标题a" in texts


@pytest.mark.parametrize("path", REPORTS, ids=[p.stem for p in REPORTS])
def test_provincial_work_report_docx(shared_corpus: Path, path: Path) -> None:
    raw = formats.read(path)
    assert raw.format == "docx" and len(raw.text) > 5000
    opening = "".join(b.text for b in raw.blocks[:8] if b.kind == "para").replace(" ", "")
    assert "政府工作报告" in opening or "工作报告" in opening, opening[:200]


def test_provincial_reports_are_all_there(shared_corpus: Path) -> None:
    assert len(REPORTS) == 31


def test_zz_print_table(shared_corpus: Path) -> None:
    """Print the outcome table collected above (runs last in this module)."""
    width = max((len(k) for k in RESULTS), default=10)
    print("\n" + "path".ljust(width), "outcome ", "reason / size")
    for name, (outcome, detail) in sorted(RESULTS.items()):
        print(name.ljust(width), outcome.ljust(8), detail)
