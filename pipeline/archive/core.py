"""``Archive(home)``: the one object the CLI and the web app talk to.

Each method is a thin delegation to the module that owns the stage, so that the
interfaces stay thin and each stage stays in its own module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any


def default_home() -> Path:
    return Path(os.environ.get("GONGWEN_HOME", "indexes"))


class Archive:
    def __init__(self, home: str | Path | None = None):
        self.home = Path(home) if home is not None else default_home()
        self.home.mkdir(parents=True, exist_ok=True)

    # --- ingest, catalog, search (pipeline.archive.ingest, pipeline.index) ---
    def ingest(self, paths: Iterable[str | Path], workers: int | None = None,
               progress: bool = True,
               on_progress: Callable[[int, int], None] | None = None,
               within: Sequence[str | Path] | None = None) -> dict[str, Any]:
        """``within``: when given, only files whose real path lies in these folders are read
        (a symbolic link to anywhere else is reported as failed)."""
        from pipeline.archive.ingest import run_ingest

        return run_ingest(self, [Path(p) for p in paths], workers=workers, progress=progress,
                          on_progress=on_progress,
                          within=None if within is None else [Path(w).resolve() for w in within])

    def verify(self, progress: bool = False) -> dict[str, Any]:
        """Re-hash every stored original and compare the index with the catalog (changes nothing)."""
        from pipeline.archive.verify import verify

        return verify(self, progress=progress)

    def search(self, query: str, **options: Any) -> dict[str, Any]:
        from pipeline.index.search import search

        return search(self, query, **options)

    def get(self, doc_id: str) -> dict[str, Any]:
        from pipeline.archive.catalog import get_document

        return get_document(self, doc_id)

    def edit(self, doc_id: str, changes: dict[str, str]) -> dict[str, Any]:
        from pipeline.archive.catalog import edit_document

        return edit_document(self, doc_id, changes)

    # --- classification and archival codes (pipeline.classify, pipeline.archive.export) ---
    def classify(self, paths: Iterable[str | Path]) -> list[dict[str, Any]]:
        from pipeline.classify.api import classify_files

        return classify_files(self, [Path(p) for p in paths])

    def catalog(self, fmt: str, out: str | Path) -> Path:
        from pipeline.archive.export import write_catalog

        return write_catalog(self, fmt, Path(out))

    # --- templates and drafting (pipeline.templates) ---
    def build_templates(self, genre: str | None = None) -> dict[str, Any]:
        from pipeline.templates.api import build

        return build(self, genre)

    def template(self, genre: str) -> dict[str, Any]:
        from pipeline.templates.api import show

        return show(self, genre)

    def draft(self, genre: str, values: dict[str, str], out: str | Path) -> dict[str, Any]:
        from pipeline.templates.api import draft

        return draft(self, genre, values, Path(out))

    def phrases(self, genre: str, position: str | None = None) -> dict[str, Any]:
        from pipeline.templates.api import phrases

        return phrases(self, genre, position)

    # --- yearbook tools (pipeline.excerpts) ---
    def excerpts(self, query: str, year: int | str | None = None, limit: int = 10) -> dict[str, Any]:
        from pipeline.excerpts.excerpts import excerpts

        return excerpts(self, query, year=year, limit=limit)

    def stats(self, year: int | None = None, limit: int | None = None) -> dict[str, Any]:
        from pipeline.excerpts.stats import stats

        return stats(self, year=year, limit=limit)

    def chronicle(self, year: int | None = None) -> dict[str, Any]:
        from pipeline.excerpts.chronicle import chronicle

        return chronicle(self, year=year)
