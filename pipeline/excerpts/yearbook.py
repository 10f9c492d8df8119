"""``gongwen yearbook``: gather the 年鉴资料 pack of a year and write it as .docx, .xlsx or .md."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.archive.rows import RowSource, embedded_rows
from pipeline.excerpts.excerpts import excerpts
from pipeline.excerpts.pack import FORMATS, TOPIC_PASSAGES, Excerpts, Pack, build_pack, sources_of
from pipeline.excerpts.pack_docx import write_docx
from pipeline.excerpts.pack_tables import write_md, write_xlsx
from pipeline.home import Home

WRITERS = {"docx": write_docx, "xlsx": write_xlsx, "md": write_md}


def pack_format(out: Path, fmt: str | None) -> str:
    """The format asked for, else the one the file name ends with, else docx."""
    chosen = (fmt or out.suffix.lstrip(".") or "docx").lower()
    if chosen not in FORMATS:
        raise ValueError(f"不支持的年鉴资料格式：{chosen}（可选：{'、'.join(FORMATS)}）")
    return chosen


def gather(home: Home, year: int, issuer: str | None = None, topics: Iterable[str] = (),
           exclude: Iterable[str] = (), include_restricted: bool = False,
           rows: RowSource | None = None, passages: Excerpts | None = None) -> Pack:
    """``rows``, ``passages``: another catalog's documents and passage search (a database's,
    ``pipeline.storage``); default the home's."""
    rows = rows or embedded_rows(home)
    sources = sources_of((row.id, row.document()) for row in rows(True))
    return build_pack(home, year, sources, issuer=issuer, topics=list(topics), exclude=exclude,
                      include_restricted=include_restricted, rows=rows,
                      excerpts=passages or (lambda topic, y: excerpts(
                          home, topic, year=y, limit=TOPIC_PASSAGES * 2)))


def write_yearbook(home: Home, year: int, out: Path, fmt: str | None = None, **options: Any) -> dict[str, Any]:
    """Write the pack of ``year`` to ``out``; a summary of what it holds. ``options``: ``gather``'s."""
    chosen = pack_format(out, fmt)
    pack = gather(home, year, **options)
    out.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[chosen](pack, out)
    return {"path": str(out), "format": chosen, "year": year, "title": pack.title,
            "events": len(pack.events), "facts": sum(len(row.ids) for row in pack.stats),
            "documents": len(pack.documents),
            "passages": sum(len(found) for _topic, found in pack.topics), "left_out": pack.left_out}
