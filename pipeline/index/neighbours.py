"""The words one edit from a word, in a field's lexicon, without reading the whole lexicon.

Whoosh's corrector (``searcher.suggest``) finds them by running a Levenshtein automaton over the
field's lexicon (a single segment) or by measuring the edit distance to every word of it
(several segments): ~0.9 s for one unknown word at 100,000 documents. Here each segment's
lexicon of a field is kept grouped by word length, each group sorted twice: by the word and by
the word read backwards. A word ``v`` one edit (a replacement, an insertion or a deletion) from
a word ``w`` of ``n`` characters is ``n - 1`` to ``n + 1`` characters long and starts with
``w``'s first ``k = ⌈n/2⌉`` characters (the edit lies after them) or ends with ``w``'s last
``n - k`` (the edit lies within the first ``k``). So two range lookups per length find every
candidate; each is then checked with the edit distance Whoosh itself uses. Two neighbouring
characters swapped (which Whoosh's several-segment reader counts as one edit, Damerau's
distance) may break both halves: those ``n - 1`` words are looked up one by one.

The ranking stays Whoosh's: ``corrector`` is Whoosh's ``ReaderCorrector`` reading these
candidates (the most frequent first, by ``reader.frequency``; its ``suggest`` keeps the best
``limit``).

Life cycle: a segment never changes once written (deletions only mark documents), so its
lexicon is built once — when the index writer commits it (``write_missing``: a merge of 100,000
documents' segments takes about a second, better spent by the ingest than by the first search
that misspells a word), or else the first time a suggestion needs it — and kept in memory (``CACHE``,
keyed by the segment's folder and id: a segment of a newer generation has a new id, and a merged
one's entry is dropped once the cache is full) and on disk beside the segment
(``<segment id>.lex``, written under a temporary name and renamed; Whoosh's ``clean_files``
deletes it with the segment), so another process (a CLI search) reads it instead of building it.
A file that does not read back is ignored and built again; a folder that cannot be written
keeps the lexicon in memory only.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from whoosh.reading import IndexReader
from whoosh.spelling import ReaderCorrector
from whoosh.support.levenshtein import damerau_levenshtein, levenshtein

EXTENSION = ".lex"
FORMAT = 1
CACHE_WORDS = 8_000_000  # words (both directions) kept in memory across segments and fields


class _Packed:
    """Equal-length words, sorted, in one string (``width`` characters each): a sequence that
    ``bisect`` can search, ~2 bytes a character instead of ~80 bytes a word as a list."""

    def __init__(self, width: int, text: str) -> None:
        self.width, self.text = width, text

    def __len__(self) -> int:
        return len(self.text) // self.width

    def __getitem__(self, index: int) -> str:
        start = index * self.width
        return self.text[start:start + self.width]

    def starting_with(self, prefix: str) -> Iterator[str]:
        index = bisect_left(self, prefix)
        while index < len(self):
            word = self[index]
            if not word.startswith(prefix):
                return
            yield word
            index += 1

    def __contains__(self, word: str) -> bool:
        index = bisect_left(self, word)
        return index < len(self) and self[index] == word


class Lexicon:
    """One segment's words of one field, by length, sorted forwards and backwards."""

    def __init__(self, groups: dict[int, tuple[str, str]]) -> None:
        self.groups = groups  # length -> (words joined in order, reversed words joined in order)
        self.forward = {n: _Packed(n, pair[0]) for n, pair in groups.items()}
        self.backward = {n: _Packed(n, pair[1]) for n, pair in groups.items()}
        self.size = sum(len(p) for p in self.forward.values())

    @classmethod
    def of(cls, words: Iterable[str]) -> Lexicon:
        by_length: dict[int, list[str]] = {}
        for word in words:
            if word:
                by_length.setdefault(len(word), []).append(word)
        return cls({n: ("".join(sorted(group)), "".join(sorted(w[::-1] for w in group)))
                    for n, group in by_length.items()})

    def candidates(self, word: str, swaps: bool) -> Iterator[str]:
        """Words of this lexicon that may be one edit from ``word`` (a superset: check them)."""
        half = (len(word) + 1) // 2
        head, tail = word[:half], word[half:][::-1]
        for length in (len(word) - 1, len(word), len(word) + 1):
            if length in self.forward:
                yield from self.forward[length].starting_with(head)
                yield from (w[::-1] for w in self.backward[length].starting_with(tail))
        if swaps and len(word) in self.forward:
            group = self.forward[len(word)]
            for i in range(len(word) - 1):
                swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
                if swapped in group:
                    yield swapped


