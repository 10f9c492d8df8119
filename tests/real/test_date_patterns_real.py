"""Date patterns composed from ``pipeline.text.dates`` find what the hand-written ones found.

``OLD`` holds each caller's pattern as it was written before the building blocks (year, month,
day, full dates in both numeral styles) were put in one module. Every line of the real corpus
texts is run through the old pattern and the caller's pattern of today: the matches (where they
stand and every group) must be the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline.layout.gbt9704 import render_text
from pipeline.layout.source import load_source
from pipeline.structure.normalise import digits

TEXT_DIRS = ("laws", "npc_resolutions", "renda_pages", "renda_more", "work_reports", "speeches",
             "state_council", "statistical_bulletins")

OLD = {
    'structure.dates.ARABIC_DATE': '((?:19|20)\\d{2})[ \\u3000]*年[ \\u3000]*(\\d{1,2})[ \\u3000]*月[ \\u3000]*(\\d{1,2})[ \\u3000]*[日号]',
    'structure.dates.DOTTED_DATE': '(?<!\\d)((?:19|20)\\d{2})\\s*[.\\-/．]\\s*(\\d{1,2})\\s*[.\\-/．]\\s*(\\d{1,2})(?![\\d.])',
    'structure.dates.CHINESE_DATE': '([一二〇○零Ｏ0OoΟ][ \\u3000]*(?:[〇○零Ｏ0OoΟ一二三四五六七八九十两][ \\u3000]*){3})年[ \\u3000]*((?:[〇○零Ｏ0OoΟ一二三四五六七八九十两][ \\u3000]*){1,3})月[ \\u3000]*((?:[〇○零Ｏ0OoΟ一二三四五六七八九十两][ \\u3000]*){1,4})[日号]',
    'structure.dates.ANY_DATE': '((?:19|20)\\d{2})[ \\u3000]*年[ \\u3000]*(\\d{1,2})[ \\u3000]*月[ \\u3000]*(\\d{1,2})[ \\u3000]*[日号]|([一二〇○零Ｏ0OoΟ][ \\u3000]*(?:[〇○零Ｏ0OoΟ一二三四五六七八九十两][ \\u3000]*){3})年[ \\u3000]*((?:[〇○零Ｏ0OoΟ一二三四五六七八九十两][ \\u3000]*){1,3})月[ \\u3000]*((?:[〇○零Ｏ0OoΟ一二三四五六七八九十两][ \\u3000]*){1,4})[日号]|(?<!\\d)((?:19|20)\\d{2})\\s*[.\\-/．]\\s*(\\d{1,2})\\s*[.\\-/．]\\s*(\\d{1,2})(?![\\d.])',
    'structure.dates.DATE_LINE': '^[（(]?[ \\u3000]*(?:((?:19|20)\\d{2})[ \\u3000]*年[ \\u3000]*(\\d{1,2})[ \\u3000]*月[ \\u3000]*(\\d{1,2})[ \\u3000]*[日号]|([一二〇○零Ｏ0OoΟ][ \\u3000]*(?:[〇○零Ｏ0OoΟ一二三四五六七八九十两][ \\u3000]*){3})年[ \\u3000]*((?:[〇○零Ｏ0OoΟ一二三四五六七八九十两][ \\u3000]*){1,3})月[ \\u3000]*((?:[〇○零Ｏ0OoΟ一二三四五六七八九十两][ \\u3000]*){1,4})[日号]|(?<!\\d)((?:19|20)\\d{2})\\s*[.\\-/．]\\s*(\\d{1,2})\\s*[.\\-/．]\\s*(\\d{1,2})(?![\\d.]))[ \\u3000]*[）)]?$',
    'structure.footer.ISSUED': '^(.*?)\\s*((?:19|20)\\d{2}\\s*年.{1,12}?日|(?:19|20)\\d{2}\\s*[.\\-/．]\\s*\\d{1,2}\\s*[.\\-/．]\\s*\\d{1,2}|[一二][〇○零一二三四五六七八九]{3}年.{1,10}?日)\\s*(?:印\\s*发|翻\\s*印|印)\\s*$',
    'structure.body (adoption note: date first)': '^(?:19|20)\\d{2}\\s*年|^[一二][〇○零一二三四五六七八九]{3}年',
    'structure.body._SPEECH_LINE': '^[—\\-–]*\\s*[（(]?\\s*(?:19|20)\\d{2}\\s*年\\d{1,2}月\\d{1,2}日\\s*在.{2,60}?(?:会议|大会|会|典礼|仪式)上',
    'classify.entities DATE': '(?:19|20)\\d{2}年\\d{1,2}月\\d{1,2}日|[一二][〇○零一二三四五六七八九]{3}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日',
    'templates.slots date 2': '\\d{4}年\\d{1,2}月\\d{1,2}日',
    'templates.slots date 3': '[〇一二三四五六七八九零○]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日',
    'templates.slots date 6': '\\d{4}年\\d{1,2}月(?:底|初|上旬|中旬|下旬|末)?',
    'templates.slots date 7': '\\d{1,2}月\\d{1,2}日(?:上午|下午|晚)?',
    'templates.slots year 8': '\\d{4}年(?:度)?',
    'excerpts.chronicle.LEADING_DATE': '^(?:(?P<y>(?:19|20)\\d{2})\\s*年\\s*)?(?P<m>\\d{1,2})\\s*月\\s*(?:(?P<d>\\d{1,2})(?:[日号]|(?=上午|下午|晚上|晚间|早上|中午|凌晨))(?P<range>(?:至|到|—|-|－|~)(?:\\d{1,2}月)?\\d{1,2}[日号])?|(?:份|上旬|中旬|下旬|初|中|底|末)?)(?:上午|下午|晚上|晚间|晚|早上|中午|凌晨)?(?P<sep>[，,、\\s]*)',
    'excerpts.chronicle.LEADING_YEAR': '^(?P<y>(?:19|20)\\d{2})\\s*年(?:度|内)?[，,]\\s*',
    'excerpts.chronicle.HELD_ON': '(?P<subject>[^，,。；]{4,60}?)于(?:(?P<y>(?:19|20)\\d{2})年)?(?P<m>\\d{1,2})月(?P<d>\\d{1,2})(?:[日号]|(?=上午|下午|晚上|晚间|早上|中午|凌晨))(?:上午|下午|晚上|晚间|晚|早上|中午|凌晨)?(?:在[^，,。]{1,20})?(?P<verb>召开|举行|开幕|闭幕)',
}


def _live() -> dict[str, re.Pattern[str] | None]:
    """Each caller's pattern as the code holds it today (None: not reachable by name)."""
    from pipeline.classify import entities
    from pipeline.excerpts import chronicle
    from pipeline.structure import body, footer
    from pipeline.templates import slots
    from pipeline.text import dates

    entity = dict(entities.PATTERNS)
    return {
        'structure.dates.ARABIC_DATE': dates.ARABIC_DATE,
        'structure.dates.DOTTED_DATE': dates.DOTTED_DATE,
        'structure.dates.CHINESE_DATE': dates.CHINESE_DATE,
        'structure.dates.ANY_DATE': dates.ANY_DATE,
        'structure.dates.DATE_LINE': dates.DATE_LINE,
        'structure.footer.ISSUED': footer.ISSUED,
        'structure.body (adoption note: date first)': body._YEAR_FIRST,
        'structure.body._SPEECH_LINE': body._SPEECH_LINE,
        'classify.entities DATE': entity["DATE"],
        'templates.slots date 2': slots._PATTERNS[2][1],
        'templates.slots date 3': slots._PATTERNS[3][1],
        'templates.slots date 6': slots._PATTERNS[6][1],
        'templates.slots date 7': slots._PATTERNS[7][1],
        'templates.slots year 8': slots._PATTERNS[8][1],
        'excerpts.chronicle.LEADING_DATE': chronicle.LEADING_DATE,
        'excerpts.chronicle.LEADING_YEAR': chronicle.LEADING_YEAR,
        'excerpts.chronicle.HELD_ON': chronicle.HELD_ON,
    }


