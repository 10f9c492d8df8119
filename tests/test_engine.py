"""The numpy query evaluator against Whoosh's own evaluation, on a real index in tmp_path.

A few dozen documents written through ``add_documents`` in several commits (several segments),
some replaced and deleted; queries covering every node type the query builder emits (Term, And,
Or, AndMaybe, AndNot, Phrase, Prefix, NullQuery), filters, date sort and paging. Both paths must
give the same total, the same facet counts and the same ranking (scores within 1e-6 relative).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import query as Q

from pipeline.index import engine, matches, segment_postings, term_postings
from pipeline.index import search as S
from pipeline.index.query import parse
from pipeline.index.writer import add_documents, delete_documents
from pipeline.model import Document
from pipeline.text.synonyms import table as synonym_table

TITLES = [
    "关于开展督导涉访单位专项工作的通知", "关于督导检查工作的意见", "关于加强监督导向作用的报告",
    "第十二届全国人民代表大会第三次会议关于政府工作报告的决议", "关于疫情防控物资保障的通知",
    "关于一府一委两院工作报告的审议意见", "關於加強檔案管理工作的通知", "关于阶段性减免社会保险费的通知",
    "人民代表大会常务委员会关于代表建议办理的决定", "关于做好防汛抗旱工作的紧急通知",
    "国务院关于印发政府工作报告重点工作分工的意见", "关于团工委开展青年志愿服务的函",
]
SENTENCES = [
    "全面开展督导涉访单位工作，压实责任。", "各单位要按时报送情况。", "督导检查是推动落实的重要手段。",
    "发挥监督导向作用，规范权力运行。", "第十二届全国人民代表大会第三次会议听取了政府工作报告。",
    "国家卫生健康委员会（以下简称“国家卫健委”）会同有关部门开展检查。", "国家卫健委负责统筹疫情防控。",
    "常务委员会听取了区政府、区监察委员会、区法院的工作报告。", "各單位要加強檔案管理，確保檔案安全。",
    "阶段性减免企业社会保险费，减轻企业负担。", "人大常委会审议了代表建议办理情况的报告。",
    "做好防汛抗旱工作，确保人民群众生命财产安全。", "团工委组织青年志愿者参与社区服务。",
    "依照国发〔2019〕5号文件执行。", "本决定自公布之日起施行。", "费用由财政预算安排。",
]
ISSUERS = ["国务院", "国务院办公厅", "某区人大常委会", "某区监察委员会", "国家卫生健康委员会", "团区委"]
GENRES = ["通知", "意见", "报告", "决定", "函", "决议"]


def _documents(count: int, seed: int = 5) -> list[tuple[str, Document, dict]]:
    rng = random.Random(seed)
    items = []
    for n in range(count):
        paragraphs = rng.sample(SENTENCES, rng.randint(2, 6))
        year = rng.choice([2015, 2019, 2019, 2020, 2021, 2023])  # repeated dates: sort ties
        date = f"{year}-0{rng.randint(1, 3)}-1{rng.randint(0, 1)}" if n % 9 else None
        issuers = rng.sample(ISSUERS, rng.choice([1, 1, 2]))
        doc = Document(path=f"/archive/{n}.txt", format="txt", title=TITLES[n % len(TITLES)],
                       body="\n".join(paragraphs), paragraphs=paragraphs,
                       doc_number=f"国发〔{year}〕{n}号" if n % 4 == 0 else None,
                       issuer=issuers, date=date, genre=rng.choice(GENRES))
        items.append((f"d{n}", doc, {"path": doc.path}))
    return items


@pytest.fixture(scope="module")
def index_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("engine_home")
    items = _documents(48)
    # three commits of falling size (Whoosh merges a small segment into a smaller total only)
    for start, end in ((0, 30), (30, 42), (42, 48)):
        add_documents(home, items[start:end])
    add_documents(home, _documents(60)[48:] + [items[3]])  # replaces d3: a deletion in a segment
    delete_documents(home, ["d5", "d17", "d30"])
    return home


QUERIES = [
    "督导", "督导涉访单位", "涉访", "工作报告", "政府工作报告 决议", "疫情防控", "国家卫健委",
    "国家卫生健康委员会", "人大常委会", "人民代表大会常务委员会 决定", "社会保险费", "阶段性 减免",
    "团工委", "费", "团", "防汛 OR 档案", "工作 -督导", "工作 NOT 报告", "\"督导检查\"",
    "“监督导向”", "标题:通知", "标题:\"防汛抗旱\"", "文号:国发〔2019〕5号", "国发[2019]0号",
    "机关:国务院", "文种:决定", "十二届人大三次会议", "檔案管理", "档案", "怎么做好防汛抗旱工作？",
    "国务院 意见 工作", "无此词语", "确保 安全 人民",
]


def _both(searcher, query: Q.Query, doc_filter: Q.Query | None, pool: int, by_date: bool):
    ours = engine.engine_for(searcher, S.FACET_COLUMNS).run(query, doc_filter, pool, by_date)
    theirs = S.whoosh_match(searcher, query, doc_filter, pool, by_date)
    return (ours.top, ours.total, ours.facets), theirs


def _assert_same(ours, theirs, label: str, by_date: bool = False) -> None:
    top, total, facets = ours
    their_top, their_total, their_facets = theirs
    assert total == their_total, label
    assert facets == their_facets, label
    assert [d for _, d in top] == [d for _, d in their_top], label
    if not by_date:
        for (score, _), (their_score, _) in zip(top, their_top):
            assert score == pytest.approx(their_score, rel=1e-6), label


def test_index_has_several_segments_and_deletions(index_home: Path) -> None:
    searcher = S.searcher_for(index_home)
    leaves = searcher.reader().leaf_readers()
    assert len(leaves) >= 2
    assert any(leaf.has_deletions() for leaf, _ in leaves)


@pytest.mark.parametrize("text", QUERIES)
def test_same_ranking_total_and_facets_as_whoosh(index_home: Path, text: str) -> None:
    searcher = S.searcher_for(index_home)
    query, _ = parse(text, synonym_table(index_home))
    if query is Q.NullQuery:
        pytest.skip("nothing to evaluate")
    for pool in (10, 1000):
        _assert_same(*_both(searcher, query, None, pool, False), f"{text} pool={pool}")


def test_queries_cover_every_node_type(index_home: Path) -> None:
    seen: set[str] = set()

    def walk(query: Q.Query) -> None:
        seen.add(type(query).__name__)
        if not query.is_leaf():
            for child in query.children():
                walk(child)

    synonyms = synonym_table(index_home)
    for text in QUERIES:
        walk(parse(text, synonyms)[0])
    assert {"Term", "And", "Or", "AndMaybe", "AndNot", "Phrase", "Prefix"} <= seen


@pytest.mark.parametrize("filters", [
    {"genre": "通知"}, {"year": 2019}, {"issuer": "国务院"}, {"issuer": "人大常委会"},
    {"date_from": "2019-01-01", "date_to": "2020-12-31"}, {"date_from": "2021-01-01"},
    {"date_to": "2019-02-11"}, {"genre": "意见", "year": "2019", "date_from": "2019-02-01"},
])
def test_filters_give_the_same_answers(index_home: Path, filters: dict) -> None:
    searcher = S.searcher_for(index_home)
    synonyms = synonym_table(index_home)
    args = [filters.get(k) for k in ("genre", "year", "issuer", "date_from", "date_to")]
    doc_filter = Q.And(S._filters(*args, synonyms))
    for text in ("工作", "国务院 意见", "督导"):
        query, _ = parse(text, synonyms)
        _assert_same(*_both(searcher, query, doc_filter, 30, False), f"{text} {filters}")


@pytest.mark.parametrize("text", ["工作", "通知", "人大常委会"])
def test_date_sort_gives_the_same_order(index_home: Path, text: str) -> None:
    searcher = S.searcher_for(index_home)
    query, _ = parse(text, synonym_table(index_home))
    ours, theirs = _both(searcher, query, None, 1000, True)
    assert len(ours[0]) > 5  # several documents share a date: ties are ordered too
    _assert_same(ours, theirs, text, by_date=True)


def test_search_results_identical_with_either_engine(index_home: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cases = [("工作", {}), ("工作", {"offset": 5, "limit": 5}), ("工作", {"sort": "date", "offset": 3}),
             ("通知 OR 意见", {"genre": "通知"}), ("人大常委会", {"date_from": "2019-01-01"}),
             ("督导", {"limit": 3}),
             # best match: the documents holding most of the words after those holding them all
             ("督导 检查 安全 彩虹", {}), ("防汛 档案 团工委", {"sort": "date"}),
             ("人大常委会 决定 疫情防控", {"offset": 3, "limit": 4}), ("工作 督导 安全", {"genre": "通知"})]
    ours = [S.search(index_home, text, **kwargs) for text, kwargs in cases]
    monkeypatch.setenv("GONGWEN_SEARCH_ENGINE", "whoosh")
    theirs = [S.search(index_home, text, **kwargs) for text, kwargs in cases]
    for (text, kwargs), mine, reference in zip(cases, ours, theirs):
        assert mine == reference, (text, kwargs)
        assert mine["hits"], (text, kwargs)
    assert sum("all_words" in result for result in ours) >= 3  # the best-match cases took part


def test_deleted_and_replaced_documents_are_not_found(index_home: Path) -> None:
    searcher = S.searcher_for(index_home)
    query, _ = parse("工作 OR 通知 OR 报告 OR 安全", synonym_table(index_home))
    top, total, _ = _both(searcher, query, None, 1000, False)[0]
    ids = [searcher.stored_fields(d)["id"] for _, d in top]
    assert len(ids) == total == len(set(ids))
    assert not {"d5", "d17", "d30"} & set(ids)


def test_unsupported_nodes_fall_back_to_whoosh(index_home: Path) -> None:
    searcher = S.searcher_for(index_home)
    wildcard = Q.Wildcard("body_bg", "工*")
    with pytest.raises(engine.Unsupported):
        engine.engine_for(searcher, S.FACET_COLUMNS).evaluate(wildcard)
    top, total, facets = S._match(searcher, wildcard, None, 10, False)
    assert (top, total, facets) == S.whoosh_match(searcher, wildcard, None, 10, False)
    assert total > 0


def test_postings_cache_is_bounded(index_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    searcher = S.searcher_for(index_home)
    fresh = engine.Engine(searcher, S.FACET_COLUMNS)
    monkeypatch.setattr(term_postings, "CACHE_MB", 0.0005)  # 500 bytes
    for text in ("工作", "报告", "通知", "国务院"):
        fresh.evaluate(parse(text, synonym_table(index_home))[0])
    assert len(fresh._cache) >= 1
    assert fresh._cache_bytes <= 500 or len(fresh._cache) == 1


@pytest.mark.parametrize("share", [0.0, 1e9])  # positions decoded whole / posting by posting
def test_phrases_verified_either_way(index_home: Path, monkeypatch: pytest.MonkeyPatch,
                                     share: float) -> None:
    monkeypatch.setattr(term_postings, "FULL_DECODE_SHARE", share)
    searcher = S.searcher_for(index_home)
    fresh = engine.Engine(searcher, S.FACET_COLUMNS)
    synonyms = synonym_table(index_home)
    for text in ("\"督导检查\"", "“监督导向”", "标题:\"防汛抗旱\"", "政府工作报告", "人民代表大会常务委员会 决定"):
        query, _ = parse(text, synonyms)
        found = fresh.run(query, None, 1000, False)
        reference = S.whoosh_match(searcher, query, None, 1000, False)
        _assert_same((found.top, found.total, found.facets), reference, f"{text} share={share}")


@pytest.mark.parametrize("direct", [0, 10**9])  # joins by binary search only / direct addressing
def test_joins_either_way(index_home: Path, monkeypatch: pytest.MonkeyPatch, direct: int) -> None:
    monkeypatch.setattr(matches, "DIRECT_JOIN", direct)
    searcher = S.searcher_for(index_home)
    synonyms = synonym_table(index_home)
    for text in ("国务院 意见 工作", "工作 -督导", "人大常委会", "阶段性 减免"):
        query, _ = parse(text, synonyms)
        found = engine.Engine(searcher, S.FACET_COLUMNS).run(query, None, 1000, False)
        reference = S.whoosh_match(searcher, query, None, 1000, False)
        _assert_same((found.top, found.total, found.facets), reference, f"{text} direct={direct}")


def test_blocks_read_whole_when_the_quick_cut_is_refused(index_home: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segment_postings, "_block_shape_ok", lambda *args: False)
    searcher = S.searcher_for(index_home)
    for text in ("工作", "国务院 意见", "\"督导检查\""):
        query, _ = parse(text, synonym_table(index_home))
        found = engine.Engine(searcher, S.FACET_COLUMNS).run(query, None, 1000, False)
        reference = S.whoosh_match(searcher, query, None, 1000, False)
        _assert_same((found.top, found.total, found.facets), reference, text)