def one_edit_words(reader: IndexReader, field: str, word: str) -> set[str]:
    """The words of ``field`` within one edit of ``word``, as ``reader.terms_within(field, word,
    1)`` finds them: a single segment's reader counts a swap of two neighbouring characters as
    two edits (Levenshtein's distance), a reader of several segments as one (Damerau's)."""
    swaps = type(reader).terms_within is IndexReader.terms_within  # the base class's: Damerau
    distance = damerau_levenshtein if swaps else levenshtein
    found: set[str] = set()
    for leaf, _offset in reader.leaf_readers():
        for candidate in lexicon(leaf, field).candidates(word, swaps):
            if candidate not in found and distance(candidate, word) <= 1:
                found.add(candidate)
    return found


class _OneEditReader:
    """A reader whose ``terms_within`` (distance 1, no prefix) reads the cached lexicons; every
    other attribute is the wrapped reader's."""

    def __init__(self, reader: IndexReader) -> None:
        self._reader = reader

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int = 0) -> Iterable[str]:
        if maxdist != 1 or prefix:
            return self._reader.terms_within(fieldname, text, maxdist, prefix=prefix)
        return one_edit_words(self._reader, fieldname, text)


def corrector(reader: IndexReader, field: str) -> ReaderCorrector:
    """Whoosh's corrector of ``field`` (``reader.corrector``), its words within one edit found
    through the cached lexicons."""
    return ReaderCorrector(_OneEditReader(reader), field, reader.schema[field])  # type: ignore[arg-type]


# --- the cache ------------------------------------------------------------------------------
CACHE: OrderedDict[tuple[str, str, str], Lexicon] = OrderedDict()
_lock = threading.Lock()
_building: dict[tuple[str, str, str], threading.Lock] = {}


def lexicon(leaf: IndexReader, field: str) -> Lexicon:
    """The lexicon of ``field`` in the segment ``leaf`` reads: from memory, from its file, or
    built from Whoosh's terms (and saved)."""
    segment, folder = leaf.segment(), _folder(leaf)
    if segment is None:
        return Lexicon.of(_words(leaf, field))
    key = (str(folder or id(leaf)), segment.segment_id(), field)
    with _lock:
        found = CACHE.get(key)
        if found is not None:
            CACHE.move_to_end(key)
            return found
        building = _building.setdefault(key, threading.Lock())
    try:
        with building:  # one thread builds it; the others wait and take it
            with _lock:
                found = CACHE.get(key)
            if found is None:
                found = _load_or_build(leaf, field, Path(folder) / segment.make_filename(EXTENSION)
                                       if folder else None)
                _keep(key, found)
    finally:
        with _lock:
            _building.pop(key, None)
    return found


def _folder(leaf: IndexReader) -> str | None:
    """The folder of the segment's files (a compound segment's storage overlays the index's)."""
    storage = getattr(leaf, "_storage", None)
    storage = getattr(storage, "b", storage)  # OverlayStorage: writes go to the second
    return getattr(storage, "folder", None)


def _keep(key: tuple[str, str, str], found: Lexicon) -> None:
    with _lock:
        CACHE[key] = found
        total = sum(lex.size for lex in CACHE.values())
        while total > CACHE_WORDS and len(CACHE) > 1:
            _key, dropped = CACHE.popitem(last=False)
            total -= dropped.size


def _words(leaf: IndexReader, field: str) -> Iterator[str]:
    if field not in leaf.schema:
        return
    for btext in leaf.lexicon(field):
        yield btext.decode("utf-8")


def _load_or_build(leaf: IndexReader, field: str, path: Path | None) -> Lexicon:
    saved = _read(path) if path is not None else None
    if saved is not None and field in saved:
        return saved[field]
    fields = dict(saved or {})
    fields[field] = Lexicon.of(_words(leaf, field))
    if path is not None:
        _write(path, fields)
    return fields[field]


def _read(path: Path) -> dict[str, Lexicon] | None:
    """The lexicons saved for a segment, or None (no file, another format, damaged)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return {field: Lexicon({int(n): (pair[0], pair[1]) for n, pair in groups.items()})
                for field, groups in data["fields"].items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def _write(path: Path, fields: dict[str, Lexicon]) -> None:
    """Save the lexicons beside the segment (a folder that cannot be written: not saved)."""
    data = {"format": FORMAT, "fields": {field: {str(n): list(pair) for n, pair in lex.groups.items()}
                                         for field, lex in fields.items()}}
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            temporary.unlink()


def write_missing(ix: Any, fields: Iterable[str]) -> None:
    """Build and save the lexicons of ``fields`` for every segment of ``ix`` that has no file
    of them yet (called after a commit: its new or merged segments)."""
    with ix.reader() as reader:
        for leaf, _offset in reader.leaf_readers():
            folder, segment = _folder(leaf), leaf.segment()
            if folder is None or segment is None:
                continue
            path = Path(folder) / segment.make_filename(EXTENSION)
            if not path.exists():
                _write(path, {field: Lexicon.of(_words(leaf, field)) for field in fields})


def forget_all() -> None:
    """Empty the in-memory cache (tests, benchmarks measuring a cold process)."""
    with _lock:
        CACHE.clear()
