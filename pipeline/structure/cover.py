"""A report's cover page: the title in the largest type (often over two lines), the authors (the
organs that issue it) and the date below, and nothing else on the page.

Reports, statistics yearbooks and studies open this way instead of with a GB/T 9704 版头; read as
a 版头 the large title would be taken for the 发文机关标志 and the authors' lines for the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from pipeline.structure.header import doc_number_line
from pipeline.structure.lines import HAS_SENTENCE_PUNCT, Line, organ_like
from pipeline.structure.normalise import close_up, split_organs
from pipeline.text.dates import find_date, is_date_line, read_month

MAX_COVER_LINES = 12  # a page with more lines is a page of text, not a cover
MIN_TITLE_SIZE = 18.0  # points
TITLE_OVER_BODY = 1.25  # the title's type is at least this much larger than the text's
# what may follow the authors' names on a cover: 编, 编印, 编制, 联合发布 …
_AUTHOR_SUFFIX = re.compile(r"\s*(?:联合)?(?:编著|编印|编制|编写|编|发布|印|制)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LABEL = re.compile(r"[：:]")
_DIGIT_GAP = re.compile(r"(?<=\d)\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+(?=\d)")


@dataclass
class Cover:
    title: str
    issuers: list[str] = field(default_factory=list)
    date: str | None = None  # ISO; YYYY-MM when the cover prints a month only
    end: int = 0  # index of the first line after the cover page


def read_cover(lines: list[Line]) -> Cover | None:
    """The cover at the top of ``lines`` (styled formats with page numbers), or None."""
    end = _first_page_end(lines)
    if end is None:
        return None
    page = lines[:end]
    if any(doc_number_line(line) for line in page):
        return None  # a 版头 with its 文号: a GB/T 9704 document, not a cover
    top = max((line.size or 0.0 for line in page if _title_like(line.flat)), default=0.0)
    body_sizes = [line.size for line in lines[end : end + 60] if line.size]
    if top < MIN_TITLE_SIZE or not body_sizes or top < median(body_sizes) * TITLE_OVER_BODY:
        return None
    first = next(i for i, line in enumerate(page) if line.size == top and _title_like(line.flat))
    last = first
    while (last + 1 < len(page) and last - first < 2 and page[last + 1].size == top
           and _title_like(page[last + 1].flat)):
        last += 1  # a title over two or three lines
    title_lines = page[first : last + 1]
    cover = Cover(title=_DIGIT_GAP.sub("", "".join(line.flat for line in title_lines)), end=end)
    for line in page[last + 1 :]:
        _read_cover_line(line, cover)
    return cover if (cover.issuers or cover.date) and cover.title else None


def _title_like(text: str) -> bool:
    """Chinese words, no sentence and no ``label：`` (a 备案号 line printed large is no title)."""
    chinese = len(_CJK.findall(text))
    return (chinese >= 4 and chinese * 2 >= len(text) and not HAS_SENTENCE_PUNCT.search(text)
            and not _LABEL.search(text) and not is_date_line(text) and not read_month(text))


def _first_page_end(lines: list[Line]) -> int | None:
    """Where the first page's lines end, when the document goes on to another page."""
    if not lines or lines[0].block.page is None:
        return None
    first_page = lines[0].block.page
    end = next((i for i, line in enumerate(lines) if line.block.page != first_page), None)
    if end is None or end > MAX_COVER_LINES:
        return None
    return end


def _read_cover_line(line: Line, cover: Cover) -> None:
    """A date line gives the date; organ lines (maybe ``……编``) the issuers; others are ignored."""
    text = line.flat
    if is_date_line(text) or read_month(text):
        cover.date = cover.date or find_date(text) or read_month(text)
        return
    organs = _AUTHOR_SUFFIX.sub("", text)
    if organ_like(organs, 60):
        cover.issuers.extend(split_organs(close_up(organs), on_spaces=True))
