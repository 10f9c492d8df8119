"""Everything one ingest of the ingest_speed corpus produces, in a form two versions of the code
can be diffed by: catalog rows (without timestamps and run ids), outcomes, every index posting
(term, document id, weight, value), stored fields, field lengths and the learnt synonyms.
One worker, so that the order files settle in (and with it which copy is the original) is fixed.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/experiments/ingest_dump.py /tmp/after.txt
    PYTHONPATH=/tmp/base .venv/bin/python benchmarks/experiments/ingest_dump.py /tmp/before.txt  # older code
    cmp /tmp/before.txt /tmp/after.txt
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCHMARKS))  # ingest_speed: the corpus it measures
sys.path.append(str(BENCHMARKS.parent))  # the checkout, unless PYTHONPATH names another
from ingest_speed import CORPUS, FOLDERS  # noqa: E402

import pipeline  # noqa: E402
from pipeline import Archive  # noqa: E402

VARYING = {"documents": ("added_at", "updated_at", "run_id"), "files": ("added_at", "run_id", "id"),
           "outcomes": ("at", "run_id")}
ORDER = {"documents": "id", "files": "path, sha256", "outcomes": "path, outcome"}


def catalog_lines(home: Path) -> Iterator[str]:
    conn = sqlite3.connect(home / "catalog.sqlite")
    conn.row_factory = sqlite3.Row
    for table, varying in VARYING.items():
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY {ORDER[table]}"):
            kept = {k: row[k] for k in row.keys() if k not in varying}
            yield f"{table} {json.dumps(kept, ensure_ascii=False, sort_keys=True)}"
    conn.close()


def index_lines(home: Path) -> Iterator[str]:
    from whoosh import index

    with index.open_dir(str(home / "index"), indexname="MAIN").searcher() as searcher:
        reader = searcher.reader()
        ids = {}
        for docnum, stored in reader.iter_docs():
            ids[docnum] = stored["id"]
            yield f"stored {stored['id']} {json.dumps(stored, ensure_ascii=False, sort_keys=True)}"
        for fieldname in sorted(reader.indexed_field_names()):
            for docnum in sorted(ids, key=ids.get):
                yield f"length {fieldname} {ids[docnum]} {reader.doc_field_length(docnum, fieldname)}"
        for fieldname, term in reader.all_terms():
            matcher, postings = reader.postings(fieldname, term), []
            while matcher.is_active():
                value = matcher.value()
                postings.append((ids.get(matcher.id(), f"deleted#{matcher.id()}"), matcher.weight(),
                                 value.hex() if value else None))
                matcher.next()
            yield f"term {fieldname} {term!r} {json.dumps(sorted(postings))}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the dump file to write")
    out_path = parser.parse_args().out
    print("code:", pipeline.__file__, file=sys.stderr)
    home = Path(tempfile.mkdtemp(prefix="ingest-dump-"))
    try:
        summary = Archive(home).ingest([CORPUS / f for f in FOLDERS], workers=1, progress=False)
        summary.pop("seconds")
        synonyms = home / "synonyms.json"
        with open(out_path, "w", encoding="utf-8") as out:
            print("summary", json.dumps(summary, ensure_ascii=False, sort_keys=True), file=out)
            for line in (*catalog_lines(home), *index_lines(home)):
                print(line, file=out)
            print("synonyms", synonyms.read_text(encoding="utf-8") if synonyms.exists() else None,
                  file=out)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
