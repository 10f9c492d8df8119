"""Naive baseline for the drafters' query sets: plain Whoosh + jieba, none of the project's search code.

Indexes every .txt/.md document of the corpus folders below (the .docx of work_reports/provincial_2025
are skipped in favour of their .txt copies) with jieba's ChineseAnalyzer over title (file name stem) and
content, then reports MRR@10 and top-1 for AND and OR grouping of the query words, per kind and per
split (a 4th column of the query file; files without it count as one split, "all").

    .venv/bin/python benchmarks/naive_drafter_baseline.py [QUERY_TSV ...] [--corpus DIR] [--index-dir DIR]

``search_quality.py`` imports ``corpus_files``, ``build_index``, ``read_queries`` and ``naive_rankings``
to report the same baseline beside the project's search in one run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from jieba.analyse import ChineseAnalyzer
from whoosh import index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_corpus import CORPUS  # found beside this script

FOLDERS = ("renda_more", "laws", "renda_pages", "npc_resolutions", "state_council", "work_reports")
DEFAULT_QUERIES = Path(__file__).resolve().parent / "drafter_queries_unseen.tsv"
TOP_K = 10


def corpus_files(corpus: Path) -> list[Path]:
    """Every indexable document, README files left out."""
    return sorted(
        path
        for folder in FOLDERS
        for path in (corpus / folder).rglob("*")
        if path.suffix in {".txt", ".md"} and path.name != "README.md"
    )


def build_index(corpus: Path, index_dir: Path) -> index.Index:
    """Open the index in index_dir, building it first when the folder holds none."""
    if index.exists_in(str(index_dir)):
        return index.open_dir(str(index_dir))
    analyzer = ChineseAnalyzer()
    schema = Schema(
        path=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer),
        content=TEXT(analyzer=analyzer),
    )
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), schema)
    with ix.writer() as writer:
        for path in corpus_files(corpus):
            writer.add_document(
                path=path.relative_to(corpus).as_posix(),
                title=path.stem,
                content=path.read_text(encoding="utf-8", errors="ignore"),
            )
    return ix


def read_queries(tsv: Path) -> list[tuple[str, set[str], str, str]]:
    """(query, targets, kind, split) rows; comment lines start with #."""
    rows = []
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        split = cols[3] if len(cols) > 3 else "all"
        rows.append((cols[0], set(cols[1].split("|")), cols[2], split))
    return rows


GROUPINGS = (("AND", AndGroup), ("OR", OrGroup))


def ranked_paths(searcher, parser, query: str) -> list[str]:
    """The paths of the top TOP_K hits, best first."""
    return [hit["path"] for hit in searcher.search(parser.parse(query), limit=TOP_K)]


def naive_rankings(ix: index.Index, queries: list[str]) -> dict[str, list[list[str]]]:
    """Each query's top paths under AND and under OR grouping of its words."""
    rankings: dict[str, list[list[str]]] = {}
    with ix.searcher() as searcher:
        for name, group in GROUPINGS:
            parser = MultifieldParser(["title", "content"], ix.schema, group=group)
            rankings[name] = [ranked_paths(searcher, parser, query) for query in queries]
    return rankings


def first_hit_rank(searcher, parser, query: str, targets: set[str]) -> int | None:
    """1-based rank of the first target within the top TOP_K, None when absent."""
    for rank, path in enumerate(ranked_paths(searcher, parser, query), start=1):
        if path in targets:
            return rank
    return None


def report(ix: index.Index, tsv: Path) -> None:
    rows = read_queries(tsv)
    print(f"\n{tsv.name}: {len(rows)} queries, {ix.doc_count()} documents")
    with ix.searcher() as searcher:
        for name, group in GROUPINGS:
            parser = MultifieldParser(["title", "content"], ix.schema, group=group)
            buckets: dict[str, list[int | None]] = defaultdict(list)
            for query, targets, kind, split in rows:
                rank = first_hit_rank(searcher, parser, query, targets)
                keys = ["all", f"kind={kind}"]
                if split != "all":
                    keys += [f"split={split}", f"{kind}/{split}"]
                for key in keys:
                    buckets[key].append(rank)
            print(f"  {name}:  {'bucket':22} {'n':>4} {'MRR@10':>7} {'top-1':>6}")
            for key in sorted(buckets, key=lambda k: (k != "all", k.count("/"), k)):
                ranks = buckets[key]
                mrr = sum(1 / r for r in ranks if r) / len(ranks)
                top1 = sum(r == 1 for r in ranks) / len(ranks)
                print(f"        {key:22} {len(ranks):4d} {mrr:7.3f} {top1:6.1%}")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("queries", nargs="*", type=Path, default=[DEFAULT_QUERIES])
    args.add_argument("--corpus", type=Path, default=CORPUS, help="default: ../shared/corpus")
    args.add_argument("--index-dir", type=Path, help="keep the index here between runs")
    opts = args.parse_args()
    with tempfile.TemporaryDirectory(prefix="naive_drafters_") as scratch:
        ix = build_index(opts.corpus, opts.index_dir or Path(scratch))
        for tsv in opts.queries:
            report(ix, tsv)


if __name__ == "__main__":
    main()
