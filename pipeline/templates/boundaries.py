"""Phrases people can read: cut at word and clause boundaries, naming no other organ.

A mined n-gram starts and ends where the character statistics put it (``会议充分`` of
``会议充分肯定``, ``以习近平`` of ``以习近平新时代…``). Here it is cut into clauses (at punctuation
and slot markers), each clause trimmed to the word boundaries the segmenter finds in the texts
where it occurs (the majority of occurrences decides), and stripped of particles hanging from the
next clause. A phrase that names an organ other than the drafter's (国务院, 人民政府, a 全国 or
全区 scope) is dropped: such parts are slots of the template, not its wording.
"""

from __future__ import annotations

import re

from pipeline.templates.slots import MARKERS, literal_share, normalise
from pipeline.text.segment import word_edges, words

MIN_CHARS = 4  # a phrase holds at least four Chinese characters
_CLAUSE_BREAK = re.compile("[" + "".join(sorted(MARKERS)) + r"，。、；：！？“”‘’（）《》〔〕【】—…·\s]+")
_LEADING = frozenset("的了和与及并对以在将为把被从由向等是也又就而且或其之")
_TRAILING = frozenset("和与及并对以在将为把被从由向或而其之区市县省")
# Organs and offices that are not a people's congress, and the scope words of one level.
_OTHER_ORGANS = ("国务院", "政府", "法院", "检察院", "监察委员会", "监委", "政协", "党委", "区委", "市委", "县委",
                 "省委", "总理", "委员长", "区长", "市长", "县长", "省长", "院长", "检察长", "局长", "主席")
_SCOPES = ("全国", "全省", "全市", "全区", "全县", "各族人民")
_POSTS = ("主任", "书记", "委员", "秘书长")  # a name follows them: a slot
_SAMPLE = 30  # occurrences looked at per phrase


def clauses(text: str) -> list[str]:
    """The pieces of ``text`` between punctuation and slot markers."""
    return [piece for piece in _CLAUSE_BREAK.split(text) if piece]


def _window(text: str, start: int, end: int) -> tuple[str, int]:
    """The clause around ``text[start:end]`` (so segmentation sees the real context) and its offset."""
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE_BREAK.finditer(text, end)), len(text))
    return text[left:right], left


def trim_to_words(piece: str, texts: list[str]) -> str:
    """``piece`` shrunk to the word boundaries most of its occurrences in ``texts`` agree on."""
    votes: dict[int, int] = {}
    seen = 0
    for text in texts:
        at = text.find(piece)
        while at >= 0 and seen < _SAMPLE:
            window, offset = _window(text, at, at + len(piece))
            for edge in word_edges(window):
                inside = edge + offset - at
                if 0 <= inside <= len(piece):
                    votes[inside] = votes.get(inside, 0) + 1
            seen += 1
            at = text.find(piece, at + len(piece))
    if not seen:
        return _strip_particles(piece)
    edges = sorted(i for i, n in votes.items() if n * 2 > seen)
    if len(edges) < 2:
        return ""
    start, end = edges[0], edges[-1]
    return _strip_particles(piece[start:end])


def _strip_particles(piece: str) -> str:
    tokens = words(piece)
    while tokens and tokens[0] in _LEADING:
        tokens.pop(0)
    while tokens and tokens[-1] in _TRAILING:
        tokens.pop()
    if not tokens:
        return ""
    start = piece.find(tokens[0])
    end = piece.rfind(tokens[-1]) + len(tokens[-1])
    return piece[start:end] if 0 <= start < end else ""


def cut_from_longer(piece: str, texts: list[str]) -> bool:
    """True when most occurrences of ``piece`` follow the same character: it is the tail of a longer
    expression (``思想为指导`` of ``…社会主义思想为指导``), not a phrase of its own."""
    before: dict[str, int] = {}
    for text in texts:
        at = text.find(piece)
        while at >= 0:
            key = text[at - 1] if at > 0 and "\u4e00" <= text[at - 1] <= "\u9fff" else ""
            key = "" if key in _LEADING else key  # a particle before it (以 …) does not make it a tail
            before[key] = before.get(key, 0) + 1
            at = text.find(piece, at + len(piece))
    total = sum(before.values())
    common = max((n for key, n in before.items() if key), default=0)
    return total >= 3 and common >= 0.8 * total


def names_other_organ(phrase: str) -> bool:
    """True when ``phrase`` names an organ that is not a people's congress, or one level's scope."""
    return any(word in phrase for word in _OTHER_ORGANS + _SCOPES) or phrase.endswith(_POSTS)


def readable(phrase: str, texts: list[str]) -> bool:
    """The checks a fixed phrase passes: long enough, at word boundaries in ``texts``, no other organ."""
    return (literal_share(phrase) >= MIN_CHARS and not names_other_organ(phrase)
            and trim_to_words(phrase, texts) == phrase)


def readable_pieces(masked: str, texts: list[str]) -> list[str]:
    """The readable phrases inside a mined (masked) n-gram, in order, none inside another."""
    out: list[str] = []
    for piece in clauses(masked):
        trimmed = trim_to_words(normalise(piece), texts)
        if (literal_share(trimmed) >= MIN_CHARS and not names_other_organ(trimmed) and trimmed not in out
                and not cut_from_longer(trimmed, texts)):
            out.append(trimmed)
    return out
