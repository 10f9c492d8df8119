"""Drafting from a precedent: ``draft G --like ID|"QUERY"``.

The nearest past document of the genre (the one named, or the best hit of the query) gives the
draft its structure and wording; its case-specific facts — meetings, dates, years, cited titles
and 文号, organs, people, numbers (what ``slots.mask`` finds) — become typed slots, each value
one slot however often it recurs, named for its kind (``会议名称``, ``日期``; a second meeting
``会议名称（原：…）``) or for the element it repeats (the 主送机关 named in the closing is the
``主送机关`` slot). The GB/T 9704 elements stay slots with the precedent's values as examples.
The three closest precedents are named in the result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipeline.home import Home
from pipeline.model import Document
from pipeline.templates.elements import slot
from pipeline.templates.refine import ELEMENT_VALUES, document_text
from pipeline.templates.slots import KINDS, MARKER_KIND, MARKERS, mask
from pipeline.templates.values import short_organ

SHOWN = 3
_LABELS = {"title": "文件名称", "meeting": "会议名称", "doc_number": "引用文号", "date": "日期", "year": "年份",
           "person": "姓名", "organ": "机关", "number": "数字"}
_FORMS = {"date": "date", "title": "line", "meeting": "line", "doc_number": "line"}


def _load(home: Home, doc_id: str, include_restricted: bool = True) -> tuple[str, Document]:
    """The current document ``doc_id`` (or a unique prefix) of the home's catalog: ``KeyError``
    when there is none (or it is a 内部 document and ``include_restricted`` is off),
    ``QuarantinedError`` when it is classified (``guarded`` makes the library's loader of it)."""
    from pipeline.archive.catalog import connect, is_restricted, load_row, resolve_id

    conn = connect(home)
    try:
        row = resolve_id(conn, doc_id)
        if not include_restricted and is_restricted(conn, row["id"]):
            raise KeyError(doc_id)
        return row["id"], load_row(conn, row)[0]
    finally:
        conn.close()


@dataclass(frozen=True)
class Library:
    """Where precedents come from: ``search(query, limit=…, genre=…)`` (the contract's search
    object) and ``load(doc_id)`` (the full id and the Document, None when there is none), as
    the reader may see them: the home's index and catalog, or a database's."""

    search: Callable[..., dict[str, Any]]
    load: Callable[[str], tuple[str, Document] | None]


def guarded(load: Callable[[str], tuple[str, Document]]) -> Callable[[str], tuple[str, Document] | None]:
    """``load`` (raising ``KeyError`` for a document it does not have) as ``Library.load``:
    None when there is no such document; a classified one is refused by name."""
    from pipeline.archive.catalog import QuarantinedError

    def load_or_none(doc_id: str) -> tuple[str, Document] | None:
        try:
            return load(doc_id)
        except QuarantinedError as error:
            raise KeyError(f"文档 {error.doc_id} 为涉密文件，不能作为范文") from None
        except KeyError:
            return None
    return load_or_none


def home_library(home: Home, include_restricted: bool = True) -> Library:
    from pipeline.index.search import search

    return Library(lambda query, **options: search(home.root, query, include_restricted=include_restricted,
                                                   **options),
                   guarded(lambda doc_id: _load(home, doc_id, include_restricted)))


def _hit(hit: dict[str, Any]) -> dict[str, Any]:
    return {k: hit.get(k) for k in ("id", "title", "doc_number", "date", "genre", "score")}


def find(library: Library, genre: str, like: str,
         ) -> tuple[tuple[str, Document], list[dict[str, Any]], list[str]]:
    """The precedent, the three closest documents (it first) and warnings (of the documents
    ``library`` lets the reader see)."""
    warnings: list[str] = []
    by_id = re.fullmatch(r"[0-9a-fA-F]{6,}", like.strip()) is not None
    named = library.load(like.strip()) if by_id else None
    if by_id and named is None:  # an id names one document: never a search for its digits
        raise KeyError(f"档案中没有编号为 {like.strip()} 的公文")
    query = (named[1].title or "") if named else like
    hits = library.search(query, limit=SHOWN + 1, genre=genre)["hits"] if query else []
    if not hits and not named:
        hits = library.search(query, limit=SHOWN)["hits"]
        if hits:
            warnings.append(f"档案中没有与“{like}”相近的“{genre}”，以下范文为其他文种")
    if named is None and not hits:
        raise KeyError(f"档案中没有找到与“{like}”相近的文档，无法参照起草")
    closest = [_hit(h) for h in hits if not named or h["id"] != named[0]]
    if named:
        closest.insert(0, {"id": named[0], "title": named[1].title, "doc_number": named[1].doc_number,
                           "date": named[1].date, "genre": named[1].genre, "score": None})
    chosen = named or library.load(closest[0]["id"])
    if chosen is None:
        raise KeyError(f"档案中没有编号为 {closest[0]['id']} 的公文")
    if chosen[1].genre and chosen[1].genre != genre:
        warnings.append(f"范文的文种是“{chosen[1].genre}”，按“{genre}”的版式起草")
    return chosen, closest[:SHOWN], warnings


class _Namer:
    """One slot per distinct value: named for the element it repeats, else for its kind."""

    def __init__(self, doc: Document):
        self.by_value: dict[str, str] = {}
        self.slots: dict[str, dict[str, Any]] = {}
        for name in ("主送机关", "发文机关", "署名"):
            for value in ELEMENT_VALUES[name](doc).split("、"):
                if value:
                    self.by_value.setdefault(value, name)
                    if name == "发文机关":
                        self.by_value.setdefault(short_organ(value), "发文机关简称")

    def name(self, kind: str, value: str) -> str:
        if value in self.by_value:
            name = self.by_value[value]
        else:
            label = _LABELS[kind]
            taken = any(s.get("kind") == kind and s["name"].startswith(label) for s in self.slots.values())
            name = f"{label}（原：{value[:12]}{'…' if len(value) > 12 else ''}）" if taken else label
            self.by_value[value] = name
        if name not in self.slots:
            self.slots[name] = slot(name, kind, _FORMS.get(kind, "line"), f"范文此处为“{value}”，请改为本文的"
                                    f"{KINDS[kind][1]}", [value], source="precedent")
        return name

    def fill(self, text: str | None) -> str:
        """``text`` with each fact as a ``{{ slot }}``."""
        if not text:
            return ""
        masked = mask(text)
        values = iter(masked.values)
        return "".join("{{ " + self.name(MARKER_KIND[c], next(values)[1]) + " }}" if c in MARKERS else c
                       for c in masked.text)


def from_precedent(base: dict[str, Any], doc_id: str, doc: Document) -> dict[str, Any]:
    """``base`` (the genre's template: layout and elements) arranged and worded as ``doc``."""
    namer = _Namer(doc)
    paragraphs = [namer.fill(p) for p in (doc.paragraphs or doc.body.split("\n")) if p.strip()]
    note = namer.fill(doc.adoption_note)
    elements = [s | {"examples": list(dict.fromkeys([ELEMENT_VALUES[s["name"]](doc), *s["examples"]]))[:5]}
                if s["name"] in ELEMENT_VALUES and ELEMENT_VALUES[s["name"]](doc) else s
                for s in base["slots"] if s["group"] != "正文"]
    known = {s["name"] for s in elements}
    content = [s for name, s in namer.slots.items() if name not in known]
    text = document_text(doc)
    return base | {
        "source": "precedent",
        "precedent": {"id": doc_id, "title": doc.title},
        "skeleton": paragraphs,
        "adoption_note": note or None,
        "title_pattern": None,
        "slots": elements + content,
        "fixed": [f for f in base["fixed"] if f["text"] in text],
        "defaults": {},
    }
