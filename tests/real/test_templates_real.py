"""Templates against real local 人大 documents (../shared/corpus): the benchmark's sets and split, as tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from template_sets import held_out, local_sets, national_resolutions, title_genre
from templates import load

from pipeline.templates.api import documents_from_files
from pipeline.templates.assemble import builtin_template
from pipeline.templates.boundaries import names_other_organ
from pipeline.templates.phrase_forms import choose_for, present
from pipeline.templates.refine import apply, refinement


def test_titles_name_the_genre():
    assert title_genre("第02版\n\n某市第十届人民代表大会第五次会议\n关于某市人民检察院工作报告的决议\n（2023年2月25日通过）") == "决议"
    assert title_genre("关于《……研究处理情况报告》的初审意见(书面)") == "初审意见"
    assert title_genre("# 北京市人民代表大会常务委员会关于加强市级预算审查监督的决定") == "决定"
    assert title_genre("市六届人大常委会第五十二次主任会议召开 张生起主持并讲话") is None


def test_local_sets_are_labelled_by_rule_and_keep_national_and_news_out(shared_corpus: Path):
    sets = local_sets(shared_corpus)
    national = {e.relative for e in national_resolutions(shared_corpus)}
    for genre, entries in sets.items():
        assert not national & {e.relative for e in entries}, genre
    minutes = {e.relative for e in sets["纪要"]}
    assert not any(r.startswith("renda_more/minutes/") for r in minutes)  # news of meetings, 简报
    assert all("纪要" in e.text for e in sets["纪要"])
    assert all(e.relative.endswith(("决议.md", ").md")) or not e.relative.startswith("laws/")
               for e in sets["决议"])
    dev, test, _ = load(shared_corpus, "决议")
    assert len(dev) >= 8 and len(test) >= 8
    assert all(held_out(e.relative) for e in test) and not any(held_out(e.relative) for e in dev)


def test_refinement_on_national_and_local_resolutions_keeps_national_wording_out(shared_corpus: Path):
    dev, _, extra = load(shared_corpus, "决议")
    items, _ = documents_from_files([e.path for e in dev if e.path] + extra, genre="决议")
    template = apply(builtin_template("决议"), refinement("决议", items, national=False))
    for phrase in (f["text"] for f in template["fixed"]):
        assert not names_other_organ(phrase) and "国务院" not in phrase, phrase


CHOSEN = ("审议意见", "决议", "纪要", "建议答复", "讲话稿", "工作总结")  # 决定, 任免: nothing reached the bar


@pytest.mark.parametrize("genre", CHOSEN)
def test_built_in_phrases_are_the_ones_the_development_half_shares(shared_corpus: Path, genre: str):
    dev, _, _ = load(shared_corpus, genre)
    texts = [e.text for e in dev]
    template = builtin_template(genre)
    chosen = [p["text"] for p in choose_for(template, texts)]
    assert sorted(f["text"] for f in template["fixed"]) == sorted(chosen)  # the template keeps page order
    for phrase in chosen:  # each held, in some form, by half the development documents or more
        assert sum(present(phrase, t) for t in texts) * 2 >= len(texts), phrase


def test_forms_find_what_the_exact_text_misses_on_real_resolutions(shared_corpus: Path):
    dev, _, _ = load(shared_corpus, "决议")
    texts = [e.text for e in dev]
    exact = sum("听取和审议了" in t for t in texts)
    assert sum(present("听取和审议了", t) for t in texts) > exact  # 听取并审议了, 听取审议 …
