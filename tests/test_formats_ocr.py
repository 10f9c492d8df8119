"""OCR: image-only PDFs and page images made from a LibreOffice-rendered GB/T 9704 document."""

from __future__ import annotations

import difflib
import socket
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from pipeline.formats import ocr
from pipeline.formats.image import ImageBackend, read_image
from pipeline.formats.pdf import read_pdf
from pipeline.model import ParseError
from tests.test_formats_pdf import DOC_NUMBER, ORGAN, TITLE, soffice_to_pdf, write_gbt_docx

SCAN_DPI = 150


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, "".join(a.split()), "".join(b.split())).ratio()


def best_match(texts: list[str], wanted: str) -> float:
    return max((similarity(text, wanted) for text in texts), default=0.0)


@pytest.fixture(scope="module")
def page_image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Page 1 of the GB/T document rendered at 150 dpi in colour, cut to its upper part.

    The upper 45 % holds the organ mark, 文号, title and the first paragraph: enough to check
    recognition while keeping OCR time low on a shared machine.
    """
    folder = tmp_path_factory.mktemp("scan")
    source = folder / "notice.docx"
    write_gbt_docx(source)
    pdf = soffice_to_pdf(source, folder)
    subprocess.run(
        ["pdftoppm", "-r", str(SCAN_DPI), "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(folder / "page")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    page = Image.open(folder / "page.png").convert("RGB")
    upper = page.crop((0, 0, page.width, int(page.height * 0.45)))
    path = folder / "upper.png"
    upper.save(path, dpi=(SCAN_DPI, SCAN_DPI))
    return path


@pytest.mark.slow
def test_scanned_pdf_is_ocrd(page_image: Path, tmp_path: Path) -> None:
    scanned = tmp_path / "scanned.pdf"
    Image.open(page_image).convert("L").save(scanned, "PDF", resolution=SCAN_DPI)
    raw = read_pdf(str(scanned))
    assert raw.ocr and raw.pages == 1
    texts = [b.text for b in raw.blocks]
    assert best_match(texts, ORGAN) >= 0.85
    assert best_match(texts, TITLE) >= 0.85
    assert best_match(texts, DOC_NUMBER) >= 0.8
    assert all(b.page == 1 for b in raw.blocks)


@pytest.mark.slow
def test_image_is_ocrd_with_style_hints(page_image: Path) -> None:
    raw = ImageBackend().read(str(page_image))
    assert raw.format == "image" and raw.ocr and raw.pages == 1
    organ = max(raw.blocks, key=lambda b: similarity(b.text, ORGAN))
    number = max(raw.blocks, key=lambda b: similarity(b.text, DOC_NUMBER))
    assert similarity(organ.text, ORGAN) >= 0.85
    assert organ.is_red, organ.color  # the red 发文机关标志 survives as a colour hint
    assert not number.is_red
    # 22 pt organ mark vs 16 pt 文号: the sizes read off the boxes keep them apart.
    assert organ.size is not None and number.size is not None
    assert organ.size > number.size + 3
    assert organ.align == "center"


@pytest.mark.slow
def test_multipage_tiff_gives_one_page_per_frame(page_image: Path, tmp_path: Path) -> None:
    page = Image.open(page_image)
    strips = [
        page.crop((0, int(page.height * f), page.width, int(page.height * (f + 0.25))))
        for f in (0.1, 0.45)
    ]
    tiff = tmp_path / "two.tif"
    strips[0].save(tiff, save_all=True, append_images=strips[1:], dpi=(SCAN_DPI, SCAN_DPI))
    raw = read_image(str(tiff))
    assert raw.pages == 2
    assert {b.page for b in raw.blocks} == {1, 2}


@pytest.mark.slow
def test_tesseract_fallback_reads_chinese(
    page_image: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not ocr.tesseract_available():
        pytest.skip("tesseract is not installed")
    monkeypatch.setattr(ocr, "rapid_engine", lambda: None)  # as if rapidocr were not importable
    page = Image.open(page_image)
    header_strip = page.crop((0, int(page.height * 0.2), page.width, int(page.height * 0.5)))
    lines = ocr.ocr_image(header_strip, dpi=SCAN_DPI)
    assert best_match([line.text for line in lines], ORGAN) >= 0.8


def test_rapidocr_models_ship_in_the_wheel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Creating the engine must not touch the network: the ONNX models are inside the package."""
    rapidocr = pytest.importorskip("rapidocr_onnxruntime")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("RapidOCR tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    models = Path(rapidocr.__file__).parent / "models"
    assert sorted(p.suffix for p in models.iterdir() if p.suffix == ".onnx")
    engine = rapidocr.RapidOCR(use_cls=False, intra_op_num_threads=1)
    blank = Image.new("RGB", (64, 64), "white")
    result, _ = engine(__import__("numpy").asarray(blank))
    assert not result


def test_broken_images_are_clear_errors(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.png"
    garbage.write_bytes(b"not an image at all" * 10)
    with pytest.raises(ParseError) as caught:
        read_image(str(garbage))
    assert caught.value.path == str(garbage) and "图片" in caught.value.reason

    whole = tmp_path / "whole.png"
    Image.new("RGB", (400, 300), "white").save(whole)
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(whole.read_bytes()[:200])
    with pytest.raises(ParseError) as caught:
        read_image(str(truncated))
    assert "图片" in caught.value.reason


def test_blank_image_has_no_blocks_and_says_so(tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    Image.new("RGB", (600, 400), "white").save(blank)
    raw = read_image(str(blank))
    assert raw.blocks == [] and raw.warnings


def test_size_estimate_prefers_glyph_width_for_cjk() -> None:
    # Ten 16 pt CJK glyphs in a 160 pt wide, padded 22 pt high box.
    assert ocr.estimate_size("关于开展代表履职培训", 160, 22) == 16
    assert ocr.estimate_size("ABC 123", 60, 16) == 16


def test_boxes_on_one_line_are_merged_left_to_right() -> None:
    boxes = [
        (270, 102, 400, 130, "123456578"),
        (100, 100, 160, 128, "电"),
        (200, 101, 260, 129, "话："),
    ]
    merged = ocr._merge_into_lines(boxes + [(100, 160, 300, 188, "第二行")])
    assert [m[4] for m in merged] == ["电 话：123456578", "第二行"]


@pytest.mark.slow
def test_sideways_scan_is_turned_upright(page_image: Path, tmp_path: Path) -> None:
    if not ocr.tesseract_available():
        pytest.skip("orientation detection uses tesseract OSD")
    sideways = tmp_path / "sideways.png"
    Image.open(page_image).rotate(90, expand=True).save(sideways, dpi=(SCAN_DPI, SCAN_DPI))
    raw = read_image(str(sideways))
    assert best_match([b.text for b in raw.blocks], ORGAN) >= 0.85


def test_pixel_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    """A small file that declares a huge canvas is refused without decoding it."""
    bomb = tmp_path / "bomb.png"
    Image.new("1", (12_000, 12_000)).save(bomb)  # 144 M pixels, a few KB on disk
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ParseError) as caught:
        read_image(str(bomb))
    assert "像素过多" in caught.value.reason or "过大" in caught.value.reason


@pytest.mark.slow
def test_scan_with_a_stamped_page_number_is_still_ocrd(page_image: Path, tmp_path: Path) -> None:
    """Archives stamp page numbers as real text onto scans; the body is only in the image."""
    from pypdf import PdfReader, PdfWriter

    from tests.test_formats_pdf import _watermark_pdf

    scanned = tmp_path / "scanned.pdf"
    Image.open(page_image).convert("L").save(scanned, "PDF", resolution=SCAN_DPI)
    reader = PdfReader(str(scanned))
    box = reader.pages[0].mediabox
    stamp_pdf = _watermark_pdf(
        tmp_path / "stamp.pdf", float(box.width), float(box.height), level=True
    )
    writer = PdfWriter(clone_from=reader)
    writer.pages[0].merge_page(PdfReader(str(stamp_pdf)).pages[0])
    stamped = tmp_path / "stamped.pdf"
    with stamped.open("wb") as stream:
        writer.write(stream)
    raw = read_pdf(str(stamped))
    assert raw.ocr
    assert best_match([b.text for b in raw.blocks], ORGAN) >= 0.85
