"""The functions ``Archive`` calls with its home: ``build``, ``show``, ``draft``, ``phrases``.

Documents come from the catalog (``pipeline.archive.catalog.iter_documents``); ``build_from_documents``
mines any list of Documents (benchmarks, tests, a folder of files).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.home import Home
from pipeline.model import Document
from pipeline.templates import store
from pipeline.templates.draft import render, render_edited, write_template_docx
from pipeline.templates.mine import mine_template
from pipeline.templates.phrases import phrase_bank

MIN_DOCUMENTS = 3


def _catalog_documents(home: Home, genre: str | None) -> list[tuple[str, Document]]:
    from pipeline.archive.catalog import iter_documents

    return list(iter_documents(home, genre))


def build_from_documents(home: Path, genre: str, items: list[tuple[str, Document]],
                         min_share: float = 0.5) -> dict[str, Any]:
    """Mine, then store ``<home>/templates/<genre>.json`` and its editable .docx."""
    if len(items) < MIN_DOCUMENTS:
        raise ValueError(f"“{genre}”只有 {len(items)} 篇文档，至少需要 {MIN_DOCUMENTS} 篇才能生成模板")
    template = mine_template(genre, items, min_share=min_share)
    docx = write_template_docx(template, store.docx_path(home, genre))
    template["docx_sha256"] = store.sha256(docx)
    store.save(home, template)
    return template


def documents_from_files(paths: list[Path], genre: str | None = None) -> tuple[list[tuple[str, Document]],
                                                                             list[dict[str, str]]]:
    """Parse files into (path, Document) pairs for mining; unreadable files are reported, not fatal."""
    from pipeline.model import ParseError
    from pipeline.parse import parse_file

    items, failed = [], []
    for path in paths:
        try:
            doc = parse_file(path)
        except ParseError as error:
            failed.append({"path": str(path), "error": error.reason})
            continue
        if genre is not None:
            doc.genre = genre
        items.append((str(path), doc))
    return items, failed


def _summary(template: dict[str, Any]) -> dict[str, Any]:
    return {"genre": template["genre"], "documents": template["documents"], "variants": len(template["variants"])}


def build(home: Home, genre: str | None = None) -> dict[str, Any]:
    """``gongwen templates build``: every genre with ≥ 3 documents (or just ``genre``)."""
    items = _catalog_documents(home, genre)
    by_genre: dict[str, list[tuple[str, Document]]] = {}
    for doc_id, doc in items:
        by_genre.setdefault(doc.genre or "其他", []).append((doc_id, doc))
    if genre is not None:
        template = build_from_documents(home.root, genre, by_genre.get(genre, []))
        return {"templates": [_summary(template)]}
    counts = Counter({g: len(v) for g, v in by_genre.items()})
    built = [build_from_documents(home.root, g, by_genre[g])
             for g, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n >= MIN_DOCUMENTS and g != "其他"]
    return {"templates": [_summary(t) for t in built],
            "skipped": {g: n for g, n in counts.items() if n < MIN_DOCUMENTS}}


def view(template: dict[str, Any]) -> dict[str, Any]:
    """The ``templates show`` object: outline, fixed phrases in document order, typed slots."""
    return {
        "genre": template["genre"],
        "documents": template["documents"],
        "outline": template["outline"],
        "outline_documents": template["outline_documents"],
        "fixed": [{"text": f["text"], "support": f["support"], "position": f["zone"]} for f in template["fixed"]],
        "slots": [{"name": s["name"], "kind": s["kind"], "examples": s["examples"]} for s in template["slots"]],
        "variants": [{k: v[k] for k in ("name", "documents", "outline", "examples")} for v in template["variants"]],
        "layout": template["layout"],
        "skeleton": template["skeleton"],
    }


def show(home: Home, genre: str) -> dict[str, Any]:
    return view(store.load(home.root, genre))


def draft(home: Home, genre: str, values: dict[str, str], out: Path) -> dict[str, Any]:
    """Render ``genre``'s template with ``values`` into ``out`` (.docx)."""
    template = store.load(home.root, genre)
    if store.docx_edited(home.root, template):
        return render_edited(template, values, store.docx_path(home.root, genre), Path(out))
    return render(template, values, Path(out))


def phrases(home: Home, genre: str, position: str | None = None) -> dict[str, Any]:
    return phrase_bank(store.load(home.root, genre), position)
