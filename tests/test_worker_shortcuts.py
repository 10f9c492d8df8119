"""The ingest workers' CPU shortcuts give exactly what the plain code gave.

Each shortcut is compared with the code it replaced, kept here as the reference.

Character and token shortcuts (merged in c87fbfe):
- ``control_ratio`` counts control characters with one regular expression instead of
  ``unicodedata.category`` per character (over every code point);
- ``has_traditional`` scans with a character class instead of ``frozenset.isdisjoint``, and
  ``fold`` translates only the runs of full-width characters (over every code point);
- ``words`` reads the runs with ``findall`` instead of a generator per token;
- ``bigram_terms`` joins neighbouring characters with ``map`` instead of slicing;
- ``FastPositions.postings`` keeps Whoosh's ``Positions`` encoding (stock ``word_values``);
- ``keywords`` counts the distinct words once instead of testing every token.

Pattern and memo shortcuts (merged in 7595ae2):
- topic seeds are counted in one Aho–Corasick pass instead of one ``str.count`` per seed;
- ``find_entities`` runs its costly patterns only on the runs of text that can hold a match,
  and tests overlaps by bisection instead of against every span taken;
- ``words`` remembers rjieba's cut of each run (until a word is added);
- ``normalise_text`` skips NFKC where every character is one NFKC maps on its own.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import rjieba
from whoosh.formats import Positions

from pipeline.archive import linking
from pipeline.classify import entities, genre, genre_rules, topic
from pipeline.classify import keywords as kw
from pipeline.formats.text import control_ratio
from pipeline.index.analysis import _fold, bigram_analyzer, bigram_terms
from pipeline.index.schema import build_schema
from pipeline.text import normalize, segment
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
    """``cue_evidence`` with every cue running its expression (no required-text shortcut)."""
    checks = genre._cue_checks
    genre._cue_checks = lambda: [(cue, None) for cue, _ in checks()]
    try:
        return genre.cue_evidence(text)
    finally:
        genre._cue_checks = checks


def test_genre_cues_are_tried_only_where_they_can_match() -> None:
    checks = genre._cue_checks()
    assert sum(needed is not None for *_, needed in checks) >= len(checks) - 2
    # texts made of the cues' own pieces: most cues match somewhere, many only partly
    pieces = sorted({part for *_, needed in checks for part in needed or ()})
    pieces += ["，", "。", "\n", "：", "（", "）", "会议", "同意", "2023年", "第十二条", "第3号", "各位代表"]
    # lines the structural cues need: a dateline, a byline, a salutation, a 纪要 header, …
    pieces += ["\n9月16日，", "\n本报记者 张三\n", "\n王某代表：\n", "我受常委会委托，向大会", "\n同志们：\n",
               "区人大常委会第三次会议", "\n时间：3月1日\n地点：会议室\n", "\n（区人大办供稿）",
               "您提出的《关于修路的建议》", "会议决定，批准《报告》"]
    rng = random.Random(4)
    matched = set()
    for _ in range(6000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        plain = genre.cue_evidence(text)
        evidence = _cue_evidence_before(text)
        for cue, needed in checks:
            if cue.pattern.search(text):
                matched.add(cue.pattern.pattern)
                assert needed is None or any(part in text for part in needed), cue.pattern.pattern
        assert plain == evidence  # same cues, same order
    assert len(matched) >= len(checks) * 2 // 3


def test_required_text_of_expressions() -> None:
    assert genre.required_text(re.compile(r"(来函|的函|函》)[^。\n]{0,20}收悉")) == ("收悉",)
    assert genre.required_text(re.compile(r"特此公告|现公告如下")) == ("特此公告", "现公告如下")
    assert genre.required_text(re.compile(r"(?:甲乙)+丙")) == ("甲乙",)
    assert genre.required_text(re.compile(r"\d+号")) == ("号",)
    assert genre.required_text(re.compile(r"(?:甲乙)*|丙")) is None  # an empty match is possible
    assert genre.required_text(re.compile(r"[甲乙]丙?")) is None
    assert genre.required_text(re.compile("ab", re.IGNORECASE)) is None


def test_required_text_without_the_private_parser_is_no_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    # re._parser is CPython's private module: if it goes or changes, cues run their expressions
    class Changed:
        @staticmethod
        def parse(*args):
            raise TypeError("a changed signature")

    cue = re.compile(r"特此公告|现公告如下")
    monkeypatch.setattr(genre_rules, "sre_parser", Changed)
    assert genre.required_text(cue) is None
    monkeypatch.setattr(genre_rules, "sre_parser", None)
    assert genre.required_text(cue) is None


# --- topic seeds, entities, the cut memo, the NFKC shortcut ------------------------------------

def _real_texts(corpus: Path, count: int = 120) -> list[str]:
    """Real official texts of the ingest corpus (every fifth .md/.txt file, up to ``count``)."""
    files = sorted(p for folder in ("state_council", "laws", "work_reports", "speeches")
                   for p in (corpus / folder).rglob("*") if p.suffix in (".md", ".txt"))
    return [p.read_text(encoding="utf-8", errors="replace") for p in files[::5][:count]]


@pytest.fixture(scope="module")
def real_texts(shared_corpus: Path) -> list[str]:
    texts = _real_texts(shared_corpus)
    assert len(texts) >= 100
    return texts


def _seed_hits_before(text: str, title: str = "") -> dict[str, float]:
    hits: dict[str, float] = {}
    for name, seed_words in topic.seeds().items():
        count = sum(text.count(word) for word in seed_words)
        count += topic.TITLE_WEIGHT * sum(title.count(word) for word in seed_words)
        if count:
            hits[name] = float(count)
    return hits


def test_seed_counts_are_str_count_on_real_texts(real_texts: list[str]) -> None:
    every_seed = {word for seed_words in topic.seeds().values() for word in seed_words}
    assert any(a != b and a in b for a in every_seed for b in every_seed)  # seeds inside seeds
    for text in real_texts:
        counts = topic.seed_counts(text[:30000])
        assert counts == {w: text[:30000].count(w) for w in every_seed if w in text[:30000]}
        title = text[:40]
        assert list(topic.seed_hits(text, title).items()) == list(_seed_hits_before(text, title).items())


def test_seed_counts_with_bordered_and_nested_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    crafted = {"甲": ("谢谢", "一一", "人大常委会", "人大", "大常"), "乙": ("常委", "aa", "委会"), "丙": ("无",)}
    monkeypatch.setattr(topic, "seeds", lambda: crafted)
    topic._seed_matcher.cache_clear()
    try:
        assert sorted(topic._seed_matcher()[1]) == ["aa", "一一", "谢谢"]  # counted by str.count
        rng = random.Random(5)
        pieces = ["谢", "谢谢", "一", "人大", "常委", "会", "人大常委会", "a", "，", "大"]
        for _ in range(2000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
            title = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
            assert list(topic.seed_hits(text, title).items()) == list(_seed_hits_before(text, title).items())
        assert topic.seed_counts("谢谢谢谢谢 aaaaa 人大常委会")["谢谢"] == 2  # str.count: not overlapping
        assert topic.seed_counts("人大常委会")["大常"] == 1
    finally:
        topic._seed_matcher.cache_clear()
    assert topic._has_border("谢谢") and topic._has_border("abcab") and not topic._has_border("人大常委会")


def _find_entities_before(text: str) -> list[tuple[str, str, int, int]]:
    """``find_entities`` as it was: every pattern over the whole text, overlaps by ``any`` (the
    rules for a match's span are shared: ``entities.entity_span``)."""
    taken: list[tuple[int, int]] = []
    found = []
    for label, pattern in entities.PATTERNS:
        for match in pattern.finditer(text):
            span = entities.entity_span(label, *match.span(), text)
            if span is None or any(span[0] < e and s < span[1] for s, e in taken):
                continue
            taken.append(span)
            found.append((label, text[span[0]:span[1]], *span))
    return sorted(found, key=lambda entity: entity[2])


def _entities_now(text: str) -> list[tuple[str, str, int, int]]:
    return [(e.label, e.text, e.start, e.end) for e in entities.find_entities(text)]


def test_entities_are_those_of_the_plain_scan_on_real_texts(real_texts: list[str]) -> None:
    found = 0
    for text in real_texts:
        for part in (text[:4000], text[-6000:]):
            assert _entities_now(part) == _find_entities_before(part)
            found += len(_entities_now(part))
    assert found > 1000


def test_entities_on_random_texts_of_the_patterns_pieces() -> None:
    pieces = ["人民代表大会", "人大", "常务委员会", "常委会", "第", "十二", "届", "三", "次", "会议", "全体",
              "主任会议", "国发", "〔", "2019", "〕", "[", "]", "［", "］", " ", "5", "号", "《", "法", "》",
              "条例", "（", "）", "区", "市", "县", "省", "自治区", "街道", "乡", "人民政府", "办公室",
              "办公厅", "委员会", "局", "院", "部", "主任", "副主任", "书记", "、", "党组书记", "常务",
              "张", "王某", "李明", "，", "。", "：", "\n", "在", "的", "和", "听取", "2023年5月1日",
              "二〇二三年五月一日", "〇", "０", "某", "大", "会", "中共", "全国", "北京", "海淀", "ｘ", "a",
              "第三次会议", "第十次", "十二届人大", "〔2019〕5号", "[2020]12号", "市人大常委会"]
    rng = random.Random(6)
    labels = set()
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        expected = _find_entities_before(text)
        assert _entities_now(text) == expected, text
        labels.update(label for label, *_ in expected)
        for label, pattern in entities.PATTERNS:  # the premise: a match within a run, an anchor in it
            if label in entities._WHERE:
                outside, anchors = entities._WHERE[label]
                for match in pattern.finditer(text):
                    assert not outside.search(match.group()) and anchors.search(match.group()), text
    assert labels >= {"MEETING", "DOCNO", "PERSON_POST", "ORG", "PLACE", "DATE", "LAW"}


def test_remembered_cuts_are_rjiebas(real_texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for text in real_texts[:40]:
        assert words(text) == segment._tokens(text, rjieba.cut)
        assert words(fold(text)) == segment._tokens(fold(text), rjieba.cut)
    monkeypatch.setattr(segment._cut_remembered, "limit", 50)  # emptied when full, still the same
    for text in real_texts[40:60]:
        assert words(text) == segment._tokens(text, rjieba.cut)
        assert len(segment._cut_remembered) <= 50


def test_a_new_word_empties_the_remembered_cuts() -> None:
    text = "关于兹兹尔尔沃事项"
    before = words(text)
    assert "兹兹尔尔沃" not in before
    segment.add_words([("兹兹尔尔沃", 100000)])
    after = words(text)
    assert "兹兹尔尔沃" in after and after == segment._tokens(text, rjieba.cut)


def _normalise_before(text: str) -> str:
    return linking._NOT_ALNUM.sub("", normalize.to_simplified(unicodedata.normalize("NFKC", text)))


def test_normalise_text_is_nfkc_over_every_code_point() -> None:
    assert linking.normalise_text(EVERY) == _normalise_before(EVERY)
    for ch in EVERY:
        assert linking.normalise_text(ch) == _normalise_before(ch), hex(ord(ch))


def _composition_seconds() -> set[str]:
    """Every character that canonically composes with the one before it: the second of each
    two-character canonical decomposition, and Hangul's medial and final jamo."""
    seconds = {chr(code) for code in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))}
    for ch in EVERY:
        parts = unicodedata.decomposition(ch).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    return seconds


