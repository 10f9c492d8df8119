"""The functions ``Archive`` calls with its home: ``build``, ``show``, ``draft``, ``phrases``, ``genres``.

A genre's template is its built-in one (``assemble``) refined by the archive (``refine``): ``build``
reads the catalog's documents of each genre and stores the refinement with the refined template
(``<home>/templates/<genre>.json``, plus an editable .docx); ``show`` and ``draft`` lay it over the
variant asked for. A genre without a built-in template needs three documents to be built.
``build_from_documents`` does the same for any list of Documents (benchmarks, tests).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.archive.rows import RowSource
from pipeline.home import Home
from pipeline.model import Document
from pipeline.templates import store
from pipeline.templates.assemble import SCHEMA, builtin_template
from pipeline.templates.builtin import builtin_genres, spec_for
from pipeline.templates.draft import render, render_edited, write_template_docx
from pipeline.templates.phrases import phrase_bank
from pipeline.templates.precedent import Library, find, from_precedent, home_library
from pipeline.templates.refine import MIN_DOCUMENTS, apply, is_national, refinement


def _catalog_documents(home: Home, genre: str | None, rows: RowSource | None = None
                       ) -> list[tuple[str, Document]]:
    """``rows``: another catalog's documents (a database's), default the home's."""
    from pipeline.archive.catalog import iter_documents

    # Templates are shared by every drafter: mined from documents every reader may see.
    if rows is None:
        return list(iter_documents(home, genre, include_restricted=False))
    documents = ((row.id, row.document()) for row in rows(False))
    return [(doc_id, doc) for doc_id, doc in documents if genre is None or doc.genre == genre]


def refined_template(genre: str, ref: dict[str, Any] | None, variant: str | None = None) -> dict[str, Any]:
    """The built-in (or generic) template of ``genre`` with the archive's refinement ``ref``."""
    layout = (ref.get("layout") or "standard") if ref else None  # a genre without a built-in: generic
    base = builtin_template(genre, variant, layout=layout)
    if base is None:
        raise KeyError(f"没有“{genre}”的模板：该文种没有内置模板，档案中也不足 {MIN_DOCUMENTS} 篇文档，"
                       f"请先入库后运行 gongwen templates build --genre {genre}")
    return apply(base, ref)


def build_from_documents(home: Path, genre: str, items: list[tuple[str, Document]],
                         national: bool | None = None) -> dict[str, Any]:
    """Refine ``genre``'s template with ``items`` (those of the archive's level, ``national``), store
    it and its editable .docx."""
    if spec_for(genre) is None and len(items) < MIN_DOCUMENTS:
        raise ValueError(f"“{genre}”没有内置模板，且只有 {len(items)} 篇文档，至少需要 {MIN_DOCUMENTS} 篇才能生成模板")
    ref = refinement(genre, items, national)
    template = refined_template(genre, ref) | {"refinement": ref}
    docx = write_template_docx(template, store.docx_path(home, template["genre"]))
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
    return {"genre": template["genre"], "documents": template["documents"], "variants": len(template["variants"]),
            "source": template["source"], "fixed": len(template["fixed"])}


def build(home: Home, genre: str | None = None, rows: RowSource | None = None) -> dict[str, Any]:
    """``gongwen templates build``: every built-in genre the archive holds, and any other genre with
    at least three documents (or just ``genre``); ``rows``: another catalog's documents."""
    everything = _catalog_documents(home, None, rows)
    national = sum(1 for _, d in everything if is_national(d)) * 2 > len(everything)  # the archive's level
    by_genre: dict[str, list[tuple[str, Document]]] = {}
    for doc_id, doc in everything:
        if genre is None or doc.genre == genre:
            by_genre.setdefault(doc.genre or "其他", []).append((doc_id, doc))
    if genre is not None:
        return {"templates": [_summary(build_from_documents(home.root, genre, by_genre.get(genre, []), national))]}
    counts = Counter({g: len(v) for g, v in by_genre.items()})
    wanted = [g for g, n in counts.most_common() if g != "其他" and (spec_for(g) or n >= MIN_DOCUMENTS)]
    built = [build_from_documents(home.root, g, by_genre[g], national) for g in wanted]
    return {"templates": [_summary(t) for t in built],
            "skipped": {g: n for g, n in counts.items() if g not in wanted}}


