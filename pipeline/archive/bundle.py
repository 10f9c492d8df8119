"""The bundle: what a Dask worker needs of an archive to read its files as a local ingest does.

A local ingest worker reads, besides the file, a few things of the home: the segmenter's
``lexicon.txt``, ``synonyms.json``, ``config.json`` (own organs, for retention) and the learned
models under ``models/`` (genre text classifier, topic model, keyword IDF). The bundle holds
those files, byte for byte, at the same places relative to a home, plus the coordinator's
reader limits and time limit; a worker unpacks it once per version into a folder of its own and
reads every file of the ingest with that folder as the home. It is shipped once per ingest.

The version is a digest of the content, so an archive whose models did not change between two
ingests reuses what the workers unpacked the first time.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import uuid
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.formats import limits
from pipeline.home import Home
from pipeline.index.analysis import lexicon_state
from pipeline.text.segment import BUILTIN_LEXICON, load_home_lexicon

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # same content, same bytes, same version


@dataclass(frozen=True)
class ReadSettings:
    """How the files of one ingest are read: small, sent with every task."""

    version: str  # the bundle's: a digest of its files and of these settings
    file_timeout: float  # seconds per file (``GONGWEN_FILE_TIMEOUT`` on the coordinator)
    environment: dict[str, str]  # the coordinator's reader limits, as GONGWEN_* variables
    lexicon_label: Any  # the coordinator's ``lexicon_state()``, or None (see ``relabel``)
    builtin_lexicon: str  # SHA-256 of the built-in lexicon the coordinator segments with


@dataclass(frozen=True)
class Bundle:
    files: bytes  # a zip of the home's files the readers use, named relative to the home
    settings: ReadSettings

    @property
    def version(self) -> str:
        return self.settings.version


def home_files(home: Home) -> list[tuple[str, Path]]:
    """(name relative to the home, file) of everything the readers read of ``home``."""
    found = [(path.name, path) for path in (home.lexicon, home.synonyms, home.config)
             if path.is_file()]
    if home.models.is_dir():
        found += [(path.relative_to(home.root).as_posix(), path)
                  for path in sorted(home.models.rglob("*")) if path.is_file()]
    return found


def build_bundle(home: Home, file_timeout: float) -> Bundle:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in home_files(home):
            archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), path.read_bytes())
    files = buffer.getvalue()
    environment = limits.current().as_environment()
    label = _lexicon_label(home)
    builtin = _digest(BUILTIN_LEXICON)
    digest = hashlib.sha256(files)
    digest.update(json.dumps([file_timeout, environment, repr(label), builtin]).encode())
    return Bundle(files, ReadSettings(digest.hexdigest()[:16], file_timeout, environment, label,
                                      builtin))


def _lexicon_label(home: Home) -> Any:
    """The state the coordinator's index will analyse under, when a worker can match it.

    The index reuses a worker's analysis only under the same ``lexicon_state()`` (the words
    added and the lexicon files they came from, by path). A worker loads the same words from
    another path, so it labels its analyses with this state instead (``relabel``) — only
    when the coordinator segments with nothing but the built-in lexicon and this home's: a
    process that loaded other homes' words (a test run, a long-lived app) gets no label, and
    its index analyses every text again itself (slower, the same index)."""
    load_home_lexicon(home.root)
    state = lexicon_state()
    loaded = {path for path, _mtime in state[1]}
    return state if loaded <= {str(BUILTIN_LEXICON), str(home.lexicon)} else None


def relabel(analysis: dict[str, Any] | None, settings: ReadSettings) -> None:
    """On a worker: mark ``analysis`` as made under the coordinator's lexicon when this
    process segments with exactly the same words (the same built-in lexicon and as many words
    added, the bundle's lexicon being the only other one loaded)."""
    if (analysis is not None and settings.lexicon_label is not None
            and lexicon_state()[0] == settings.lexicon_label[0]
            and _digest(BUILTIN_LEXICON) == settings.builtin_lexicon):
        analysis["lexicon"] = settings.lexicon_label


def unpack(bundle: Bundle, into: Path) -> Path:
    """The bundle's files as a home folder under ``into`` (unpacked once per version; a folder
    appears whole or not at all, so concurrent tasks never read a half-written one)."""
    target = into / bundle.version
    if target.is_dir():
        return target
    into.mkdir(parents=True, exist_ok=True)
    partial = into / f".{bundle.version}-{os.getpid()}-{uuid.uuid4().hex}"
    try:
        partial.mkdir()  # the bundle of a home without lexicon or models is empty
        with zipfile.ZipFile(io.BytesIO(bundle.files)) as archive:
            archive.extractall(partial)  # names written by build_bundle: relative, no ".."
        os.rename(partial, target)
    except OSError:
        if not target.is_dir():  # another task's rename won the race: use its folder
            raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return target


@lru_cache(maxsize=4)
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
