"""One document written as .docx, .pdf and .txt (and .doc) parses to the same contract fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.layout.source import load_source
from pipeline.parse import parse_file

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GENERATED = CORPUS / "generated"
FIELDS = ("title", "doc_number", "issuer", "date", "recipients")
# standard 审议意见 (also .doc), speech, 决定 with adoption note, joint notice, 意见, 公告
PARITY_STEMS = ("001_shenyi_minsheng", "010_jianghua_bimuhui", "014_jueding_fazhi_xuanchuan",
                "016_tongzhi_lianhe", "026_yijian_daibiao_gongzuo", "028_gonggao")
TEXT_FORMATS = ("doc", "pdf", "txt-gb18030", "txt-utf8", "txt-utf16")

pytestmark = pytest.mark.skipif(not GENERATED.is_dir(), reason="corpus/generated 不存在：先运行 corpus/build.py")


def generated(stem: str) -> dict[str, Path]:
    """The generated files of one source that carry a text layer, by format."""
    _, options = load_source(CORPUS / "sources" / f"{stem}.txt")
    ext = {"docx": "docx", "doc": "doc", "pdf": "pdf"}
    files = {fmt: GENERATED / fmt / f"{stem}.{ext.get(fmt, 'txt')}"
             for fmt in options.formats if fmt == "docx" or fmt in TEXT_FORMATS}
    return files


def fields(path: Path) -> dict[str, object]:
    doc = parse_file(path)
    return {name: getattr(doc, name) for name in FIELDS}


@pytest.mark.parametrize("stem", PARITY_STEMS)
def test_same_fields_from_every_format(stem: str):
    files = generated(stem)
    assert "docx" in files and "pdf" in files and any(f.startswith("txt") for f in files), files
    reference = fields(files.pop("docx"))
    for fmt, path in files.items():
        assert fields(path) == reference, f"{fmt} differs from docx for {stem}"


@pytest.mark.parametrize("stem", ("001_shenyi_minsheng", "014_jueding_fazhi_xuanchuan", "026_yijian_daibiao_gongzuo"))
def test_docx_matches_the_gold(stem: str):
    gold, _ = load_source(CORPUS / "sources" / f"{stem}.txt")
    assert fields(GENERATED / "docx" / f"{stem}.docx") == {name: getattr(gold, name) for name in FIELDS}


@pytest.mark.slow
def test_scanned_pdf_reads_like_the_docx():
    """OCR of the image-only PDF recovers the same title, 文号 and date as the .docx."""
    stem = "006_shenyi_jijin"
    scanned = parse_file(GENERATED / "scan-pdf" / f"{stem}.pdf")
    reference = parse_file(GENERATED / "docx" / f"{stem}.docx")
    assert scanned.ocr
    assert (scanned.title, scanned.doc_number, scanned.date) == (reference.title, reference.doc_number,
                                                                  reference.date)
