"""The built-in templates: every genre drafts on an empty archive, with readable slots and phrases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.parse import parse_file
from pipeline.templates.assemble import SLOT_REF, builtin_template, refs
from pipeline.templates.boundaries import MIN_CHARS, names_other_organ, trim_to_words
from pipeline.templates.builtin import builtin_genres, spec_for
from pipeline.templates.draft import build_document, render

GENRES = builtin_genres()
# a slot named only by a generic part and a number (正文3), or numbered at all
GENERIC = re.compile(r"^(?:正文|开头|结尾|段落|内容|一级标题|二级标题|三级标题|四级标题)?\d+$|\d$")
OFFICE_GENRES = ("审议意见", "决议", "决定", "纪要", "讲话稿", "工作总结", "工作要点", "请示", "报告", "函", "通知",
                 "建议答复")


def example_values(template: dict) -> dict:
    """Every slot filled with its first example (a list slot with two items)."""
    return {s["name"]: (s["examples"] * 2 if s["kind"] == "list" else s["examples"][0])
            for s in template["slots"] if s["examples"]}


def test_the_office_genres_are_built_in():
    assert set(OFFICE_GENRES) <= set(GENRES)
    assert spec_for("工作计划").genre == "工作要点" and spec_for("主任会议纪要").genre == "纪要"


@pytest.mark.parametrize("genre", GENRES)
def test_every_genre_drafts_on_an_empty_archive(genre: str, tmp_path: Path):
    template = builtin_template(genre)
    result = render(template, example_values(template), tmp_path / f"{genre}.docx")
    assert result["unfilled"] == [], result["unfilled"]
    parsed = parse_file(result["path"])
    assert parsed.title and "【待填" not in parsed.title
    assert "【待填" not in parsed.body


@pytest.mark.parametrize("genre", GENRES)
def test_slots_are_named_typed_and_explained(genre: str):
    spec = spec_for(genre)
    for variant in [None, *(v.name for v in spec.variants)]:
        template = builtin_template(genre, variant)
        names = [s["name"] for s in template["slots"]]
        assert len(names) == len(set(names))
        for slot in template["slots"]:
            assert not GENERIC.search(slot["name"]), slot["name"]
            assert slot["hint"] and slot["kind"] and slot["type"] and slot["source"] == "built-in"
            if slot["required"] and slot["group"] == "正文":
                assert slot["examples"], slot["name"]
        used = set(refs(template["title_pattern"])) | {n for p in template["skeleton"] for n in refs(p)}
        assert used <= set(names), used - set(names)
    for repeated in ("审议意见", "纪要", "讲话稿", "工作总结", "工作要点", "请示", "报告", "建议答复"):
        assert [s for s in builtin_template(repeated)["slots"] if s["kind"] == "list"], repeated


def _filled_text(template: dict, running: bool = False) -> str:
    """The page's words with the examples in the slots (list prompts included); ``running``: the
    running text only, where word boundaries are judged (a title ends in a genre name: 会议纪要)."""
    doc, *_ = build_document(template, example_values(template))
    empty, *_ = build_document(template, {})
    heads = [] if running else [doc.title or "", template.get("mark") or ""]
    return "\n".join([*heads, doc.adoption_note or "", *doc.paragraphs, *empty.paragraphs])


@pytest.mark.parametrize("genre", GENRES)
def test_fixed_phrases_are_readable_and_in_the_draft(genre: str):
    spec = spec_for(genre)
    for variant in [None, *(v.name for v in spec.variants)]:
        template = builtin_template(genre, variant)
        text, running = _filled_text(template), _filled_text(template, running=True)
        for phrase in (f["text"] for f in template["fixed"]):
            assert len(re.sub(r"[^\u4e00-\u9fff]", "", phrase)) >= MIN_CHARS, phrase
            assert not SLOT_REF.search(phrase) and not names_other_organ(phrase), phrase
            assert phrase in text, (variant, phrase)
            if phrase in running:  # at word boundaries where it stands in the text
                assert trim_to_words(phrase, [running]) == phrase, (variant, phrase)


def test_fixed_phrases_are_in_document_order_with_positions():
    template = builtin_template("审议意见")
    assert [f["text"] for f in template["fixed"]] == ["审议意见", "听取和审议了", "常委会组成人员认为", "存在的问题",
                                                     "进一步加强"]
    assert template["fixed"][0]["position"] == "opening" and template["fixed"][-1]["position"] == "transition"
    assert all(f["source"] == "built-in" for f in template["fixed"])


def test_layouts_follow_the_genre():
    assert builtin_template("讲话稿")["layout"] == "plain" and builtin_template("工作总结")["layout"] == "plain"
    assert builtin_template("纪要")["layout"] == "minutes"
    assert builtin_template("函")["layout"] == "letter" and builtin_template("建议答复")["layout"] == "letter"
    for genre in ("请示", "报告"):
        assert "签发人" in {s["name"] for s in builtin_template(genre)["slots"]}
    assert "签发人" not in {s["name"] for s in builtin_template("审议意见")["slots"]}
    for genre in GENRES:  # classified documents are not drafted here
        assert not {"份号", "密级"} & {s["name"] for s in builtin_template(genre)["slots"]}