def template(home: Home, genre: str, variant: str | None = None) -> dict[str, Any]:
    """The genre's template: stored (refined) when built with this version, else built in."""
    stored = store.load_if_any(home.root, genre)
    if stored is not None and stored.get("schema") == SCHEMA:
        if variant in (None, stored.get("variant")):
            return stored
        return refined_template(genre, stored.get("refinement"), variant)
    return refined_template(genre, None, variant)


def view(template: dict[str, Any]) -> dict[str, Any]:
    """The ``templates show`` object: outline, fixed phrases in document order, typed slots."""
    keys = ("genre", "documents", "source", "variant", "layout", "basis", "title_pattern", "outline",
            "fixed", "slots", "variants", "skeleton", "adoption_note")
    shown = {key: template.get(key) for key in keys}
    shown["fixed"] = [{k: f.get(k) for k in ("text", "support", "position", "source")}
                      | ({"forms": f["forms"]} if f.get("forms") else {}) for f in template["fixed"]]
    return shown


def show(home: Home, genre: str, variant: str | None = None, like: str | None = None,
         include_restricted: bool = True, library: Library | None = None) -> dict[str, Any]:
    """The genre's template; with ``like``, as the nearest precedent arranges it (``precedents``
    names the three closest; 内部 documents only when ``include_restricted``; ``library``: where
    precedents are found, default the home's index and catalog)."""
    chosen = template(home, genre, variant)
    if not like:
        return view(chosen)
    library = library or home_library(home, include_restricted)
    (doc_id, doc), closest, notes = find(library, chosen["genre"], like)
    return view(from_precedent(chosen, doc_id, doc)) | {"precedent": doc_id, "precedents": closest, "warnings": notes}


def draft(home: Home, genre: str, values: dict[str, Any], out: Path, variant: str | None = None,
          like: str | None = None, include_restricted: bool = True,
          library: Library | None = None) -> dict[str, Any]:
    """Render ``genre``'s template with ``values`` into ``out`` (.docx); with ``like`` (a document id
    or a query), from the nearest precedent (``library``'s, default the home's), naming the three
    closest."""
    chosen = template(home, genre, variant)
    extra: dict[str, Any] = {}
    notes: list[str] = []
    if like:
        library = library or home_library(home, include_restricted)
        (doc_id, doc), closest, notes = find(library, chosen["genre"], like)
        chosen = from_precedent(chosen, doc_id, doc)
        extra = {"precedent": doc_id, "precedents": closest}
    if variant is None and not like and store.docx_edited(home.root, chosen):
        result = render_edited(chosen, values, store.docx_path(home.root, chosen["genre"]), Path(out))
    else:
        result = render(chosen, values, Path(out))
    result["warnings"] = notes + result["warnings"]
    return {**result, "genre": chosen["genre"], "variant": chosen.get("variant"), "source": chosen.get("source"),
            **extra}


def phrases(home: Home, genre: str, position: str | None = None) -> dict[str, Any]:
    return phrase_bank(template(home, genre), position)


def genres(home: Home) -> list[dict[str, Any]]:
    """Every genre a drafter can choose: built-in ones and those the archive's templates add."""
    found = {g: {"genre": g, "source": "built-in", "documents": 0} for g in builtin_genres()}
    for name in store.stored_genres(home.root):
        stored = store.load_if_any(home.root, name)
        if stored is not None and stored.get("schema") == SCHEMA:
            found[stored["genre"]] = {"genre": stored["genre"], "source": stored["source"],
                                      "documents": stored["documents"]}
    return list(found.values())
