"""``Archive(home)``: the one object the CLI and the web app talk to.

It sits on top of the stages and nothing below imports it: each method hands the home
(``pipeline.home.Home``) to the module that owns the stage. Where one request takes two stages
(an edit is recorded in the catalog, then written to the index), the order is kept here.

An ``Archive`` reads as someone: ``include_restricted`` says whether 内部 documents are theirs to
see (the machine's operator — the CLI, Python — sees them; the web app hands each signed-in
user an ``Archive.viewing(...)`` of their own). Every method that reads documents passes it to
the stage, which filters inside its query (``pipeline.index.search``, ``pipeline.archive.catalog``,
``pipeline.excerpts``), so totals, facets and lists never count what is not shown.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pipeline.home import Home, default_home
from pipeline.storage import NotOnDatabase


class Archive:
    def __init__(self, home: str | Path | None = None, include_restricted: bool = True,
                 database: str | None = None):
        """``database``: a PostgreSQL URL for the catalog and the index (``pipeline.storage``;
        default ``$GONGWEN_DATABASE_URL``, else the embedded archive in the home)."""
        from pipeline.storage import backend, database_url

        self.home = Home(Path(home) if home is not None else default_home())
        self.home.root.mkdir(parents=True, exist_ok=True)
        self.include_restricted = include_restricted
        url = database_url(database)
        self.db = backend(self.home, url) if url else None
        self.fonds: list[str] | None = None  # the 全宗 a reader of a database is granted; None: all

    def viewing(self, include_restricted: bool, fonds: Sequence[str] | None = None) -> Archive:
        """The same archive read by someone who may (or may not) see 内部 documents and, in a
        database pooling several 全宗, sees those of ``fonds`` only."""
        view = copy.copy(self)
        view.include_restricted = include_restricted
        view.fonds = None if fonds is None else list(fonds)
        return view

    # --- ingest, catalog, search (pipeline.archive, pipeline.index) ---
    def ingest(self, paths: Iterable[str | Path], workers: int | None = None,
               progress: bool = True,
               on_progress: Callable[[int, int], None] | None = None,
               within: Sequence[str | Path] | None = None,
               cluster: str | None = None) -> dict[str, Any]:
        """``within``: when given, only files whose real path lies in these folders are read
        (a symbolic link to anywhere else is reported as failed). ``cluster``: a Dask
        scheduler's address; its workers read the files (``ClusterError`` when unusable)."""
        from pipeline.archive.ingest import run_ingest

        summary = run_ingest(self.home, [Path(p) for p in paths], workers=workers, progress=progress,
                             on_progress=on_progress,
                             within=None if within is None else [Path(w).resolve() for w in within],
                             cluster=cluster)
        if self.db:  # read and stored as here, then written to the database
            summary["database"] = self.db.publish(progress=progress)
        return summary

    def verify(self, progress: bool = False) -> dict[str, Any]:
        """Re-hash every stored original and compare the index with the catalog (changes nothing)."""
        from pipeline.archive.verify import verify

        if self.db:
            return self.db.verify(progress=progress)
        return verify(self.home, progress=progress)

    def search(self, query: str, **options: Any) -> dict[str, Any]:
        from pipeline.index.search import search

        if self.db:
            return self.db.search(query, include_restricted=self.include_restricted,
                                  fonds=self.fonds, **options)
        self._index_current()
        return search(self.home.root, query, include_restricted=self.include_restricted, **options)

    def get(self, doc_id: str) -> dict[str, Any]:
        from pipeline.archive.catalog import get_document

        if self.db:
            return self.db.get(doc_id, self.include_restricted, self.fonds)
        return get_document(self.home, doc_id, include_restricted=self.include_restricted)

    def edit(self, doc_id: str, changes: dict[str, str]) -> dict[str, Any]:
        """Record corrections (kept across re-ingest), re-index the document, return it.
        A document this reader may not see cannot be edited either (``KeyError``)."""
        from pipeline.archive.catalog import edit_document
        from pipeline.archive.sync import sync_index

        doc_id = self.get(doc_id)["id"]
        if self.db:
            return self.viewing(True, self.fonds).get(self.db.edit(doc_id, changes))
        doc_id = edit_document(self.home, doc_id, changes)
        sync_index(self.home)
        return self.viewing(True).get(doc_id)  # an edit may lift or set the 内部 mark

    def _index_current(self) -> None:
        """An index written by an older version is written again from the catalog first."""
        from pipeline.archive.sync import rebuild_stale_index

        rebuild_stale_index(self.home)

    # --- classification and archival codes (pipeline.classify, pipeline.archive.export) ---
    def classify(self, paths: Iterable[str | Path]) -> list[dict[str, Any]]:
        from pipeline.archive.training import ensure_models
        from pipeline.parse import classify_files

        ensure_models(self.home)  # learn first when the archive grew or users corrected labels
        return classify_files(self.home, [Path(p) for p in paths])

    def train(self) -> dict[str, Any]:
        """Train the genre and topic models and the keyword IDF from the archive and corrections."""
        from pipeline.archive.training import train_models

        return train_models(self.home)

    def catalog(self, fmt: str, out: str | Path) -> Path:
        from pipeline.archive.export import write_catalog

        if self.db:  # 档号 are assigned in the catalog as it is written: the home's own
            raise NotOnDatabase("导出归档文件目录")
        return write_catalog(self.home, fmt, Path(out), include_restricted=self.include_restricted)

    # --- templates and drafting (pipeline.templates) ---
    def build_templates(self, genre: str | None = None) -> dict[str, Any]:
        from pipeline.templates.api import build

        return build(self.home, genre, rows=self._rows(every_fonds=True))

    def template(self, genre: str, variant: str | None = None, like: str | None = None) -> dict[str, Any]:
        """``templates show``: the genre's built-in template refined by the archive (``variant``);
        ``like``: arranged as the nearest precedent (a document id or a query)."""
        from pipeline.templates.api import show

        if like and not self.db:
            self._index_current()
        return show(self.home, genre, variant, like, include_restricted=self.include_restricted,
                    library=self._library())

    def template_genres(self) -> list[dict[str, Any]]:
        """The genres a drafter can choose (built in, or built from the archive)."""
        from pipeline.templates.api import genres

        return genres(self.home)

    def draft(self, genre: str, values: dict[str, Any], out: str | Path, variant: str | None = None,
              like: str | None = None) -> dict[str, Any]:
        """A GB/T 9704 .docx of ``genre``; ``like``: a document id or a query naming the precedent
        whose structure and wording it starts from (the three closest are in the result)."""
        from pipeline.templates.api import draft

        if like and not self.db:
            self._index_current()  # the precedent is found by a search
        return draft(self.home, genre, values, Path(out), variant=variant, like=like,
                     include_restricted=self.include_restricted, library=self._library())

    def phrases(self, genre: str, position: str | None = None) -> dict[str, Any]:
        from pipeline.templates.api import phrases

        return phrases(self.home, genre, position)

    # --- 公文校核 (pipeline.check) ---
    def check(self, path: str | Path, annotate: str | Path | None = None,
              view: bool = False) -> dict[str, Any]:
        """Check one file: its findings (rule, severity, message, location, fix) against GB/T 9704,
        the genre's rules, the office's word lists and this archive; ``annotate`` writes them as
        Word comments in a copy, ``view`` adds the paragraphs as the page shows them. Raises
        ``ParseError`` for a file that cannot be checked."""
        from pipeline.check.run import check_file

        return check_file(path, home=self.home, annotate=annotate, view=view)

    def check_rules(self) -> list[dict[str, Any]]:
        """Every rule of the checker: id, family, one-line summary."""
        from pipeline.check.run import rule_list

        return rule_list()

    # --- yearbook tools (pipeline.excerpts) ---
    def excerpts(self, query: str, year: int | str | None = None, limit: int = 10) -> dict[str, Any]:
        from pipeline.excerpts.excerpts import excerpts

        if self.db:
            return self.db.excerpts(query, year=year, limit=limit,
                                    include_restricted=self.include_restricted, fonds=self.fonds)
        self._index_current()  # the documents are picked by a search
        return excerpts(self.home, query, year=year, limit=limit,
                        include_restricted=self.include_restricted)

    def stats(self, year: int | None = None, limit: int | None = None) -> dict[str, Any]:
        from pipeline.excerpts.stats import stats

        return stats(self.home, year=year, limit=limit, include_restricted=self.include_restricted,
                     rows=self._rows())

    def chronicle(self, year: int | None = None) -> dict[str, Any]:
        from pipeline.excerpts.chronicle import chronicle

        return chronicle(self.home, year=year, include_restricted=self.include_restricted,
                         rows=self._rows())

    def yearbook(self, year: int, out: str | Path, fmt: str | None = None, issuer: str | None = None,
                 topics: Sequence[str] = (), exclude: Iterable[str] = (),
                 include_restricted: bool = False) -> dict[str, Any]:
        """Write the 年鉴资料 pack of ``year`` (大事记, 统计数据, 重要文件, 摘编 of ``topics``) to ``out``
        as docx, xlsx or md (``fmt``, else the file name's suffix); leave out the facts and events
        whose ids ``exclude`` names, other issuers' documents and, unless ``include_restricted``,
        内部 ones (never for a reader who may not see them). Returns what the pack holds."""
        from pipeline.excerpts.pack import TOPIC_PASSAGES
        from pipeline.excerpts.yearbook import write_yearbook

        if topics and not self.db:
            self._index_current()  # the 摘编 passages are found by a search
        passages = (lambda topic, y: self.excerpts(topic, year=y, limit=TOPIC_PASSAGES * 2)) if self.db else None
        return write_yearbook(self.home, int(year), Path(out), fmt, issuer=issuer, topics=list(topics),
                              exclude=list(exclude),
                              include_restricted=include_restricted and self.include_restricted,
                              rows=self._rows(), passages=passages)

    # --- another catalog than the home's: a database (pipeline.storage) ---
    def _rows(self, every_fonds: bool = False) -> Any:
        """The database's documents this reader sees (``pipeline.archive.rows.RowSource``;
        ``every_fonds``: of all 全宗), None for the home's own catalog."""
        if not self.db:
            return None
        return self.db.current_rows(None if every_fonds else self.fonds)

    def _library(self) -> Any:
        """Where this reader's precedents are found on a database (None: the home's)."""
        from pipeline.templates.precedent import Library, guarded

        if not self.db:
            return None
        return Library(lambda query, **options: self.search(query, **options),
                       guarded(lambda doc_id: self.db.document(doc_id, self.include_restricted,
                                                               self.fonds)))

    # --- the office's server (pipeline.office) ---
    @property
    def accounts(self) -> Any:
        """The home's accounts (``pipeline.office.accounts.Accounts``): add, passwords, roles,
        enabling, 内部 grants, signing in."""
        from pipeline.office.accounts import Accounts

        return Accounts(self.home)

    @property
    def sessions(self) -> Any:
        """Signed-in browsers (``pipeline.office.sessions.Sessions``)."""
        from pipeline.office.sessions import Sessions

        return Sessions(self.home)

    @property
    def use_record(self) -> Any:
        """The use record (``pipeline.office.audit.UseRecord``): append, entries, verify."""
        from pipeline.office.audit import UseRecord

        return self.db.use_record() if self.db else UseRecord(self.home)