def _texts(corpus: Path, sample_corpus: Path) -> Iterator[str]:
    """The corpus texts, and the sample corpus sources as rendered (版记 lines with 印发 dates)."""
    for folder in TEXT_DIRS:
        for path in sorted((corpus / folder).rglob("*")):
            if path.suffix in (".txt", ".md"):
                yield path.read_text(encoding="utf-8", errors="replace")
    for path in sorted((sample_corpus / "sources").glob("*.txt")):
        doc, options = load_source(path)
        yield render_text(doc, **options.render_kwargs())


def _lines(corpus: Path, sample_corpus: Path) -> Iterator[str]:
    """Every line, as written and with full-width digits made ASCII."""
    for text in _texts(corpus, sample_corpus):
        for line in text.splitlines():
            yield line
            if digits(line) != line:
                yield digits(line)


# (The statistics patterns are no longer compared: they have grown to read more forms since, and
# tests/test_yearbook_parsers.py and benchmarks/yearbook_facts_gold.py check what they read.)
ASCII_DIGITS_ONLY: set[str] = set()


def _matches(pattern: re.Pattern[str]) -> Callable[[str], list[tuple]]:
    return lambda line: [(m.span(), m.groups()) for m in pattern.finditer(line)]


@pytest.fixture(scope="module")
def corpus_lines(shared_corpus: Path, sample_corpus: Path) -> list[str]:
    return list(_lines(shared_corpus, sample_corpus))


@pytest.mark.parametrize("name", sorted(OLD))
def test_pattern_finds_what_the_old_one_found(name: str, corpus_lines: list[str]) -> None:
    live = _live()[name]
    if live is None:
        pytest.skip(f"{name} is written inline")
    old, new = _matches(re.compile(OLD[name])), _matches(live)
    found = 0
    for line in corpus_lines:
        if name in ASCII_DIGITS_ONLY and digits(line) != line:
            continue
        before = old(line)
        assert new(line) == before, (name, line[:200])
        found += bool(before)
    assert found, f"{name} matched no line of the corpus"
