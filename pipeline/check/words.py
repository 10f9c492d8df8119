"""Word lists: common misused words (截止/截至, 布署, 贯切 …) and words to avoid, each a plain file
the office can extend in its archive home (``check_words.txt``, ``check_avoid.txt``; format in
``data/misused_words.txt``). Plain entries are found with an Aho–Corasick automaton
(pyahocorasick), entries that need their context (``re:`` lines) with a regular expression."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from pipeline.check.findings import ERROR, HINT, Finding, excerpt
from pipeline.check.lexicon import dictionary
from pipeline.check.punct import units
from pipeline.check.registry import Context, found, rule

DATA = Path(__file__).resolve().parent / "data"
MISUSED = DATA / "misused_words.txt"
AVOID = DATA / "avoid_words.txt"
OFF = "忽略"


@dataclass(frozen=True)
class Entry:
    wrong: str  # the word, or a regular expression after "re:"
    right: str
    severity: str
    note: str
    kind: str  # misused | avoid


def read_list(path: Path, kind: str) -> list[Entry]:
    """``wrong<TAB>right<TAB>severity<TAB>note`` lines; ``#`` comments; a bad line is skipped."""
    entries = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")] + ["", "", ""]
        wrong, right, severity, note = parts[:4]
        if not wrong:
            continue
        severity = severity if severity in (ERROR, HINT, OFF) else (ERROR if kind == "misused" else HINT)
        if wrong.startswith("re:"):
            try:
                re.compile(wrong[3:])
            except re.error:
                continue
        entries.append(Entry(wrong, right, severity, note, kind))
    return entries


@dataclass
class WordLists:
    plain: ahocorasick.Automaton | None
    patterns: list[tuple[re.Pattern[str], Entry]]


@lru_cache(maxsize=8)
def _compiled(paths: tuple[tuple[str, str, float], ...]) -> WordLists:
    entries: dict[str, Entry] = {}
    for path, kind, _mtime in paths:
        for entry in read_list(Path(path), kind):
            entries[entry.wrong] = entry  # the office's line replaces the built-in one
    automaton = ahocorasick.Automaton()
    patterns = []
    for entry in entries.values():
        if entry.severity == OFF:
            continue
        if entry.wrong.startswith("re:"):
            patterns.append((re.compile(entry.wrong[3:]), entry))
        else:
            automaton.add_word(entry.wrong, entry)
    if len(automaton):
        automaton.make_automaton()
        return WordLists(automaton, patterns)
    return WordLists(None, patterns)


def word_lists(home_paths: list[tuple[Path, str]]) -> WordLists:
    """The built-in lists plus the office's files that exist (cached until a file changes)."""
    files = [(MISUSED, "misused"), (AVOID, "avoid")] + home_paths
    key = tuple((str(p), kind, p.stat().st_mtime) for p, kind in files if p.is_file())
    return _compiled(key)


def split_across(text: str, start: int, end: int) -> bool:
    """True when the hit ``text[start:end]`` is really the end of one word and the start of the
    next (``全部份额`` holds 部份): dictionary words cross both of its edges and meet."""
    words = dictionary()
    left = [a for a in range(max(0, start - 3), start) for b in range(start + 1, end + 1)
            if text[a:b] in words]
    right = [b for a in range(start, end) for b in range(end + 1, min(len(text), end + 3) + 1)
             if text[a:b] in words]
    return bool(left and right)


def hits(text: str, lists: WordLists) -> Iterator[tuple[int, int, Entry]]:
    if lists.plain is not None:
        for last, entry in lists.plain.iter(text):
            start = last - len(entry.wrong) + 1
            if not split_across(text, start, last + 1):
                yield start, last + 1, entry
    for pattern, entry in lists.patterns:
        for match in pattern.finditer(text):
            yield match.start(), match.end(), entry


def _lists(ctx: Context) -> WordLists:
    home = ctx.home
    extra = [(home.check_words, "misused"), (home.check_avoid, "avoid")] if home else []
    return word_lists(extra)


def _findings(ctx: Context, kind: str) -> Iterator[Finding]:
    lists = _lists(ctx)
    for para, text in units(ctx):
        for start, end, entry in sorted(hits(text, lists), key=lambda h: h[0]):
            if entry.kind != kind:
                continue
            wrong = text[start:end]
            near = excerpt(text, start, 24)
            if kind == "misused" and entry.note.startswith("语病"):
                message = f"“{wrong}”{entry.note}：{near}"
                fix = f"改为“{entry.right}”" if not entry.right.startswith("（") else entry.right.strip("（）")
            elif kind == "misused":
                message = f"“{wrong}”疑为误用，应为“{entry.right}”：{near}"
                fix = f"改为“{entry.right}”" + (f"（{entry.note}）" if entry.note else "")
            else:
                message = f"“{wrong}”不宜用于公文：{near}"
                fix = f"改用“{entry.right}”" if entry.right else "删去或换成规范说法"
            yield found(para, entry.severity, message, fix, text=near)


@rule("misused_word", "words")
def misused_word(ctx: Context) -> Iterator[Finding]:
    """常见错别字和误用词（截止/截至、布署、贯切……），办公室可在 check_words.txt 中补充。"""
    yield from _findings(ctx, "misused")


@rule("avoid_word", "words")
def avoid_word(ctx: Context) -> Iterator[Finding]:
    """办公室规定不用的词语（check_avoid.txt）。"""
    yield from _findings(ctx, "avoid")
