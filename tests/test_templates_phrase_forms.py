"""Fixed phrases in their general forms, and the rule that chooses a genre's phrases by support."""

from __future__ import annotations

from pipeline.templates.assemble import builtin_template
from pipeline.templates.phrase_forms import (
    candidates,
    choose,
    choose_for,
    needed,
    pattern,
    present,
    surface_forms,
)
from pipeline.templates.phrases import phrase_bank
from pipeline.templates.refine import apply


def test_conjunctions_particles_levels_numerals_and_terms_are_forms_of_one_phrase():
    assert present("听取和审议了", "会议听取并审议了区人民法院工作报告")  # another conjunction
    assert present("听取和审议了", "会议听取审议区政府报告")  # none, and no 了
    assert present("存在的问题", "工作中存在问题")
    assert present("提请区人大常委会审议", "提请市人大常委会审议")
    assert present("第三次会议", "第12次会议") and present("一是加强", "二是加强")
    assert present("常委会组成人员认为", "委员们认为，报告")
    assert present("作如下决议", "特作出以下决议：")
    assert not present("听取和审议了", "听取了汇报")
    assert not present("区人大常委会", "区政协常委会")


def test_forms_are_general_not_a_list_of_whole_phrases():
    assert pattern("关心和支持").fullmatch("关心与支持") and pattern("关心和支持").fullmatch("关心支持")
    assert not pattern("关心和支持").fullmatch("关心和帮助")
    assert surface_forms("听取和审议了", ["听取并审议了", "听取并审议了", "听取和审议了"]) == ["听取并审议了", "听取和审议了"]


def test_a_phrase_most_documents_hold_is_kept_and_a_rare_one_is_not():
    texts = ["会议听取并审议了报告。会议要求，区政府要抓好落实。", "会议听取和审议了报告，决定批准这个报告。",
             "会议听取审议了报告。", "会议审议通过。"]
    kept = {p["text"]: p["support"] for p in choose(["听取和审议了", "决定批准这个报告", "会议要求"], texts)}
    assert kept == {"听取和审议了": 3}
    assert needed(1) == 1 and needed(2) == 2 and needed(10) == 5


def test_a_piece_of_a_longer_shared_phrase_gives_way_to_it():
    texts = ["坚持以习近平新时代中国特色社会主义思想为指导，推进中国特色社会主义法治。"] * 5 + ["社会主义现代化"]
    kept = [p["text"] for p in choose(["社会主义", "坚持以习近平", "习近平新时代中国特色社会主义思想"], texts,
                                       "坚持以习近平新时代中国特色社会主义思想为指导")]
    assert kept == ["习近平新时代中国特色社会主义思想"]  # the most widely held alone would be 社会主义 (6 of 6)


def test_candidates_are_the_template_wording_cut_at_words_and_never_a_slot_piece():
    found = candidates(builtin_template("建议答复"))
    assert "您提出的" in found and "现答复如下" in found
    assert not any(c.startswith("号") for c in found)  # 第{{ 建议编号 }}号 goes with the number
    assert "会议名称" not in candidates(builtin_template("纪要"))  # a slot's name is not wording
    chosen = choose_for(builtin_template("审议意见"), ["会议听取并审议了报告。委员们认为，存在的问题不少。"] * 2)
    assert [p["text"] for p in chosen] == ["听取和审议了", "常委会组成人员认为", "存在的问题"]
    assert chosen[1]["forms"] == ["委员们认为"]


def test_only_whole_words_vary():
    assert not present("达到目的", "达到目标")  # the 的 of 目的 is no particle
    assert not present("及时办理", "时办理")  # nor the 及 of 及时 a conjunction
    assert not present("为了解决", "为解决")
    assert present("作如下决议", "作出以下决议") and not pattern("工作").fullmatch("工作出")


def test_a_mined_piece_of_a_fixed_phrase_does_not_join_it():
    template = builtin_template("决议")
    ref = {"documents": 5, "support": {}, "examples": {}, "variants": [], "outline": [], "phrases": [],
           "fixed": [{"text": text, "support": 5, "position": "body", "source": "mined"}
                     for text in ("贯彻习近平", "充分履职尽责")]}
    texts = [f["text"] for f in apply(template, ref)["fixed"]]
    assert "贯彻习近平" not in texts and "充分履职尽责" in texts


def test_an_empty_archive_offers_the_template_wording_at_every_position():
    bank = phrase_bank(builtin_template("审议意见"), "closing")["phrases"]
    assert [p["text"] for p in bank] == ["认真研究处理", "研究处理情况书面报告"]  # not fixed: not in half the texts
