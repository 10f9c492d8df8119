"""Catalogue fields answer typed words: a genre name, a year, an organ's name.

A drafter types ``决议`` for a decision whose text never says so (its title line was lost, or the
text only says 决定批准), ``2021`` for a document dated 二〇二一年. Such a word also matches the
document's catalogue field (文种, 年份) and scores like a matched word there: it does not filter.
A word naming an organ (``交通局``, ``山东人大常委会``) also matches the issuer field (``issuer_bg``),
for a document whose text never prints its issuer (the 版头 is not body text); other words do not
pay for that field. Signatures and adoption notes are indexed with the text (``pipeline.index.
writer.indexed_text``), congress sessions by their keys (``pipeline.text.normalize.session_keys``).
"""

from __future__ import annotations

import re

from whoosh import query as Q

from pipeline.classify.genre import GENRES
from pipeline.text.dates import YEAR

# What a catalogue field adds when it answers a word (a body match of a common word scores 1–4).
CATALOGUE_BOOST = 2.0

# Words people type for a genre besides its label (the label itself answers too).
GENRE_WORDS: dict[str, tuple[str, ...]] = {
    **{label: (label,) for label in GENRES if label != "其他"},
    "会议纪要": ("纪要",),
    "讲话": ("讲话稿",), "发言": ("讲话稿",), "致辞": ("讲话稿",), "讲稿": ("讲话稿",),
    "总结": ("工作总结",), "工作回顾": ("工作总结",),
    "计划": ("工作计划",), "工作要点": ("工作计划",), "要点": ("工作计划",),
    "答复": ("建议答复",), "答复函": ("建议答复",), "复函": ("建议答复", "函"),
    "条例": ("法规",), "办法": ("法规",), "规定": ("法规",), "规则": ("法规",), "细则": ("法规",),
    "实施细则": ("法规",),
    "令": ("命令",),
    "任命": ("任免",), "免职": ("任免",), "人事任免": ("任免",),
    "调查报告": ("调研报告",), "视察报告": ("调研报告",),
    "工作报告": ("报告",),
    "审议意见书": ("审议意见",),
}

YEAR_RE = re.compile(rf"({YEAR})年?度?")
# how the name of an organ ends (a 发文机关)
ORGAN_RE = re.compile("(局|委|委员会|政府|办公室|办公厅|厅|部|院|署|办|人大|常委会|主席团|联合会|中心)$")


def with_issuer(word: str, fields: tuple[str, ...]) -> tuple[str, ...]:
    """``fields`` and the issuer for a word naming an organ (only where the text is searched)."""
    return (*fields, "issuer") if "body" in fields and ORGAN_RE.search(word) else fields


def catalogue_values(word: str) -> list[tuple[str, str]]:
    """The (field, value) pairs of the catalogue that answer ``word`` (folded): none for most."""
    values = [("genre", genre) for genre in GENRE_WORDS.get(word, ())]
    year = YEAR_RE.fullmatch(word)
    if year:
        values.append(("year", year.group(1)))
    return values


def catalogue_terms(word: str, boost: float = CATALOGUE_BOOST) -> list[Q.Query]:
    """The catalogue terms that answer ``word``, scored like a matched word."""
    return [Q.Term(name, value, boost=boost) for name, value in catalogue_values(word)]


__all__ = ["CATALOGUE_BOOST", "GENRE_WORDS", "catalogue_terms", "catalogue_values", "with_issuer"]
