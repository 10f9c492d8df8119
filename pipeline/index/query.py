"""From what a user types to a Whoosh query.

Syntax: free text and questions; ``"quoted phrases"`` (also “……” 「……」); fields ``标题:`` ``文号:``
``机关:`` ``文种:`` (ASCII or full-width colon; English ``title: number: issuer: genre:`` too);
``AND`` / ``OR`` / ``NOT`` (also ``-word``, and 与 / 或 / 非 standing alone between spaces).
Space-separated terms are all required (AND) unless joined by OR.

Inside a term: a 发文字号 in any bracket style matches the document's normalised key, a congress
session in any 第/届/次 form matches its session key, a name matches its other forms (abbreviations,
listed names and the forms rules generate: ``pipeline.text.name_forms``), and each remaining word
must occur — as a whole word or inside a longer one (bigram phrase; the indexed text holds the
signature and adoption note too); an organ's name also matches the issuer, a genre name or a
year the catalogue field (``pipeline.index.catalogue``). Natural-language
questions (and texts too long to be keywords) are *soft*: question words are dropped and every
word and bigram only adds to the score.

Each typed word (or name, 文号, session) of free text is a *unit* (``ParsedQuery.units``): the
strict query requires them all; the best-match fallback (``pipeline.index.bestmatch``) ranks
documents holding most of them after, naming the units they lack. Quoted phrases, fields,
AND/OR/NOT and questions stay strict (``ParsedQuery.best_match`` is False).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as Q

from pipeline.index.analysis import bigram_terms, word_terms
from pipeline.index.catalogue import catalogue_terms, catalogue_values, with_issuer
from pipeline.text import name_forms
from pipeline.text.dates import CN_DAY, DAY, MONTH
from pipeline.text.normalize import DOC_NUMBER_RE, doc_number_candidates, fold, session_keys
from pipeline.text.segment import sub_words
from pipeline.text.synonyms import Form, SynonymTable

# Field weights (tuned on benchmarks/search_quality.py).
WEIGHTS = {
    "title": 2.0, "title_bg": 1.5, "body": 1.0, "body_bg": 1.0, "issuer_bg": 0.5,
    "keys": 8.0, "doc_key": 40.0, "title_phrase": 3.0, "all_in_title": 1.0,
    # questions are about content: the title (also part of the body) adds little on its own
    "soft_title": 0.0, "soft_title_bg": 0.0, "soft_body": 0.5, "soft_body_bg": 1.0,
}
# A keyword term with more words than this is pasted text, not keywords: soft matching (questions
# are soft whatever their length).
SOFT_WORD_COUNT = 24
SYNONYM_SHARE = 0.5  # weight of an abbreviation's other forms in a soft (question) query

QUESTION_WORDS = sorted(
    ["怎么办", "怎么样", "怎么", "怎样", "如何", "哪些", "哪个", "哪家", "哪里", "哪儿", "哪", "什么样", "什么", "多少", "几个", "是否", "有何", "有哪些", "为什么", "为何", "何时", "何地", "请问", "是不是", "能否", "可否", "可以吗", "吗", "呢", "么", "谁"],
    key=len, reverse=True,
)
STOP_CHARS = set("的了和与及之在是把被对于")
_QUESTION_RE = re.compile("|".join(map(re.escape, QUESTION_WORDS)))
# A day of the month said the colloquial way (2月3号) is written 2月3日 in documents.
_SPOKEN_DAY_RE = re.compile(rf"({MONTH}|{CN_DAY})月({DAY}|{CN_DAY})号")

FIELD_NAMES = {
    "标题": "title", "题名": "title", "title": "title",
    "文号": "doc_number", "发文字号": "doc_number", "number": "doc_number",
    "机关": "issuer", "发文机关": "issuer", "issuer": "issuer",
    "文种": "genre", "genre": "genre",
}
_FIELD_RE = "|".join(sorted(map(re.escape, FIELD_NAMES), key=len, reverse=True))
_TOKEN_RE = re.compile(
    rf"(?P<neg>[-－])?(?:(?P<field>{_FIELD_RE})\s*[:：]\s*)?"
    r"(?:\"(?P<q1>[^\"]*)\"|“(?P<q2>[^”]*)”|「(?P<q3>[^」]*)」|『(?P<q4>[^』]*)』|(?P<bare>[^\s\"“「『]+))"
)
_OPERATORS = {"AND": "and", "&&": "and", "与": "and", "OR": "or", "||": "or", "或": "or",
              "NOT": "not", "非": "not"}


def is_operator(word: str) -> bool:
    """Whether the query syntax reads ``word`` as AND / OR / NOT rather than a term."""
    return (word.upper() if word.isascii() else word) in _OPERATORS


@dataclass
class Term:
    text: str
    field: str | None = None  # None = everywhere; title | doc_number | issuer | genre
    phrase: bool = False
    negated: bool = False


@dataclass(frozen=True)
class Unit:
    """A typed word, name, 文号 or session, the query matching it, and what holds it as
    written (``pipeline.index.bestmatch.by_words_as_written``)."""

    label: str  # as typed (folded)
    query: Q.Query
    forms: tuple[Form, ...]  # texts holding it as written: every part of one form
    catalogue: tuple[tuple[str, str], ...] = ()  # (field, value) pairs of a record that answer it


@dataclass
class ParsedQuery:
    groups: list[list[Term]] = field(default_factory=list)  # OR of groups; AND inside a group
    highlights: set[str] = field(default_factory=set)  # strings to mark in snippets
    words: list[str] = field(default_factory=list)  # content words (for "did you mean")
    question: bool = False  # matched softly (a question): re-ranked with text features
    units: list[Unit] = field(default_factory=list)  # what the strict query requires, in order
    wholes: list[Unit] = field(default_factory=list)  # typed terms of several units, as typed
    terms: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (term, its units' labels)
    best_match: bool = False  # plain free text: the best-match fallback may rank partial matches


def tokenize(text: str) -> list[list[Term]]:
    """Split the query into OR-groups of terms."""
    # a 文号 typed with spaces (国发 2019 5号) stays one term
    text = DOC_NUMBER_RE.sub(lambda m: re.sub(r"\s+", "", m.group(0)), text)
    groups: list[list[Term]] = [[]]
    negate_next = False
    for match in _TOKEN_RE.finditer(text.strip()):
        bare = match.group("bare")
        if bare is not None and match.group("field") is None and match.group("neg") is None:
            op = _OPERATORS.get(bare.upper() if bare.isascii() else bare)
            if op == "or":
                groups.append([])
                continue
            if op == "and":
                continue
            if op == "not":
                negate_next = True
                continue
        quoted = next((match.group(g) for g in ("q1", "q2", "q3", "q4") if match.group(g) is not None), None)
        value = quoted if quoted is not None else bare
        if not value or not value.strip():
            continue
        field_name = FIELD_NAMES.get(match.group("field") or "", None)
        negated = bool(match.group("neg")) or negate_next
        negate_next = False
        groups[-1].append(Term(value.strip(), field_name, quoted is not None, negated))
    return [g for g in groups if g]


class QueryBuilder:
    def __init__(self, synonyms: SynonymTable, relaxed: bool = False):
        self.synonyms = synonyms
        self.relaxed = relaxed  # long words need only their sub-words (a retry when nothing matched)
        self.parsed = ParsedQuery()

    # --- building blocks ---------------------------------------------------------------------
    def contains(self, text: str, fields: tuple[str, ...] = ("title", "body"), weight: float = 1.0,
                 exact: bool = False) -> Q.Query:
        """Documents containing ``text``: as a whole word, or its bigrams (in sequence when
        ``exact`` or in a short field; in the body, all of them — decoding positions over long
        bodies costs far more and a 3–4 character word's bigrams rarely meet elsewhere)."""
        text = fold(text)
        self.parsed.highlights.add(text)
        grams = _trim_lone_edges(bigram_terms(text))
        words = word_terms(text)
        options: list[Q.Query] = []
        for name in fields:
            wf, bf = name, f"{name}_bg"
            if len(words) == 1:
                options.append(Q.Term(wf, words[0], boost=WEIGHTS.get(wf, 1.0) * weight))
            if len(grams) == 1:
                gram = grams[0]
                options.append(Q.Term(bf, gram, boost=WEIGHTS.get(bf, 1.0) * weight))
                if len(gram) == 1 and not gram.isascii():  # a lone Chinese character: also
                    # inside the bigrams that start with it (a digit is a whole number already)
                    options.append(Q.Prefix(bf, gram, boost=0.5 * weight))
            elif grams and (exact or bf != "body_bg"):
                options.append(Q.Phrase(bf, grams, slop=1, boost=WEIGHTS.get(bf, 1.0) * weight))
            elif grams:
                boost = WEIGHTS.get(bf, 1.0) * weight / len(grams)
                options.append(Q.And([Q.Term(bf, gram, boost=boost) for gram in grams]))
        if not options:
            return Q.NullQuery
        return options[0] if len(options) == 1 else Q.Or(options)

    def with_synonyms(self, form: str, fields: tuple[str, ...]) -> Q.Query:
        return self.with_forms(self.synonyms.alternatives(form), fields)

    def with_forms(self, forms: tuple[Form, ...] | list[Form], fields: tuple[str, ...]) -> Q.Query:
        """Documents holding any of ``forms`` (every part of a form)."""
        options = []
        for alternative in forms:
            parts = [self.contains(part, fields) for part in alternative]
            options.append(parts[0] if len(parts) == 1 else Q.And(parts))
        return options[0] if len(options) == 1 else Q.Or(options)

    def words_unit(self, words: list[str], fields: tuple[str, ...]) -> Unit:
        """Consecutive typed words as one unit (a word and the lone characters joined to it)."""
        label = "".join(words)
        queries = [q for q in (self.word(w, fields) for w in words) if q is not Q.NullQuery]
        query = Q.NullQuery if not queries else queries[0] if len(queries) == 1 else Q.And(queries)
        catalogue = tuple(catalogue_values(words[0])) if len(words) == 1 else ()
        return Unit(label, query, ((label,),), catalogue)

    def word(self, word: str, fields: tuple[str, ...]) -> Q.Query:
        """A typed word: in the text, the issuer when it names an organ, or a catalogue field
        it names."""
        options = [q for q in (self.contains(word, with_issuer(word, fields)),) if q is not Q.NullQuery]
        options += catalogue_terms(word)
        if not options:
            return Q.NullQuery
        return options[0] if len(options) == 1 else Q.Or(options)

    # --- one term ------------------------------------------------------------------------------
    def term(self, term: Term) -> Q.Query:
        if term.field == "genre":
            return Q.Term("genre", term.text.strip())
        if term.field == "doc_number":
            return self.doc_number(term.text) or self.contains(term.text)
        if term.field == "issuer":
            return Q.Or([Q.Term("issuer", term.text.strip()),
                         self.contains(term.text, ("issuer",))])
        if term.field == "title":
            return self.free_text(term.text, ("title",))
        if term.phrase:
            return self.contains(term.text, ("title", "body"), exact=True)
        return self.free_text(term.text, ("title", "body"))

    def doc_number(self, text: str) -> Q.Query | None:
        found = doc_number_candidates(text)
        if not found:
            return None
        self.parsed.highlights.update(m for m, _ in found)
        keys = [Q.Term("doc_key", key, boost=WEIGHTS["doc_key"]) for _, ks in found for key in ks]
        return Q.Or(keys)

    def free_text(self, text: str, fields: tuple[str, ...]) -> Q.Query:
        """A term of free text."""
        folded = fold(text)
        units: list[Unit] = []
        rest = folded
        # 文号 in any bracket style: the document itself, or documents citing it
        for printed, keys in doc_number_candidates(rest):
            number = Q.Or([Q.Term("doc_key", k, boost=WEIGHTS["doc_key"]) for k in keys]
                          + [self.contains(printed, fields)])
            units.append(Unit(printed, number, ((printed,),), tuple(("doc_key", k) for k in keys)))
            self.parsed.highlights.add(printed)
            rest = rest.replace(printed, " ")
        # congress sessions in any 第/届/次 form
        for printed, key in session_keys(rest):
            units.append(Unit(printed, Q.Or([Q.Term("keys", key, boost=WEIGHTS["keys"]),
                                             self.contains(printed, fields)]),
                              ((printed,),), (("keys", key),)))
            rest = rest.replace(printed, " ")
        rest = _SPOKEN_DAY_RE.sub(r"\1月\2日", rest)
        soft = bool(_QUESTION_RE.search(rest)) or text.rstrip().endswith(("?", "？"))
        rest = _QUESTION_RE.sub(" ", rest)
        # names in other forms: abbreviations, listed names, numbered meetings and periods
        spans = name_forms.find(self.synonyms, rest, places=not soft)
        pieces, last = [], 0
        for span in spans:
            pieces.append(rest[last:span.start])
            last = span.end
        pieces.append(rest[last:])
        groups = [_with_lone_chars(_join_single_chars(word_terms(piece))) for piece in pieces]
        words = [w for group in groups for unit in group for w in unit]
        self.parsed.words.extend(words)
        soft = soft or len(words) + len(units) + len(spans) > SOFT_WORD_COUNT
        if soft:
            return self.soft(pieces, spans, [unit.query for unit in units], fields)
        units.extend(Unit(span.text, self.with_forms(span.forms, with_issuer(span.text, fields)),
                          span.forms) for span in spans)
        for unit in (unit for group in groups for unit in group):
            if self.relaxed:  # 实施办法 typed for 实施《……》办法: each part is a unit
                parts = [part for w in unit for part in (sub_words(w) if len(w) >= 4 else [w])]
                split = _with_lone_chars(parts)
            else:
                split = [unit]
            units.extend(self.words_unit(part, fields) for part in split)
        units = [unit for unit in units if unit.query is not Q.NullQuery]
        if not units:
            return Q.NullQuery
        self.parsed.units.extend(units)
        if len(units) > 1:
            self.parsed.terms.append((folded.strip(), tuple(unit.label for unit in units)))
            if rest.strip() == folded.strip():  # no 文号 or session taken out
                self.parsed.wholes.append(_whole(rest, spans))
        required = units[0].query if len(units) == 1 else Q.And([unit.query for unit in units])
        bonus = self.title_phrase(folded) if "title" in fields else None
        return Q.AndMaybe(required, bonus) if bonus is not None else required

    def title_phrase(self, text: str) -> Q.Query | None:
        """A bonus for titles holding the whole term in sequence (whole titles rank first)."""
        grams = _trim_lone_edges(bigram_terms(_QUESTION_RE.sub(" ", text)))
        if len(grams) < 2:
            return None
        return Q.Phrase("title_bg", grams, slop=1, boost=WEIGHTS["title_phrase"])

    def all_in_title(self, group: list[Term]) -> Q.Query | None:
        """A bonus for titles holding every term a drafter typed (``1954年 政府工作报告``: the 1954
        report first, not the later reports citing 1954 all through their text)."""
        terms = [t for t in group if not t.negated and t.field in (None, "title")]
        if len(terms) < 2:
            return None  # one term: ``title_phrase`` already rewards it
        parts = [self.contains(t.text, ("title",), weight=WEIGHTS["all_in_title"], exact=t.phrase)
                 for t in terms]
        if any(part is Q.NullQuery for part in parts):
            return None
        return Q.And(parts)

    def soft(self, pieces: list[str], spans: list[name_forms.Span], concepts: list[Q.Query],
             fields: tuple[str, ...]) -> Q.Query:
        """Every word and bigram adds to the score; nothing is required. A name's other forms
        add their terms at SYNONYM_SHARE of the weight."""
        self.parsed.question = True
        weights: dict[tuple[str, str], float] = {}
        texts = [(piece, 1.0) for piece in pieces] + [(span.text, 1.0) for span in spans]
        for span in spans:
            for alternative in span.forms[1:]:
                texts.extend((part, SYNONYM_SHARE) for part in alternative)
        for text, share in texts:
            for name in fields:
                for w in word_terms(text):
                    if w in STOP_CHARS or not (len(w) > 1 or w.isalnum()):
                        continue
                    key = (name, w)
                    weights[key] = weights.get(key, 0.0) + share * WEIGHTS[f"soft_{name}"]
                    if len(w) > 1:
                        self.parsed.highlights.add(w)
                for gram in bigram_terms(text):
                    key = (f"{name}_bg", gram)
                    weights[key] = weights.get(key, 0.0) + share * WEIGHTS[f"soft_{name}_bg"]
        subqueries = [Q.Term(f, t, boost=b) for (f, t), b in weights.items() if b > 0]
        subqueries.extend(concepts)
        if not subqueries:
            return Q.NullQuery
        return Q.Or(subqueries)

    # --- whole query ---------------------------------------------------------------------------
    def build(self, text: str) -> Q.Query:
        if looks_like_question(text):  # quotes and spaces inside a question are just text
            return self.free_text(_QUOTES_RE.sub(" ", text.strip()), ("title", "body"))
        groups = tokenize(text)
        query = self._groups(groups)
        plain = (len(groups) == 1 and not any(is_operator(word) for word in text.split())
                 and all(t.field is None and not t.phrase and not t.negated for t in groups[0]))
        self.parsed.best_match = plain and not self.parsed.question and len(self.parsed.units) > 1
        return query

    def _groups(self, groups: list[list[Term]]) -> Q.Query:
        alternatives: list[Q.Query] = []
        for group in groups:
            positive = [self.term(t) for t in group if not t.negated]
            negative = [self.term(t) for t in group if t.negated]
            positive = [q for q in positive if q is not Q.NullQuery]
            if not positive:
                continue
            query = positive[0] if len(positive) == 1 else Q.And(positive)
            bonus = self.all_in_title(group)
            if bonus is not None:
                query = Q.AndMaybe(query, bonus)
            if negative:
                query = Q.AndNot(query, Q.Or(negative))
            alternatives.append(query)
        if not alternatives:
            return Q.NullQuery
        return alternatives[0] if len(alternatives) == 1 else Q.Or(alternatives)


def _trim_lone_edges(grams: list[str]) -> list[str]:
    """Drop a lone Chinese character at either end of a multi-term bigram list: in the query
    ``乡、民族乡、镇…`` the first 乡 is a run of its own (a unigram), but in a document the run goes on
    from the text before it (``北京市乡`` → ``市乡``), so the unigram would never match there."""
    start, end = 0, len(grams)
    while end - start > 1 and len(grams[start]) == 1 and not grams[start].isascii():
        start += 1
    while end - start > 1 and len(grams[end - 1]) == 1 and not grams[end - 1].isascii():
        end -= 1
    return grams[start:end]


def _join_single_chars(words: list[str]) -> list[str]:
    """Runs of single Chinese characters the segmenter left (大/场) become one string again, and a
    number keeps its unit: matched through their bigram, not character by character (a lone
    character expands to every bigram starting with it). Stop characters (的, 和 …) end a run
    and are dropped."""
    joined: list[str] = []
    run = ""
    for word in words:
        if word in STOP_CHARS:
            if run:
                joined.append(run)
                run = ""
            continue
        if len(word) == 1 and not word.isascii():
            if not run and joined and joined[-1].isdigit():
                joined[-1] += word  # a number's unit stays with it: 1954年, 5件
                continue
            run += word
            continue
        if run:
            joined.append(run)
            run = ""
        joined.append(word)
    if run:
        joined.append(run)
    return joined


WHOLE_FORMS = 16  # at most this many forms of a whole term (each name's forms, combined)


def _whole(text: str, spans: list[name_forms.Span]) -> Unit:
    """A typed term of several units, held whole (``履职考核``, not only ``履职`` … ``考核``), in
    the forms its names take (``社保基金``, ``社会保险基金``)."""
    forms, last = [""], 0
    for span in spans:  # (spans index ``text``)
        options = [form[0] for form in span.forms if len(form) == 1] or [span.text]
        forms = [f"{head}{text[last:span.start]}{option}" for head in forms for option in options]
        forms = forms[:WHOLE_FORMS]
        last = span.end
    return Unit(text.strip(), Q.NullQuery, tuple((f"{form}{text[last:]}".strip(),) for form in forms))


def _with_lone_chars(words: list[str]) -> list[list[str]]:
    """Typed words as units: a lone Chinese character (``路`` of ``断头路``, ``县`` …) belongs with
    the word before it, or the one after when it comes first — alone it would match almost every
    document, and it is not a word a drafter misses."""
    units: list[list[str]] = []
    for word in words:
        lone = len(word) == 1 and not word.isascii()
        if lone and units:
            units[-1].append(word)
        elif units and len(units[-1]) == 1 and len(units[-1][0]) == 1 and not units[-1][0].isascii():
            units[-1].append(word)  # a lone character first: joined to the word after it
        else:
            units.append([word])
    return units


_QUOTES_RE = re.compile("[\"“”「」『』]")


def looks_like_question(text: str) -> bool:
    """A natural-language question: no field syntax or operators, a question word or mark."""
    text = text.strip()
    if re.search(rf"(?:{_FIELD_RE})\s*[:：]", text) or re.search(r"(?:^|\s)(?:AND|OR|NOT|-)\s*\S", text):
        return False
    return text.endswith(("?", "？")) or (len(text) >= 6 and bool(_QUESTION_RE.search(text)))


def parse(text: str, synonyms: SynonymTable, relaxed: bool = False) -> tuple[Q.Query, ParsedQuery]:
    builder = QueryBuilder(synonyms, relaxed)
    query = builder.build(text)
    return query, builder.parsed