def test_the_nfkc_shortcuts_characters_never_compose_with_a_neighbour() -> None:
    outside, _, _ = linking._nfkc_alone()
    alone = [ch for ch in EVERY if not outside.match(ch)]
    assert 22000 < len(alone) < 24000 and "，" in alone and "中" in alone and "①" in alone
    seconds = _composition_seconds()
    for ch in alone:
        for part in unicodedata.normalize("NFKD", ch):
            assert unicodedata.combining(part) == 0 and part not in seconds, hex(ord(ch))
    # texts of the shortcut's characters, those NFKC changes first: per character it is exact
    changed = [ch for ch in alone if unicodedata.normalize("NFKC", ch) != ch]
    assert {"２", "Ａ", "①", "Ⅱ", "　", "，"} <= set(changed)
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(changed if rng.random() < 0.6 else alone) for _ in range(rng.randint(1, 30)))
        assert linking.normalise_text(text) == _normalise_before(text), text


def test_normalise_text_on_real_texts(real_texts: list[str]) -> None:
    shortcut = 0
    for text in real_texts:
        assert linking.normalise_text(text) == _normalise_before(text)
        shortcut += not linking._nfkc_alone()[0].search(text) and not has_traditional(text)
    assert shortcut >= len(real_texts) // 2
    big5 = "國務院關於印發２０１９年工作要點的通知"  # traditional: the plain path
    assert linking.normalise_text(big5) == _normalise_before(big5) == "国务院关于印发2019年工作要点的通知"


