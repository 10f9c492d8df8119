"""Templates mined from real documents in ../shared/corpus (NPC and local resolutions)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from pipeline.parse import parse_file
from pipeline.templates.api import build_from_documents, documents_from_files
from pipeline.templates.draft import render


@pytest.fixture(scope="module")
def resolutions(shared_corpus: Path):
    paths = sorted((shared_corpus / "npc_resolutions").glob("*.txt"))
    paths += sorted((shared_corpus / "renda_pages" / "resolutions").glob("*.txt"))
    items, failed = documents_from_files(paths, genre="决议")
    assert not failed
    return items


@pytest.fixture(scope="module")
def template(resolutions, tmp_path_factory):
    return build_from_documents(tmp_path_factory.mktemp("home"), "决议", resolutions)


def test_resolution_template_holds_the_known_form(template):
    fixed = [f["text"] for f in template["fixed"]]
    joined = " ".join(fixed)
    assert "听取" in joined and "审议" in joined
    for phrase in ("充分肯定", "同意", "决定批准这个报告"):
        assert phrase in joined, (phrase, fixed)
    assert fixed[0].endswith("通过")  # the adoption note, above the body
    assert template["adoption_note"].startswith("（") and "通过" in template["adoption_note"]


def test_resolution_fixed_phrases_are_shared_wording(template, resolutions):
    n = len(resolutions)
    for phrase in template["fixed"][1:]:
        assert phrase["support"] >= max(2, math.ceil(n / 2)), phrase
    bodies = {doc.body for _, doc in resolutions}
    assert not any(f["text"] in bodies for f in template["fixed"])


def test_resolution_draft_parses_back(template, tmp_path):
    values = {s["name"]: (s["examples"][0] if s["examples"] else f"{s['name']}内容") for s in template["slots"]}
    values["标题"] = "某某区第十八届人民代表大会第三次会议关于区人民政府工作报告的决议"
    result = render(template, values, tmp_path / "resolution.docx")
    assert result["unfilled"] == []
    parsed = parse_file(result["path"])
    assert parsed.title == values["标题"]
    assert "决定批准这个报告" in parsed.body
    assert parsed.adoption_note and "通过" in parsed.adoption_note
