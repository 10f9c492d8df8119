"""rjieba (hot path) and jieba (reference) give identical tokens on real sentences."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.text.segment import words, words_reference


def _sentences(corpus: Path, limit: int = 3000) -> list[str]:
    sentences: list[str] = []
    files = sorted((corpus / "state_council").glob("*.txt")) + sorted((corpus / "npc_resolutions").glob("*.txt"))
    files += sorted((corpus / "laws").rglob("*.md"))[:40]
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        sentences.extend(s for s in re.split(r"[。！？\n]", text) if len(s.strip()) >= 8)
        if len(sentences) >= limit:
            break
    return sentences[:limit]


def test_rjieba_matches_jieba_on_real_sentences(shared_corpus: Path) -> None:
    sentences = _sentences(shared_corpus)
    assert len(sentences) >= 2000
    mismatches = [s for s in sentences if words(s) != words_reference(s)]
    assert not mismatches, mismatches[:3]
