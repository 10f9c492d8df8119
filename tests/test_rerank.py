"""Re-ranking questions with text features: the feature functions, and the ranking over a real
Whoosh index in tmp_path (a compact answer beats a text that repeats the question's words apart)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.index import rerank as rerank_module
from pipeline.index import search as search_module
from pipeline.index.analysis import bigram_terms, word_terms
from pipeline.index.query import parse
from pipeline.index.passages import query_terms
from pipeline.index.regions import provinces
from pipeline.index.rerank import (
    bigram_share,
    coverage_anywhere,
    longest_common_run,
    question_organs,
    region_features,
    runs_from_bigrams,
    text_features,
    window_coverages,
)
from pipeline.index.search import search
from pipeline.index.writer import add_documents
from pipeline.model import Document
from pipeline.text.synonyms import SynonymTable

TERMS = {"失业": 2.0, "保险": 1.0, "返还": 1.0}


def test_window_coverage_counts_terms_close_together_once() -> None:
    near = "企业可返还失业保险费，失业保险费"
    far = "失业" + "。" * 100 + "保险" + "。" * 100 + "返还"
    assert window_coverages(near, TERMS, (40,)) == [1.0]
    assert window_coverages(far, TERMS, (40, 160, 400)) == [0.5, 0.25 + 0.5, 1.0]


def test_window_coverage_of_nothing_is_zero() -> None:
    assert window_coverages("无关的文字", TERMS, (40,)) == [0.0]
    assert window_coverages("失业", {}, (40,)) == [0.0]


def test_coverage_anywhere_is_the_weight_share_present() -> None:
    assert coverage_anywhere("返还" + "。" * 500 + "失业", TERMS) == 0.75


def test_runs_rebuilt_from_consecutive_bigrams() -> None:
    assert runs_from_bigrams(["三明", "明市", "2020", "裁员", "员或"]) == ["三明市", "2020", "裁员或"]


def test_longest_common_run() -> None:
    runs = ["对参加疫情防控的医务人员", "防疫工作者"]
    assert longest_common_run(runs, "对参加疫情防控的人员和防疫工作者") == 8
    assert longest_common_run(runs, "毫不相关") == 0


def test_text_features_are_shares_between_zero_and_one() -> None:
    features = text_features("企业可返还失业保险费", TERMS, ["返还失业保险"])
    assert set(features) == {"window_40", "window_160", "anywhere", "longest_run"}
    assert all(0.0 <= value <= 1.0 for value in features.values())
    assert features["longest_run"] == len("返还失业保险") / 20


def test_only_questions_are_marked_for_text_features() -> None:
    synonyms = SynonymTable()
    assert parse("三明市对不裁员的参保企业可返还多少失业保险费？", synonyms)[1].question
    assert not parse("失业保险 返还", synonyms)[1].question


QUESTION = "三明市对不裁员或少裁员的参保企业，可返还其上年度实际缴纳失业保险费的多少？"
FILLER = ["会议强调要统筹推进各项工作", "各地要加强组织领导", "请认真贯彻执行", "本通知自印发之日起施行",
          "有关情况及时报告", "做好宣传解读工作", "切实维护群众利益", "确保各项措施落地见效"]
# the answer: the question's words together in one sentence of a long text
ANSWER = "。".join(FILLER * 3 + ["三明市对不裁员或少裁员的参保企业，可返还其上年度实际缴纳失业保险费的50%"]
                  + FILLER * 3)
# every question word and bigram three times as often, but each in a different sentence: BM25 prefers it
_PIECES = list(dict.fromkeys(word_terms(QUESTION) + bigram_terms(QUESTION)))
SCATTERED = "。".join(f"{FILLER[i % len(FILLER)]}{piece}" for i, piece in enumerate(_PIECES * 3))


def _doc(name: str, body: str) -> Document:
    return Document(path=f"/archive/{name}.txt", format="txt", title=body[:12], body=body,
                    paragraphs=[body])


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rerank_home")
    docs = {"answer": _doc("answer", ANSWER), "scattered": _doc("scattered", SCATTERED)}
    docs.update({f"other{n}": _doc(f"other{n}", "。".join(FILLER[n:] + FILLER[:n])) for n in range(6)})
    add_documents(path, [(doc_id, doc, {"path": doc.path, "topics": []}) for doc_id, doc in docs.items()])
    return path


def test_a_question_finds_its_compact_answer_first(home: Path) -> None:
    assert [hit["id"] for hit in search(home, QUESTION)["hits"]][:2] == ["answer", "scattered"]


def test_without_text_features_the_scattered_text_wins(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # shows that the features, not the document score, put the answer first
    monkeypatch.setitem(search_module.RANKING, "text_features", False)
    assert search(home, QUESTION)["hits"][0]["id"] == "scattered"


def test_keyword_queries_are_scored_without_text_features(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scores = lambda: [(hit["id"], hit["score"]) for hit in search(home, "失业保险费 参保企业")["hits"]]
    with_features = scores()
    assert len(with_features) == 2
    monkeypatch.setitem(search_module.RANKING, "text_features", False)
    assert scores() == with_features


REGION_QUESTION = "河南省对受疫情影响的中小企业有哪些房租减免政策？"
# another province's notice that repeats the question's words, and the asked province's notice
# that names it by a city (南阳) in its opening and 河南 only further down
OTHER_PROVINCE = "吉林省关于支持中小企业的通知。" + "。".join(FILLER) + \
    "。对受疫情影响的中小企业的房租减免政策：减免三个月"
ASKED_PROVINCE = "南阳市关于支持中小企业的通知。" + "。".join(FILLER) + \
    "。河南省受疫情影响的中小企业，房租减免两个月"


@pytest.fixture(scope="module")
def region_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("region_home")
    docs = {"other_province": _doc("other_province", OTHER_PROVINCE),
            "asked_province": _doc("asked_province", ASKED_PROVINCE)}
    docs.update({f"other{n}": _doc(f"other{n}", "。".join(FILLER[n:] + FILLER[:n])) for n in range(6)})
    add_documents(path, [(doc_id, doc, {"path": doc.path, "topics": []}) for doc_id, doc in docs.items()])
    return path


def test_a_question_naming_a_province_prefers_that_provinces_text(region_home: Path) -> None:
    assert [hit["id"] for hit in search(region_home, REGION_QUESTION)["hits"]][:2] == \
        ["asked_province", "other_province"]


def test_without_the_region_feature_the_other_province_wins(region_home: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # shows that the region features, not the text features, put the asked province first
    for name in ("other_region", "other_strict", "same_region", "asked_anywhere"):
        monkeypatch.setitem(rerank_module.QUESTION_WEIGHTS, name, 0.0)
    assert search(region_home, REGION_QUESTION)["hits"][0]["id"] == "other_province"


def test_region_features_place_a_candidate_against_the_asked_province() -> None:
    hubei = provinces("湖北省对一线医务人员有哪些政策？")
    far = "。" * 200  # past the opening
    names = ("other_region", "other_strict", "same_region", "asked_anywhere")
    cases = {
        "国家卫生健康委关于关心关爱医务人员的通知" + far + "湖北省一线医务人员": (0, 0, 0, 1),  # national
        "湖北省人民政府关于关心关爱医务人员的若干措施": (0, 0, 1, 1),
        "吉林省多部门出台34项措施" + far + "对口支援武汉市": (1, 0, 0, 1),  # 武汉 is 湖北's
        "吉林省多部门出台34项措施": (1, 1, 0, 0),
    }
    for text, expected in cases.items():
        assert tuple(region_features(hubei, text)[n] for n in names) == expected, text
    assert set(region_features(set(), "吉林省多部门出台34项措施").values()) == {0.0}


def test_organs_are_the_questions_own_words_ending_in_an_organ() -> None:
    organs = lambda question: question_organs(query_terms(parse(question, SynonymTable())[0]))
    assert organs("国家邮政局针对哪些运输开通了寄递绿色通道？") == ["国家邮政局"]
    assert organs("市场监管总局是如何保障生活用品供应的？") == ["市场监管总局"]
    assert organs("对通行收费公路的车辆有什么政策？") == []
    assert bigram_share("税务局", "国家税务总局关于延长申报期限的通知") == 0.5
    assert bigram_share("交通运输部", "交通运输部关于免收车辆通行费的通知") == 1.0


def test_candidates_carry_their_region_and_first_stage_features(region_home: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    recorded: list[list[dict[str, float]]] = []
    original = search_module.candidate_features

    def recording(*args):
        rows = original(*args)
        recorded.append(rows)
        return rows

    monkeypatch.setattr(search_module, "candidate_features", recording)
    search(region_home, REGION_QUESTION)
    rows = recorded[-1]
    assert [row["first_stage"] for row in rows] == [0.1 / (1 + rank) for rank in range(len(rows))]
    assert sorted((row["other_region"], row["other_strict"], row["same_region"]) for row in rows
                  if row["other_region"] or row["same_region"]) == [(0.0, 0.0, 1.0), (1.0, 1.0, 0.0)]