def _keywords_with_idf_before(text: str, title: str, limit: int, idf: dict[str, float] | None) -> list[str]:
    counts = Counter(kw.candidate_words(text))
    for word in kw.candidate_words(title):
        counts[word] += 3
    if not counts:
        return []
    table, default = kw._general_idf() if idf is None else (idf, idf.get("__default__", 10.0))
    total = sum(counts.values())
    scored = {w: (c / total) * table.get(w, default) * (1 + 0.1 * min(len(w), 6))
              for w, c in counts.items()}
    return [w for w, _ in sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:limit]]


def test_keywords_score_only_the_contenders_on_real_texts(real_texts: list[str]) -> None:
    own_idf = kw.build_idf(real_texts[:60])
    for text in real_texts:
        title = text[:30]
        for limit, idf in ((8, None), (3, own_idf), (40, own_idf)):
            assert kw.keywords(text[:30000], title, limit, idf) == \
                _keywords_with_idf_before(text[:30000], title, limit, idf)
        assert kw.candidate_counts(text) == Counter(kw.candidate_words(text))
        assert list(kw.candidate_counts(text)) == list(Counter(kw.candidate_words(text)))


def test_keywords_with_crafted_idf_tables() -> None:
    text = "预算 预算 预算 审计 审计 监督 监督 人大 代表 建议 议案 财政 财政 财政 执行 决算 学校 医院"
    rng = random.Random(8)
    vocabulary = text.split()
    tables = [{}, {"__default__": 0.0}, {"预算": -5.0, "__default__": 1.0},  # negative IDF
              {w: -1.0 for w in vocabulary}, {"审计": float("nan")}, {"监督": float("inf")},
              {w: 2.0 for w in vocabulary}]  # ties everywhere: the word decides
    tables += [{w: rng.choice([0.5, 1.0, 3.0, 7.25]) for w in vocabulary} for _ in range(30)]
    for table in tables:
        for limit in (1, 2, 5, 30):
            words_text = " ".join(rng.sample(vocabulary * 2, len(vocabulary)))
            got = kw.keywords(words_text, "财政预算", limit, table)
            assert got == _keywords_with_idf_before(words_text, "财政预算", limit, table), (table, limit)
    table = {"预算": 1.0, "__default__": 1.0}
    assert kw.keywords(text, "", 1, table) == ["财政"]  # 财政 and 预算 tie: the word decides
    table["学校"] = 100.0  # a table that grows is looked at again
    assert kw.keywords(text, "", 1, table) == ["学校"] == _keywords_with_idf_before(text, "", 1, table)
