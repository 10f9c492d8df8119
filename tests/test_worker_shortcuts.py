"""The ingest workers' CPU shortcuts (session 4) give exactly what the plain code gave.

Each shortcut is compared with the code it replaced, kept here as the reference:
- ``control_ratio`` counts control characters with one regular expression instead of
  ``unicodedata.category`` per character (over every code point);
- ``has_traditional`` scans with a character class instead of ``frozenset.isdisjoint``, and
  ``fold`` translates only the runs of full-width characters (over every code point);
- ``words`` reads the runs with ``findall`` instead of a generator per token;
- ``bigram_terms`` joins neighbouring characters with ``map`` instead of slicing;
- ``FastPositions.postings`` keeps Whoosh's ``Positions`` encoding (stock ``word_values``);
- ``keywords`` counts the distinct words once instead of testing every token.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter

import pytest
import rjieba
from whoosh.formats import Positions

from pipeline.classify import genre
from pipeline.classify import keywords as kw
from pipeline.formats.text import control_ratio
from pipeline.index.analysis import _fold, bigram_analyzer, bigram_terms
from pipeline.index.schema import build_schema
from pipeline.text import normalize
from pipeline.text.normalize import CJK_RANGE, fold, has_traditional
from pipeline.text.segment import words

EVERY = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
SAMPLES = [
    "国务院办公厅关于印发国家组织药品集中采购和使用试点方案的通知（国办发〔2019〕2号）",
    "全年共处理公文4000多份，同比增长104%，接待来信来访70余人次。版本v2.5.1发布",
    "網址 www.gov.cn 上的國務院文件：ＡＢＣ２０１９年，ＧＤＰ增长６．５％",
    "税", "", "a", "１", "一、 总体要求：（一）指导思想。\n二、基本原则\t3.14.15 ｘｙｚ",
    "𠀀𠀁中文𪚥夠",  # characters above U+FFFF, one of them traditional (𪚥)
]


def _control_ratio_before(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ch not in "\t\n\r\f\v\x1a" and unicodedata.category(ch) == "Cc")
    return bad / len(text)


def _has_traditional_before(text: str) -> bool:
    return bool(text) and not normalize._traditional_chars().isdisjoint(text)


def _fold_before(text: str) -> str:
    return normalize.to_simplified(text).translate(normalize._FULLWIDTH).lower()


def _words_before(text: str) -> list[str]:
    """The generator ``words`` was: ``finditer``, the Chinese run cut, anything else as matched."""
    tokens: list[str] = []
    for match in re.finditer(rf"([{CJK_RANGE}]+)|[A-Za-z]+|[0-9]+(?:\.[0-9]+)?", text):
        tokens.extend(rjieba.cut(match.group(1)) if match.group(1) else [match.group(0)])
    return tokens


def _bigrams_before(text: str) -> list[str]:
    terms: list[str] = []
    for match in re.finditer(rf"([{CJK_RANGE}]+)|[a-z]+|[0-9]+(?:\.[0-9]+)?", _fold(text)):
        run = match.group(1)
        if run is None:
            terms.append(match.group(0))
        elif len(run) == 1:
            terms.append(run)
        else:
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return terms


def test_control_ratio_counts_the_same_characters_over_every_code_point() -> None:
    assert control_ratio(EVERY) == _control_ratio_before(EVERY) > 0
    for code in range(0x200):  # every control character one by one, and its neighbours
        assert control_ratio(chr(code)) == _control_ratio_before(chr(code)), hex(code)
    assert control_ratio("正文\x00\x01\n\t\x1a") == pytest.approx(2 / 7)


def test_has_traditional_finds_the_same_characters_over_every_code_point() -> None:
    for ch in EVERY:
        assert has_traditional(ch) == _has_traditional_before(ch), hex(ord(ch))
    assert any(ord(ch) > 0xFFFF for ch in normalize._traditional_chars())  # the slow path is tested
    for text in SAMPLES:
        assert has_traditional(text) == _has_traditional_before(text), text


def test_fold_is_unchanged_over_every_code_point() -> None:
    assert fold(EVERY) == _fold_before(EVERY)
    for text in SAMPLES:
        assert fold(text) == _fold_before(text), text
    assert fold("ＡＢＣ（２０１９）國務院") == "abc（2019）国务院"  # kept: （）


def test_words_and_bigrams_are_the_tokens_of_before() -> None:
    for text in [*SAMPLES, EVERY[:60000]]:
        assert words(text) == _words_before(text), text[:20]
        assert bigram_terms(text) == _bigrams_before(text), text[:20]


def test_fast_positions_encode_as_whoosh_does() -> None:
    field = build_schema()["body_bg"]
    text = "督导涉访单位工作，督导检查督导。2019年督导 2019 abc abc"
    stock = list(Positions(field_boost=1.0).word_values(text, bigram_analyzer()))
    fast = field.format.postings(text, field.analyzer)
    assert sorted(fast) == sorted(stock)
    assert any(freq > 2 for _, freq, _, _ in fast)  # gaps of several positions were encoded


def _keywords_before(text: str, title: str) -> list[str]:
    counts = Counter(kw.candidate_words(text))
    for word in kw.candidate_words(title):
        counts[word] += 3
    table, default = kw._general_idf()
    total = sum(counts.values())
    scored = {w: (c / total) * table.get(w, default) * (1 + 0.1 * min(len(w), 6))
              for w, c in counts.items()}
    return [w for w, _ in sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:8]]


def test_keywords_are_those_of_before() -> None:
    for text in SAMPLES:
        assert kw.candidate_counts(text) == Counter(kw.candidate_words(text))
    body = SAMPLES[0] * 3 + SAMPLES[1] + SAMPLES[2]
    title = "关于印发药品集中采购试点方案的通知"
    found = kw.keywords(body, title)
    assert found == _keywords_before(body, title)
    assert "药品" in found and "集中" in found  # title words count three times


def _cue_evidence_before(text: str) -> dict[str, float]:
    evidence: dict[str, float] = {}
    for pattern, label, weight in genre._CUES:
        if pattern.search(text):
            evidence[label] = evidence.get(label, 0.0) + weight
    return evidence


def test_genre_cues_are_tried_only_where_they_can_match() -> None:
    checks = genre._cue_checks()
    assert sum(needed is not None for *_, needed in checks) >= len(checks) - 2
    # texts made of the cues' own pieces: most cues match somewhere, many only partly
    pieces = sorted({part for *_, needed in checks for part in needed or ()})
    pieces += ["，", "。", "\n", "：", "（", "）", "会议", "同意", "2023年", "第十二条", "第3号", "各位代表"]
    rng = random.Random(4)
    matched = set()
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        plain = genre.cue_evidence(text)
        evidence = _cue_evidence_before(text)
        for pattern, _label, _weight, needed in checks:
            if pattern.search(text):
                matched.add(pattern.pattern)
                assert needed is None or any(part in text for part in needed), pattern.pattern
        assert plain == _with_structure(text, evidence)  # same cues, same order
    assert len(matched) >= len(checks) * 2 // 3


def _with_structure(text: str, evidence: dict[str, float]) -> dict[str, float]:
    """``cue_evidence``'s own additions after the cues (adoption note, articles)."""
    head = "".join(text.splitlines()[:4])
    if genre._ADOPTION.match(head.strip()):
        evidence["决议"] = evidence.get("决议", 0.0) + 2.5
        evidence["决定"] = evidence.get("决定", 0.0) + 1.0
    articles = len(genre._ARTICLE.findall(text))
    if articles >= 3:
        evidence["法规"] = evidence.get("法规", 0.0) + min(8.0, articles * 0.5)
    return evidence


def test_required_text_of_expressions() -> None:
    assert genre.required_text(re.compile(r"(来函|的函|函》)[^。\n]{0,20}收悉")) == ("收悉",)
    assert genre.required_text(re.compile(r"特此公告|现公告如下")) == ("特此公告", "现公告如下")
    assert genre.required_text(re.compile(r"(?:甲乙)+丙")) == ("甲乙",)
    assert genre.required_text(re.compile(r"\d+号")) == ("号",)
    assert genre.required_text(re.compile(r"(?:甲乙)*|丙")) is None  # an empty match is possible
    assert genre.required_text(re.compile(r"[甲乙]丙?")) is None
    assert genre.required_text(re.compile("ab", re.IGNORECASE)) is None
