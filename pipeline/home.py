"""The home: the folder that holds one archive (catalog, index, stored originals, models, settings).

``Home`` names each of the home's paths once. The stages take a ``Home`` (or a plain path, a
catalog connection) rather than the facade above them, so they can be used, tested and imported
without it. This module imports nothing of the package: every layer may use it.

Some of the modules below the archive still join their own part of the path from a plain home
folder (``pipeline.index.writer.index_path``, ``pipeline.templates.store.template_dir``,
``pipeline.classify.topic.model_dir`` …); ``tests/test_home.py`` holds them to the names here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME_VARIABLE = "GONGWEN_HOME"
DEFAULT_HOME = "indexes"
ORIGINALS = "originals"  # the store's folder; the catalog keeps stored copies relative to the home


def default_home() -> Path:
    """``$GONGWEN_HOME``, else ``./indexes``."""
    return Path(os.environ.get(HOME_VARIABLE, DEFAULT_HOME))


@dataclass(frozen=True)
class Home:
    """Where everything of one archive lies; built from the home folder, creates nothing."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))  # a str is welcome too

    # --- the archive (pipeline.archive) ---
    @property
    def catalog(self) -> Path:
        """The SQLite catalog, the archive's source of truth."""
        return self.root / "catalog.sqlite"

    @property
    def originals(self) -> Path:
        """Content-addressed copies of every file ingested."""
        return self.root / ORIGINALS

    @property
    def originals_tmp(self) -> Path:
        """Copies being written and zip members being read; emptied at the start of an ingest."""
        return self.originals / "tmp"

    def stored(self, relpath: str) -> Path:
        """A stored copy, from the catalog's ``stored`` column (relative to the home)."""
        return self.root / relpath

    @property
    def ingest_lock(self) -> Path:
        return self.root / "ingest.lock"

    @property
    def config(self) -> Path:
        """Archival settings (全宗号, organ codes …), ``pipeline.archive.codes``."""
        return self.root / "config.json"

    @property
    def uploads(self) -> Path:
        """Files uploaded through the web app (kept: the catalog points at them)."""
        return self.root / "uploads"

    # --- search (pipeline.index, pipeline.text) ---
    @property
    def index(self) -> Path:
        """The Whoosh index folder."""
        return self.root / "index"

    @property
    def synonyms(self) -> Path:
        """The archive's own synonyms and abbreviations."""
        return self.root / "synonyms.json"

    @property
    def lexicon(self) -> Path:
        """Words the archive adds to the segmenter's dictionary."""
        return self.root / "lexicon.txt"

    # --- the document checker's word lists (pipeline.check), kept by the office ---
    @property
    def check_words(self) -> Path:
        """Misused words the checker adds to its own list (``错误写法<TAB>正确写法<TAB>级别<TAB>说明``)."""
        return self.root / "check_words.txt"

    @property
    def check_avoid(self) -> Path:
        """Words the office does not want in its documents (same format)."""
        return self.root / "check_avoid.txt"

    # --- learned models (pipeline.classify) ---
    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def keywords(self) -> Path:
        """The keyword IDF table's folder."""
        return self.models / "keywords"

    @property
    def topic_model(self) -> Path:
        return self.models / "topic"

    @property
    def genre_model(self) -> Path:
        return self.models / "genre"

    @property
    def trained_marker(self) -> Path:
        """When, and on what, the models last learnt (written by ``train_models``)."""
        return self.models / "trained.json"

    # --- the office's server (pipeline.office) ---
    @property
    def accounts(self) -> Path:
        """Accounts (argon2 hashes, roles, 内部 grants) and signed-in sessions."""
        return self.root / "accounts.sqlite"

    @property
    def use_record_anchor(self) -> Path:
        """The use record's latest chain hash, kept outside the catalog (its table is in the
        catalog); ``GONGWEN_AUDIT_ANCHOR`` may name another file (``pipeline.office.audit``)."""
        return self.root / "use-record.anchor"

    # --- templates and the yearbook tools ---
    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def yearbook_cache(self) -> Path:
        """Per-document yearbook results (disposable)."""
        return self.root / "cache" / "yearbook.sqlite"
