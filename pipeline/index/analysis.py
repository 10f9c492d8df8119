"""Whoosh analysers: jieba words over the domain lexicon, and character bigrams.

Every text field is indexed twice: as words (whole words rank first) and as character bigrams
(sub-words are never missed: ``督导`` finds ``督导涉访单位`` whatever the segmenter did). Both fold
traditional to simplified, full-width to half-width and upper to lower case first. The same
functions serve the query side (``word_terms``, ``bigram_terms``) so that both sides agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from operator import add, sub
from pickle import dumps
from typing import Any

from whoosh.analysis import Token, Tokenizer
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from pipeline.text.normalize import fold
from pipeline.text.segment import TEXT_RUNS_RE, words

# The index folds each text twice (as words and as bigrams) and the query side folds the same
# query string several times: remember the last few.
_fold = lru_cache(maxsize=16)(fold)


def lexicon_state() -> tuple[int, tuple[tuple[str, float], ...]]:
    """What decides today's word segmentation: the words added to jieba and the lexicon files
    (with their mtimes) they came from. Postings analysed under another state are not reused."""
    from pipeline.text import segment  # its module state: pipeline.text owns no accessor for it

    return len(segment._added), tuple(sorted(segment._loaded_files.items()))


def word_terms(text: str) -> list[str]:
    """Folded jieba words of ``text`` (punctuation dropped)."""
    return words(_fold(text))


def bigram_terms(text: str) -> list[str]:
    """Character bigrams of every Chinese run (a lone character stays a unigram) plus ASCII
    words and numbers as they are, in text order."""
    terms: list[str] = []
    append, extend = terms.append, terms.extend
    for run, other in TEXT_RUNS_RE.findall(_fold(text)):
        if not run:
            append(other)
        elif len(run) == 1:
            append(run)
        else:
            extend(map(add, run, run[1:]))  # each character joined to the next
    return terms


class _TermsTokenizer(Tokenizer):
    """Yields the terms of ``self.split`` with consecutive positions (no character offsets:
    snippets are highlighted from stored text, not from token offsets)."""

    def split(self, text: str) -> list[str]:  # pragma: no cover - overridden
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = self.split(value) if tokenize else [value]
        for pos, term in enumerate(terms, start_pos):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = term
            if positions:
                token.pos = pos
            if chars:  # offsets are not tracked; keep Whoosh's contract with a harmless value
                token.startchar = start_char
                token.endchar = start_char
            yield token


class WordTokenizer(_TermsTokenizer):
    def split(self, text: str) -> list[str]:
        return word_terms(text)


class BigramTokenizer(_TermsTokenizer):
    def split(self, text: str) -> list[str]:
        return bigram_terms(text)


def word_analyzer() -> WordTokenizer:
    return WordTokenizer()


def bigram_analyzer() -> BigramTokenizer:
    return BigramTokenizer()


# --- fast formats ---------------------------------------------------------------------------
# Whoosh's formats build a Token object per token and fill two dictionaries in Python; indexing
# millions of bigrams spends much of its time there. These formats take the term list from our
# tokenizers directly (same terms, same positions, same encoding) and count with C-level helpers;
# ``postings`` serves pipeline.index.segments.FastSegmentWriter.
class FastFrequency(Frequency):
    def word_values(self, value: Any, analyzer: Any, **kwargs: Any):
        found = self.postings(value, analyzer) if kwargs.get("tokenize", True) else None
        if found is None:
            return super().word_values(value, analyzer, **kwargs)
        return iter(found)

    def postings(self, value: Any, analyzer: Any) -> list[tuple[str, int, float, bytes]] | None:
        """``word_values`` as a list (None when ``analyzer`` is not one of ours)."""
        if not isinstance(analyzer, _TermsTokenizer) or not isinstance(value, str):
            return None
        fb = self.field_boost
        return [(w, n, n * fb, packed_count(n)) for w, n in Counter(analyzer.split(value)).items()]


class FastPositions(Positions):
    def word_values(self, value: Any, analyzer: Any, **kwargs: Any):
        found = self.postings(value, analyzer) if kwargs.get("tokenize", True) else None
        if found is None:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        yield from found

    def postings(self, value: Any, analyzer: Any) -> list[tuple[str, int, float, bytes]] | None:
        """``word_values`` as a list (None when ``analyzer`` is not one of ours); the values
        are ``Positions.encode``'s bytes, those of single positions cached."""
        if not isinstance(analyzer, _TermsTokenizer) or not isinstance(value, str):
            return None
        poses: dict[str, list[int]] = {}
        for pos, term in enumerate(analyzer.split(value)):
            found = poses.get(term)
            if found is None:
                poses[term] = [pos]
            else:
                found.append(pos)
        fb = self.field_boost
        single = _SINGLE_POSITIONS
        result: list[tuple[str, int, float, bytes]] = []
        append = result.append
        for w, poslist in poses.items():
            n = len(poslist)
            if n == 1:
                encoded = single.get(poslist[0])
                if encoded is None:
                    encoded = self.encode(poslist)
                    if len(single) < _SINGLE_CACHE_MAX:
                        single[poslist[0]] = encoded
            else:
                # Positions.encode: the count, then the pickled gaps (the first from 0); the list
                # becomes its gaps in place (slice assignment reads the map out first)
                poslist[1:] = map(sub, poslist[1:], poslist)
                encoded = packed_count(n) + dumps(poslist, 2)
            append((w, n, n * fb, encoded))
        return result


_SINGLE_POSITIONS: dict[int, bytes] = {}  # position -> Positions.encode([position])
_SINGLE_CACHE_MAX = 1 << 18
_PACKED_COUNTS = [pack_uint(n) for n in range(256)]


def packed_count(n: int) -> bytes:
    """``pack_uint(n)``, the bytes a frequency is stored as (those below 256 made once)."""
    return _PACKED_COUNTS[n] if n < 256 else pack_uint(n)
