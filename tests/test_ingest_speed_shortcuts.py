"""The ingest's CPU shortcuts give exactly what the plain code gave.

- ``linking.normalise_text`` drops non-alphanumerics with one regular expression instead of a
  per-character ``isalnum`` test: the same characters are kept, over every code point.
- ``genre.rule_scores`` remembers its last answer (the parser and ``annotate`` both ask for the
  same document): another document gets its own answer, and callers get their own copy.
- ``keywords`` finds jieba's IDF table without importing ``jieba.analyse`` (and ``jieba.posseg``).
- An ingest runs the garbage collector with its own thresholds and frozen objects, and gives
  the process its settings back afterwards.
"""

from __future__ import annotations

import gc
import unicodedata
from pathlib import Path

from pipeline import Archive
from pipeline.archive.linking import normalise_text
from pipeline.classify import genre
from pipeline.model import Document
from pipeline.text.normalize import to_simplified
from tests.test_archive_support import notice_lines, write_txt


def _isalnum_filter(text: str) -> str:
    """The former ``normalise_text``."""
    text = to_simplified(unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in text if ch.isalnum())


def test_normalise_text_keeps_what_isalnum_kept_over_every_code_point() -> None:
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    assert normalise_text(every) == _isalnum_filter(every)
    mixed = "国发〔2019〕5号_第①条 ＡＢｃ²³ⅷ〇 ٣ 關於 under_score"
    assert normalise_text(mixed) == _isalnum_filter(mixed)
    assert "_" not in normalise_text(mixed)


def _doc(title: str, body: str) -> Document:
    return Document(path="x.txt", format="txt", title=title, body=body)


def test_rule_scores_answers_each_document_and_hands_out_copies() -> None:
    notice = _doc("关于开展安全生产检查工作的通知", "各单位：\n现将有关事项通知如下。\n特此通知。")
    reply = _doc("", "你单位《关于设立开发区的请示》收悉。经研究，现批复如下：\n一、同意设立。")
    fresh = [genre._rule_scores(notice), genre._rule_scores(reply)]
    assert fresh[0].genre != fresh[1].genre
    for _ in range(2):  # alternate: the remembered answer never leaks to the other document
        for doc, expected in zip((notice, reply), fresh):
            first = genre.rule_scores(doc)
            assert first == expected
            first.scores.clear()  # a caller changing its copy ...
            assert genre.rule_scores(doc) == expected  # ... changes nothing for the next one
    reply.body += "\n此复。"
    assert genre.rule_scores(reply) == genre._rule_scores(reply)


def test_ingest_restores_the_garbage_collector(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for number in range(3):
        write_txt(source / f"n{number}.txt", notice_lines(number))
    before = gc.get_threshold()
    summary = Archive(tmp_path / "home").ingest([source], workers=1, progress=False)
    assert summary["added"] == 3
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_keywords_find_jiebas_idf_file_without_importing_jieba_analyse() -> None:
    import importlib

    from pipeline.classify.keywords import _jieba_idf_path

    expected = Path(importlib.import_module("jieba.analyse.tfidf").DEFAULT_IDF)
    assert _jieba_idf_path().resolve() == expected.resolve()
    assert expected.is_file()
