""""Did you mean": when a query finds nothing, words no document holds are replaced by close
words that documents do hold (one edit away, title words first, then the most documents), and
the corrected query is offered if it finds something.

The steps both backends share live here; each backend says which words it knows, which words are
one edit from a word (the embedded index through Whoosh's corrector, PostgreSQL through its
``term_stats``, ``pipeline.storage.postgres.suggest``) and whether the corrected query matches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from whoosh import query as Q
from whoosh.searching import Searcher

from pipeline.index.neighbours import corrector
from pipeline.index.query import parse, tokenize
from pipeline.text.normalize import fold
from pipeline.text.synonyms import SynonymTable

# (field, bonus): a close word of the titles is preferred to one of the bodies
SUGGESTION_FIELDS = (("title", 1), ("body", 0))
CLOSE_WORDS = 5  # close words weighed per field: the most frequent ones
MAX_WORD = 10  # longer chunks of the query are never replaced


def suggestion_of(query: str, words: list[str], synonyms: SynonymTable, known: Callable[[str], bool],
                  closest: Callable[[str], str | None], finds: Callable[[Q.Query], bool]) -> str | None:
    """The folded query with each word no document holds (``known`` false) replaced by its
    ``closest`` word, when something was replaced and the corrected query ``finds`` a document
    (both among those the reader may see); else None. A word is replaced where it stands in the
    query as typed, never inside what an earlier (longer) word was replaced by: 鹦鹉蛳 becomes
    鹦鹉螺, and its part 鹦鹉 is not corrected again into 鹦鹉螺螺."""
    typed = fold(query)
    spans: list[tuple[int, int, str]] = []  # (start, end, replacement) in ``typed``
    chunks = [t.text for group in tokenize(query) for t in group if 2 <= len(t.text) <= MAX_WORD]
    for word in dict.fromkeys([fold(c) for c in chunks] + words):
        places = _free_places(typed, word, spans) if len(word) >= 2 else []
        if not places or known(word):
            continue
        replacement = closest(word)
        if replacement:
            spans += [(start, start + len(word), replacement) for start in places]
    if not spans:
        return None
    corrected = typed
    for start, end, replacement in sorted(spans, reverse=True):
        corrected = corrected[:start] + replacement + corrected[end:]
    tree, _ = parse(corrected, synonyms)
    return corrected if tree is not Q.NullQuery and finds(tree) else None


def _free_places(text: str, word: str, spans: list[tuple[int, int, str]]) -> list[int]:
    """Where ``word`` occurs in ``text`` outside the spans already replaced."""
    places, start = [], text.find(word)
    while start >= 0:
        end = start + len(word)
        if all(end <= taken or start >= until for taken, until, _ in spans):
            places.append(start)
        start = text.find(word, end)
    return places


def best_word(candidates: Iterable[tuple[int, int, str]]) -> str | None:
    """Of ``(field bonus, document frequency, word)``, the word to offer."""
    ranked = sorted(candidates, reverse=True)
    return ranked[0][2] if ranked else None


def suggest(searcher: Searcher, query: str, words: list[str], doc_filter: Q.Query | None,
            synonyms: SynonymTable) -> str | None:
    """The embedded index's suggestion for ``query`` (its content ``words``), found among the
    documents ``doc_filter`` lets through."""
    reader = searcher.reader()
    return suggestion_of(
        query, words, synonyms,
        known=lambda word: bool(reader.doc_frequency("body", word) or reader.doc_frequency("title", word)),
        closest=lambda word: _closest(searcher, word, doc_filter),
        finds=lambda tree: len(searcher.search(tree, filter=doc_filter, limit=1)) > 0)


def _closest(searcher: Searcher, word: str, doc_filter: Q.Query | None = None) -> str | None:
    """The index word closest to ``word``; with a filter, only a word of a document it lets
    through (a word only 内部 documents hold is never offered to someone not granted them)."""
    reader = searcher.reader()
    candidates: list[tuple[int, int, str]] = []
    for field_name, bonus in SUGGESTION_FIELDS:
        # Whoosh's corrector (``searcher.suggest``), its close words found without a scan of
        # the lexicon (pipeline.index.neighbours)
        for candidate in corrector(reader, field_name).suggest(word, limit=CLOSE_WORDS, maxdist=1):
            if len(candidate) >= 2 and (doc_filter is None or len(searcher.search(
                    Q.Term(field_name, candidate), filter=doc_filter, limit=1))):
                candidates.append((bonus, reader.doc_frequency(field_name, candidate), candidate))
    return best_word(candidates)
