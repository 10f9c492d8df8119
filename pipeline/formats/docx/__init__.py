"""Word .docx (and .dotx/.docm) via python-docx: blocks in body order with style hints.

This module is the backend's entry point: it opens the package (``.package``), resolves styles
and list numbering (``.styles``, ``.numbering``), walks the body and then the headers and footers
into blocks (``.blocks``), and decides whether the page count can be trusted.
"""

from __future__ import annotations

from pipeline.formats.base import Backend, damaged_container
from pipeline.formats.docx.blocks import BlockReader
from pipeline.formats.docx.numbering import Numbering
from pipeline.formats.docx.package import header_footer_parts, numbering_root, open_package
from pipeline.formats.docx.styles import StyleSheet
from pipeline.formats.docx.wordml import w
from pipeline.model import Block, ParseError, RawDocument

# GB/T 9704: 22 lines x 28 characters; a longer text without any page mark cannot be 1 page.
_ONE_PAGE_CHARS = 22 * 28 * 2


def read_docx(path: str, fmt: str = "docx") -> RawDocument:
    document, _ = open_package(path)
    if getattr(getattr(document, "element", None), "body", None) is None:
        raise ParseError(path, "文件已损坏：主文档没有正文部分")
    body = document.element.body
    try:
        styles_root = document.styles.element
    except (KeyError, ValueError, AttributeError):
        styles_root = None
    sheet = StyleSheet.from_element(styles_root)
    use_rendered = next(body.iter(w("lastRenderedPageBreak")), None) is not None
    numbering = Numbering(numbering_root(document))
    reader = BlockReader(path, sheet, use_rendered, numbering)
    headers, footers = header_footer_parts(document)
    body_reader = reader
    body_reader.container(body, "para")
    pages = reader.pages.page if reader.blocks else None
    if (
        not use_rendered
        and pages == 1
        and sum(len(b.text) for b in reader.blocks) > _ONE_PAGE_CHARS
    ):
        # No page marks at all in a text longer than a page: the page count is unknown.
        pages = None
        for block in reader.blocks:
            block.page = None
    frame = BlockReader(path, sheet, use_rendered)
    for part in headers:
        frame.container(part.element, "header")
    header_blocks = _unique(frame.blocks)
    frame.blocks = []
    for part in footers:
        frame.container(part.element, "footer")
    footer_blocks = _unique(frame.blocks)
    for block in header_blocks + footer_blocks:
        block.page = None  # repeated on every page
    blocks = header_blocks + reader.blocks + footer_blocks
    return RawDocument(path=path, format=fmt, blocks=blocks, pages=pages)


def _unique(blocks: list[Block]) -> list[Block]:
    seen: set[str] = set()
    kept = []
    for block in blocks:
        if block.text not in seen:
            seen.add(block.text)
            kept.append(block)
    return kept


class DocxBackend(Backend):
    name = "docx"
    extensions = (".docx", ".docm", ".dotx", ".dotm")

    def read(self, path: str) -> RawDocument:
        with damaged_container(path, "Word 文档"):
            return read_docx(path, self.name)
