"""Chinese word segmentation with jieba over the domain lexicon.

Stable API used by index/, classify/ and templates/: ``words(text) -> list[str]``.

Two back-ends give the same tokens: ``jieba`` (the reference, pure Python) and ``rjieba`` (jieba-rs,
about 20x faster) which serves the hot path. Both receive the same lexicon with the same
frequencies through ``add_word``. Text is cut into runs of Chinese characters before segmentation
and ASCII/digit runs are tokenised by a regular expression of ours, because the two back-ends treat
mixed runs such as ``www.gov.cn`` differently while they agree on pure Chinese runs
(tests/test_text_segment.py and tests/real/test_text_parity.py prove it).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import rjieba

from pipeline.text.memo import Remembered
from pipeline.text.normalize import CJK_RANGE

if TYPE_CHECKING:
    import jieba

DATA = Path(__file__).resolve().parent / "data"
BUILTIN_LEXICON = DATA / "lexicon.txt"
DEFAULT_FREQ = 3000  # high enough that a lexicon word beats jieba's own split of it

# A Chinese run (group 1), or an ASCII word or number (group 2); anything else is dropped.
# ``findall`` gives both groups at once. (The index's bigrams read folded text with it too.)
TEXT_RUNS_RE = re.compile(rf"([{CJK_RANGE}]+)|([A-Za-z]+|[0-9]+(?:\.[0-9]+)?)")

_lock = threading.Lock()
_added: dict[str, int] = {}  # every word given to both back-ends, with its frequency
_loaded_files: dict[str, float] = {}  # lexicon files already loaded -> mtime

# rjieba's cut of each Chinese run seen lately. An ingest worker cuts most of a document twice
# (keywords read the body, the index reads its folded copy) and official texts repeat their runs;
# a cut depends only on the run and the lexicon, so adding words forgets them (after rjieba has
# the word: a cut made meanwhile is not kept).
_cut_remembered: Remembered[str, list[str]] = Remembered(rjieba.cut, limit=1 << 15)


def read_lexicon(path: Path) -> list[tuple[str, int]]:
    """``word [freq] [tag]`` lines (jieba dictionary format); ``#`` starts a comment."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else DEFAULT_FREQ
        entries.append((parts[0], freq))
    return entries


def add_words(entries: list[tuple[str, int]]) -> None:
    """Add words to both back-ends with the same frequency (process-wide dictionaries).

    The pure-Python reference gets them when it is first needed (``_jieba``): loading it costs
    a second or two, which a search or an ingest should not pay for a tokenizer it never uses."""
    with _lock:
        for word, freq in entries:
            if _added.get(word) == freq:
                continue
            rjieba.add_word(word, freq, None)
            _cut_remembered.forget()
            _added[word] = freq
            if _reference is not None:
                _add_reference_word(_reference, word, freq)


def _add_reference_word(tokenizer: jieba.Tokenizer, word: str, freq: int) -> None:
    # rjieba keeps its corpus total when words are added; jieba would grow it, which shifts
    # close splits (企业职工 vs 企业/职工). Keep jieba's total too, for parity.
    total = tokenizer.total
    tokenizer.add_word(word, freq)
    tokenizer.total = total


def load_lexicon_file(path: Path) -> None:
    """Load a lexicon file once (again when it changed), e.g. ``<home>/lexicon.txt``."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return
    if _loaded_files.get(str(path)) == mtime:
        return
    add_words(read_lexicon(path))
    _loaded_files[str(path)] = mtime


def load_home_lexicon(home: Path | str | None) -> None:
    """The built-in domain lexicon plus the archive's own ``lexicon.txt`` (user-extendable)."""
    _ensure_builtin()
    if home is not None:
        load_lexicon_file(Path(home) / "lexicon.txt")


_reference: jieba.Tokenizer | None = None  # the pure-Python back-end, loaded on first use


def _jieba() -> jieba.Tokenizer:
    """The reference tokenizer, loaded once, holding every word added so far."""
    global _reference
    with _lock:
        if _reference is None:
            import jieba

            jieba.setLogLevel(40)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            for word, freq in _added.items():
                _add_reference_word(tokenizer, word, freq)
            _reference = tokenizer
        return _reference


_builtin_done = False


def _ensure_builtin() -> None:
    global _builtin_done
    if not _builtin_done:
        load_lexicon_file(BUILTIN_LEXICON)
        _builtin_done = True


def _cut_reference(run: str) -> list[str]:
    return _jieba().lcut(run)


def _tokens(text: str, cut: Callable[[str], list[str]]) -> list[str]:
    """Chinese runs cut by ``cut``, ASCII words and numbers as they are, in text order."""
    _ensure_builtin()
    found: list[str] = []
    extend, append = found.extend, found.append  # (one list, no generator step per token)
    for run, other in TEXT_RUNS_RE.findall(text):
        if run:
            extend(cut(run))
        else:
            append(other)
    return found


def words(text: str) -> list[str]:
    """Words of ``text`` (punctuation and whitespace dropped), rjieba back-end."""
    return _tokens(text, _cut_remembered)


def words_reference(text: str) -> list[str]:
    """The same as ``words`` with the pure-Python jieba back-end (the parity reference)."""
    return _tokens(text, _cut_reference)


def word_edges(text: str) -> set[int]:
    """Offsets in ``text`` where a word starts or ends (0 and ``len(text)`` included): where a
    line, a phrase or a slot may begin or end without cutting a word."""
    edges = {0, len(text)}
    cursor = 0
    for token in words(text):
        start = text.find(token, cursor)
        if start < 0:
            continue
        edges.update((start, start + len(token)))
        cursor = start + len(token)
    return edges


def sub_words(word: str) -> list[str]:
    """The dictionary words of two or more characters inside ``word`` (search mode, rjieba),
    in order: ``实施办法`` -> ``实施 办法``. ``[word]`` when it holds none."""
    _ensure_builtin()
    inside = [w for w in rjieba.cut_for_search(word) if 2 <= len(w) < len(word)]
    return list(dict.fromkeys(inside)) or [word]
