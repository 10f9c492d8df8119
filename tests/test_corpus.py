"""The sample corpus: sources load as gold documents, cover the genres, and were generated."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.layout.gbt9704 import render_text
from pipeline.layout.source import KNOWN_FORMATS, REQUIRED_KEYS, load_source
from pipeline.model import ParseError

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SOURCES = sorted((CORPUS / "sources").glob("*.txt"))
GENERATED = CORPUS / "generated"
# Every contract label a district people's congress office produces (命令 and the catch-all 其他 excepted).
APPLICABLE_GENRES = ["决议", "决定", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要", "审议意见", "讲话稿", "工作总结", "工作计划", "调研报告", "简报", "建议答复", "任免", "法规"]
EXT = {"scan-pdf": "pdf", "png": "png", "html": "html", "pdf": "pdf", "doc": "doc", "wps": "wps", "docx": "docx"}


def loaded() -> list[tuple[Path, object, object]]:
    return [(path, *load_source(path)) for path in SOURCES]


def mine() -> list[tuple[Path, object, object]]:
    return [item for item in loaded() if 1 <= int(item[0].name[:3]) <= 29]


def test_at_least_sixty_sources_load():
    assert len(loaded()) >= 60


def test_genres_cover_the_contract():
    counts = Counter(doc.genre for _, doc, _ in loaded())
    missing = [g for g in APPLICABLE_GENRES if not counts[g]]
    assert not missing, f"no sample of {missing}"
    for genre in ("讲话稿", "纪要", "审议意见"):
        assert counts[genre] >= 6, (genre, counts[genre])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_source_is_complete(path: Path):
    text = path.read_text(encoding="utf-8")
    front = text.split("---")[1]
    keys = {line.split(":")[0].strip() for line in front.splitlines() if ":" in line}
    assert set(REQUIRED_KEYS) <= keys
    doc, options = load_source(path)
    assert re.fullmatch(r"\d{3}_[a-z0-9_]+", path.stem)
    assert set(options.formats) <= set(KNOWN_FORMATS)
    assert doc.title and doc.paragraphs and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.date)
    assert 2008 <= int(doc.date[:4]) <= 2025
    if doc.doc_number:
        assert re.fullmatch(r"\S+〔\d{4}〕[1-9]\d*号", doc.doc_number), doc.doc_number
    if options.layout in ("standard", "letter"):
        assert doc.issuer
    length = len(render_text(doc, **options.render_kwargs()))
    assert 200 <= length <= 2500, length


def test_first_29_meet_the_brief():
    items = mine()
    assert len(items) == 29
    genres = Counter(doc.genre for _, doc, _ in items)
    assert genres["审议意见"] >= 6 and genres["纪要"] >= 3 and genres["讲话稿"] >= 3
    for genre in ["决议", "决定", "任免", "通知", "请示", "报告", "批复", "函", "工作总结", "工作计划", "调研报告", "简报", "建议答复", "意见", "通报", "公告", "议案"]:
        assert genres[genre] >= 1, genre
    formats = Counter(f for _, _, options in items for f in options.formats)
    assert formats["docx"] == 29 and formats["doc"] >= 8 and formats["wps"] >= 2 and formats["txt-gb18030"] >= 8
    assert formats["scan-pdf"] == 2 and formats["png"] == 1 and 10 <= formats["pdf"] <= 22
    assert formats["txt-utf16"] and formats["txt-big5"] and formats["html"]
    assert any(o.date_style == "chinese" and d.keywords and d.date < "2012" for _, d, o in items)
    assert sum(len(o.organ_mark) > 1 for _, _, o in items) >= 1
    assert sum(bool(d.secrecy) and d.secrecy.level == "秘密" for _, d, _ in items) == 1
    assert sum(d.restricted == "内部资料" for _, d, _ in items) == 1
    assert sum(bool(o.doc_number_as_typed) for _, _, o in items) == 2
    assert any(d.adoption_note and d.genre == "决议" for _, d, _ in items)
    assert any(d.signer and d.genre == "请示" for _, d, _ in items)
    assert any("第" in (o.issue or "") and d.genre == "简报" for _, d, o in items)


def test_bad_source_gets_a_chinese_reason(tmp_path: Path):
    broken = tmp_path / "900_broken.txt"
    broken.write_text("---\ngenre: 通知\nlayout: standard\n---\n正文\n", encoding="utf-8")
    with pytest.raises(ParseError) as error:
        load_source(broken)
    assert "缺少必填项" in error.value.reason and "title" in error.value.reason
    (tmp_path / "901_nofront.txt").write_text("正文\n", encoding="utf-8")
    with pytest.raises(ParseError, match="元数据块"):
        load_source(tmp_path / "901_nofront.txt")


def test_speech_lines_become_fields():
    speeches = [(d, o) for _, d, o in loaded() if d.genre == "讲话稿"]
    for doc, _ in speeches:
        assert not re.match(r"^（\d{4}年", doc.paragraphs[0]), doc.title
        assert doc.signature


needs_build = pytest.mark.skipif(not GENERATED.is_dir(), reason="corpus/generated 不存在：先运行 corpus/build.py")


@needs_build
@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_generated_outputs_exist(path: Path):
    _, options = load_source(path)
    for fmt in options.formats:
        target = GENERATED / fmt / f"{path.stem}.{EXT.get(fmt, 'txt')}"
        assert target.exists() and target.stat().st_size > 0, target


@needs_build
def test_encodings_and_generated_files():
    for fmt, encoding in (("txt-gb18030", "gb18030"), ("txt-utf16", "utf-16"), ("txt-utf8", "utf-8")):
        for path in (GENERATED / fmt).glob("0[0-2]*.txt"):
            doc, _ = load_source(CORPUS / "sources" / path.name)
            assert doc.title in path.read_bytes().decode(encoding)
    import zhconv

    for path in (GENERATED / "txt-big5").glob("0[0-2]*.txt"):
        doc, _ = load_source(CORPUS / "sources" / path.name)
        text = path.read_bytes().decode("big5")
        assert zhconv.convert(doc.title, "zh-tw") in text and "?" not in text
    for path in (GENERATED / "wps").glob("*.wps"):
        assert path.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # OLE2 Word file
    import pdfplumber

    for path in (GENERATED / "scan-pdf").glob("*.pdf"):
        with pdfplumber.open(path) as pdf:
            assert pdf.pages and all(not page.chars and page.images for page in pdf.pages)


@needs_build
def test_bad_inputs_are_bad():
    import zipfile

    bad = GENERATED / "bad"
    assert (bad / "empty.docx").stat().st_size == 0
    assert (bad / "png_named.pdf").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (bad / "truncated.pdf").read_bytes().rstrip().endswith(b"%%EOF")
    from pypdf import PdfReader

    assert PdfReader(str(bad / "encrypted.pdf")).is_encrypted
    with zipfile.ZipFile(bad / "zip_bomb.docx") as bomb:
        unpacked = sum(i.file_size for i in bomb.infolist())
    assert unpacked / (bad / "zip_bomb.docx").stat().st_size > 200


def test_build_if_missing_is_a_no_op_the_second_time(tmp_path: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    stem = "021_gongzuo_zongjie"  # docx and text outputs only: no LibreOffice needed
    first = build.build(only=["021"], if_missing=True, root=tmp_path)
    assert first["built"] == 1
    assert (tmp_path / "docx" / f"{stem}.docx").exists()
    assert (tmp_path / "txt-utf16" / f"{stem}.txt").read_bytes()[:2] == b"\xff\xfe"
    assert (tmp_path / "bad" / "zip_bomb.docx").exists()
    assert build.build(only=["021"], if_missing=True, root=tmp_path)["built"] == 0
    assert build.build(only=["021"], if_missing=False, root=tmp_path)["built"] == 1
    stale = tmp_path / "docx" / "999_renamed_away.docx"
    stale.write_bytes(b"old")
    build._prune_stale(tmp_path, {stem})
    assert not stale.exists() and (tmp_path / "docx" / f"{stem}.docx").exists()
