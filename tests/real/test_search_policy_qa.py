"""Reduced policy_qa check: the first 200 questions over the 599 real documents, MRR@10 >= 0.9.

The full number (all 1,262 questions, via ingest and ``search --batch``, beside the naive baselines)
lives in benchmarks/search_quality.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.index.search import search
from pipeline.index.writer import add_documents
from pipeline.model import Document

QUESTIONS = 200


def _load(corpus: Path) -> tuple[dict[str, str], list[tuple[str, set[str]]]]:
    folder = corpus / "ir" / "policy_qa"
    docs = {row["_id"]: row["text"] for row in map(json.loads, (folder / "corpus.jsonl").open(encoding="utf-8"))}
    copies = {d: set(g) for g in json.loads((folder / "duplicate_groups.json").read_text(encoding="utf-8")) for d in g}
    answers: dict[str, set[str]] = {}
    for line in (folder / "qrels.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        qid, doc_id, _ = line.split("\t")
        answers.setdefault(qid, set()).update(copies.get(doc_id, {doc_id}))
    questions = [(row["text"], answers[row["_id"]])
                 for row in map(json.loads, (folder / "queries.jsonl").open(encoding="utf-8"))
                 if row["_id"] in answers]
    return docs, questions[:QUESTIONS]


@pytest.mark.slow
def test_policy_qa_mrr(shared_corpus: Path, tmp_path: Path) -> None:
    docs, questions = _load(shared_corpus)
    items = []
    for doc_id, text in docs.items():
        # one line per document, as the corpus gives it: the parser would take it all for a title
        items.append((doc_id, Document(path=f"{doc_id}.txt", format="txt", title=text), {"path": f"{doc_id}.txt"}))
    add_documents(tmp_path, items)
    reciprocal = 0.0
    for question, answer in questions:
        ranked = [Path(hit["path"]).stem for hit in search(tmp_path, question, limit=10)["hits"]]
        rank = next((i for i, doc_id in enumerate(ranked, 1) if doc_id in answer), None)
        reciprocal += 1 / rank if rank else 0.0
    mrr = reciprocal / len(questions)
    assert mrr >= 0.9, f"MRR@10 {mrr:.3f}"
