"""Templates against real local 人大 documents (../shared/corpus): the benchmark's split, as tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from templates import coverage, load, text_of

from pipeline.templates.api import documents_from_files
from pipeline.templates.assemble import builtin_template
from pipeline.templates.boundaries import names_other_organ, trim_to_words
from pipeline.templates.refine import apply, refinement


@pytest.mark.parametrize("genre", ["审议意见", "决议", "纪要"])
def test_built_in_phrases_hold_on_the_development_half(shared_corpus: Path, genre: str):
    dev, _, _ = load(shared_corpus, genre)
    texts = [text_of(p) for p in dev]
    phrases = [f["text"] for f in builtin_template(genre)["fixed"]]
    assert coverage(phrases, texts) >= 0.55  # the half the phrase lists were checked on
    for phrase in phrases:
        holders = [t for t in texts if phrase in t]
        if holders:
            assert trim_to_words(phrase, holders) == phrase, phrase


def test_refinement_on_national_and_local_resolutions_keeps_national_wording_out(shared_corpus: Path):
    dev, _, extra = load(shared_corpus, "决议")
    items, _ = documents_from_files(dev + extra, genre="决议")
    template = apply(builtin_template("决议"), refinement("决议", items, national=False))
    for phrase in (f["text"] for f in template["fixed"]):
        assert not names_other_organ(phrase) and "国务院" not in phrase, phrase
