"""Fixed phrases that a genre's documents really share, and the forms one phrase takes.

A template drafts a fixed phrase one way (``听取和审议了``) but offices word it in several
(``听取并审议了``, ``听取审议``, ``常委会委员`` for ``常委会组成人员``, ``市人大常委会`` for ``区人大常委会``).
``pattern`` turns a phrase into a regular expression that accepts those forms by general rules,
never by a list of whole phrases:
  - a conjunction between two words may be any of 和/并/及/与/、 or none;
  - the particles 了 and 的 may be left out;
  - a level character (区/市/县/州/省/旗) before an organ word or after 全/本/我/各 may be any level;
  - an ordinal or count written in numerals (第三次, 二是, 十届) may be any numeral, Chinese or Arabic;
  - a word of ``EQUIVALENT_WORDS`` (terms of the genre that mean the same thing) may be another of
    its group.
``present`` tells whether a text holds a phrase in any form, ``surface_forms`` which forms it uses.

``choose`` is the rule that picks a genre's phrases from a template's ``candidates`` on a set of
documents (the development half of real ones, or an archive; never the documents it is measured
on): a candidate is kept when at least ``SHARE`` of the documents, and two of them when there are
two or more, hold it in some form; it must stand at word boundaries where the documents write it
and name nothing particular (no organ, place, person, meeting or date: those are slots). Of two
kept phrases one inside the other, the longer stays when most holders of the shorter hold it too;
of two that share a piece where the template writes them, the more widely held stays.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Any

from pipeline.templates.boundaries import readable
from pipeline.templates.slots import MARKERS, mask, normalise
from pipeline.text.numerals import DIGITS, TWO, WRITTEN_ZEROS
from pipeline.text.segment import word_edges

SHARE = 0.5
MAX_CHARS = 20  # a candidate longer than this is a sentence, not a phrase
TAIL_SHARE = 0.8  # a phrase inside a longer one that this share of its holders hold gives way to it
# Terms of people's congress documents that name one thing (the 监督法's 常委会组成人员 is what
# offices also write 常委会委员 or 委员们), and verbs written with or without their complement.
EQUIVALENT_WORDS: tuple[tuple[str, ...], ...] = (
    ("常委会组成人员", "常委会委员", "常务委员会组成人员", "委员们", "组成人员"),
    ("作出", "做出", "作"),
    ("如下", "以下"),
    ("审议", "审查"),
)
_CONJUNCTIONS = "和并及与、"
_PARTICLES = "了的"
_LEVELS = "区市县州省旗"
_LEVEL_BEFORE = "全本我各"
_LEVEL_HEADS = ("人大", "人民", "政府", "委", "级", "常委会", "直")
_NUMERALS = WRITTEN_ZEROS + DIGITS + TWO + "十百千"
_NUMBER_BEFORE = "第"
_NUMBER_AFTER = "是次届条项个"
_ANY_NUMBER = rf"[{_NUMERALS}\d]+"
_SLOT = re.compile(r"\{\{[^{}]*\}\}")
_BLANK = "\x00"


def _words_at(phrase: str, at: int) -> str | None:
    """The regular expression of an equivalent word starting at ``phrase[at]`` (longest first)."""
    for group in EQUIVALENT_WORDS:
        for word in sorted(group, key=len, reverse=True):
            if phrase.startswith(word, at):
                return word
    return None


def _group_of(word: str) -> str:
    group = next(g for g in EQUIVALENT_WORDS if word in g)
    return "(?:" + "|".join(re.escape(w) for w in sorted(group, key=len, reverse=True)) + ")"


def _is_ordinal(phrase: str, start: int, end: int) -> bool:
    before = phrase[start - 1] if start > 0 else ""
    after = phrase[end] if end < len(phrase) else ""
    return before == _NUMBER_BEFORE or after in _NUMBER_AFTER


@lru_cache(maxsize=4096)
def pattern(phrase: str) -> re.Pattern[str]:
    """The forms of ``phrase`` as one regular expression (see the module docstring). Only whole words
    vary: the 和 of 和谐, the 了 of 了解 or the 的 of 目的 stay as they are."""
    phrase = normalise(phrase)
    edges = word_edges(phrase)
    out: list[str] = []
    at = 0
    while at < len(phrase):
        char = phrase[at]
        word = _words_at(phrase, at)
        if word and at in edges and at + len(word) in edges:
            out.append(_group_of(word))
            at += len(word)
            continue
        run = re.match(f"[{_NUMERALS}]+", phrase[at:])
        if run and _is_ordinal(phrase, at, at + run.end()):
            out.append(_ANY_NUMBER)
            at += run.end()
            continue
        alone = at in edges and at + 1 in edges  # a one-character word
        if alone and char in _CONJUNCTIONS and 0 < at < len(phrase) - 1:
            out.append(f"[{_CONJUNCTIONS}]?")
        elif alone and char in _PARTICLES and at > 0:
            out.append(f"{char}?")
        elif char in _LEVELS and (phrase.startswith(_LEVEL_HEADS, at + 1)
                                  or (at > 0 and phrase[at - 1] in _LEVEL_BEFORE)):
            out.append(f"[{_LEVELS}]")
        else:
            out.append(re.escape(char))
        at += 1
    return re.compile("".join(out))


def present(phrase: str, text: str) -> bool:
    """True when ``text`` (normalised) holds ``phrase`` in one of its forms."""
    return pattern(phrase).search(text) is not None


def support(phrase: str, texts: list[str]) -> int:
    """How many of ``texts`` (normalised) hold ``phrase`` in some form."""
    return sum(1 for text in texts if present(phrase, text))


def surface_forms(phrase: str, texts: list[str]) -> list[str]:
    """The forms of ``phrase`` the texts use, the most used first (``phrase`` itself on a tie)."""
    counts = Counter(m.group(0) for text in texts for m in pattern(phrase).finditer(text))
    return sorted(counts, key=lambda form: (-counts[form], form != phrase))


def literal_text(template: dict[str, Any]) -> list[str]:
    """The wording a template itself writes, slots left out: title, 纪要标志, adoption note, skeleton,
    the openings its list items prompt and the phrases it lists as fixed."""
    prompts = [p for s in template.get("slots", []) for p in (s.get("item") or {}).get("prompts", [])]
    parts = [template.get("title_pattern") or "", template.get("mark") or "", template.get("adoption_note") or "",
             *template.get("skeleton", []), *prompts, *(f["text"] for f in template.get("fixed", []))]
    return [normalise(p) for p in parts if p]


def candidates(template: dict[str, Any]) -> list[str]:
    """Every run of whole words (four to ``MAX_CHARS`` characters) of the template's own wording, in
    the order they stand (``word_runs``)."""
    found: dict[str, None] = {}
    for text in literal_text(template):
        for clause, edges in word_runs(text):
            for i, start in enumerate(edges):
                for end in edges[i + 1:]:
                    if 4 <= end - start <= MAX_CHARS:
                        found.setdefault(clause[start:end], None)
    return list(found)


def word_runs(text: str) -> list[tuple[str, list[int]]]:
    """The Chinese runs of four characters or more of ``text`` (between slots and punctuation), each
    with the word edges a phrase may start or end at: a one-character word that a slot's value
    touches (``第{{ 编号 }}号``) goes with the slot, so no phrase starts or ends with it there (a
    particle excepted)."""
    out = []
    blanked = _SLOT.sub(lambda m: _BLANK * len(m.group(0)), text)  # a slot's name is no wording
    for match in re.finditer(r"[\u4e00-\u9fff]{4,}", blanked):
        clause = match.group(0)
        edges = sorted(word_edges(clause))
        if blanked[:match.start()].endswith(_BLANK) and len(edges) > 1 and edges[1] == 1:
            edges.remove(0)
        if (blanked.startswith(_BLANK, match.end()) and len(edges) > 1 and edges[-2] == len(clause) - 1
                and clause[-1] not in _PARTICLES):
            edges.remove(len(clause))
        out.append((clause, edges))
    return out


def choose_for(template: dict[str, Any], texts: list[str]) -> list[dict[str, Any]]:
    """``choose`` over the candidates of ``template`` (its own wording) on ``texts``."""
    return choose(candidates(template), texts, "\n".join(literal_text(template)))


def nameless(phrase: str) -> bool:
    """True when the slot masking finds no organ, place, person, meeting, date or number in ``phrase``."""
    return not any(char in MARKERS for char in mask(phrase).text)


def needed(documents: int) -> int:
    """Documents that must hold a phrase: ``SHARE`` of them, and two when there are two or more."""
    return max(min(2, documents), math.ceil(SHARE * documents))


def _usable(phrase: str, texts: list[str]) -> bool:
    holders = [t for t in texts if phrase in t]
    return nameless(phrase) and readable(phrase, holders or [phrase])


def choose(candidates_: list[str], texts: list[str], wording: str = "") -> list[dict[str, Any]]:
    """The phrases of ``candidates_`` that ``texts`` share (see the module docstring), in order:
    ``{"text": the template's wording, "forms": [forms the texts use], "support": documents}``.
    ``wording``: the template's own text, where two phrases that share characters overlap."""
    if not texts:
        return []
    kept = []
    for phrase in candidates_:
        count = support(phrase, texts)
        if count >= needed(len(texts)) and _usable(phrase, texts):
            kept.append({"text": phrase, "forms": surface_forms(phrase, texts), "support": count})
    return [p for p in kept if not any(_outranked(p, other, wording) for other in kept if other is not p)]


def _overlap(left: str, right: str, wording: str) -> bool:
    """``left`` ends with the start of ``right`` where the template writes them (``坚持以习近平`` and
    ``习近平新时代中国特色社会主义思想``)."""
    return any(left.endswith(right[:k]) and left + right[k:] in wording for k in range(1, min(len(left), len(right))))


def overlaps(one: str, other: str, shared: int = 2) -> bool:
    """One phrase inside the other, or the end of one the start of the other by ``shared`` characters
    or more (``贯彻习近平`` and ``习近平新时代中国特色社会主义思想``): two pieces of one expression."""
    if one in other or other in one:
        return True
    return any(a.endswith(b[:k]) for a, b in ((one, other), (other, one)) for k in range(shared, min(len(a), len(b))))


def _outranked(phrase: dict[str, Any], other: dict[str, Any], wording: str) -> bool:
    """Which of two overlapping kept phrases goes: a phrase inside a longer one goes when the longer
    is held by ``TAIL_SHARE`` of its documents (it is mostly part of it), else the longer goes; of two
    phrases that share a piece, the less widely held goes (the shorter on a tie)."""
    text, longer = phrase["text"], other["text"]
    if text in longer:
        return other["support"] >= TAIL_SHARE * phrase["support"]
    if longer in text:
        return phrase["support"] < TAIL_SHARE * other["support"]
    if _overlap(text, longer, wording) or _overlap(longer, text, wording):
        return (other["support"], len(longer)) > (phrase["support"], len(text))
    return False
