""""Did you mean" without a scan of the lexicon (pipeline.index.neighbours): the same close words
as Whoosh's own corrector, on one segment and on several, and the words of a new commit seen."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import fields, index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.reading import MultiReader, SegmentReader

from pipeline.index import neighbours
from pipeline.index.neighbours import corrector, one_edit_words
from pipeline.index.search import search
from pipeline.index.writer import add_documents
from pipeline.model import Document

ALPHABET = "国家人民政府会议工作报告督导检查安全生产"  # few characters: many words one edit apart


def _random_words(rnd: random.Random, count: int) -> list[str]:
    return ["".join(rnd.choice(ALPHABET) for _ in range(rnd.choice((1, 2, 2, 3, 3, 4, 5))))
            for _ in range(count)]


def _probes(rnd: random.Random, words: list[str]) -> list[str]:
    """Each word with its first, last or a middle character replaced, one dropped or added, two
    neighbours swapped; and random words."""
    probes = []
    for word in words:
        n, c = len(word), rnd.choice(ALPHABET)
        i = rnd.randrange(n)
        probes += [c + word[1:], word[:-1] + c, word[:i] + c + word[i + 1:], word[:i] + word[i + 1:],
                   word[:i] + c + word[i:], word + c, c + word]
        if n >= 2:
            j = rnd.randrange(n - 1)
            probes.append(word[:j] + word[j + 1] + word[j] + word[j + 2:])
    return [p for p in probes if p] + _random_words(rnd, 100)


@pytest.fixture(scope="module")
def plain_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[index.Index, list[str]]:
    """Three commits, never merged: three segments of random words of a small alphabet."""
    schema = fields.Schema(text=fields.TEXT(analyzer=SpaceSeparatedTokenizer()))
    ix = index.create_in(str(tmp_path_factory.mktemp("plain")), schema)
    rnd = random.Random(5)
    words = []
    for _ in range(3):
        writer = ix.writer()
        for _ in range(60):
            batch = _random_words(rnd, 8)
            words += batch
            writer.add_document(text=" ".join(batch))
        writer.commit(merge=False)
    return ix, words


@pytest.mark.parametrize("segments", ["one", "several"])
def test_the_same_close_words_as_whoosh(plain_index: tuple[index.Index, list[str]], segments: str) -> None:
    ix, words = plain_index
    neighbours.forget_all()
    rnd = random.Random(9)
    reader = ix.reader()
    try:
        if segments == "one":
            reader = reader.leaf_readers()[1][0]
            assert isinstance(reader, SegmentReader)
        else:
            assert isinstance(reader, MultiReader) and len(reader.leaf_readers()) == 3
        probes = _probes(rnd, rnd.sample(words, 150))
        found_any = 0
        for probe in probes:
            expected = set(reader.terms_within("text", probe, 1))
            assert one_edit_words(reader, "text", probe) == expected, probe
            assert corrector(reader, "text").suggest(probe, limit=5, maxdist=1) == \
                reader.corrector("text").suggest(probe, limit=5, maxdist=1), probe
            found_any += bool(expected)
        assert found_any > len(probes) // 2
        # Whoosh's several-segment reader counts a swap as one edit, a segment's as two
        swapped = next(w for w in words if len(w) == 3 and w[0] != w[1])
        swap = swapped[1] + swapped[0] + swapped[2]
        assert (swapped in one_edit_words(reader, "text", swap)) == (segments == "several")
    finally:
        reader.close()


def test_a_saved_lexicon_is_read_back_by_another_process(plain_index: tuple[index.Index, list[str]]) -> None:
    ix, words = plain_index
    neighbours.forget_all()
    with ix.reader() as reader:
        before = one_edit_words(reader, "text", words[0][:-1] + "某")
        saved = sorted(Path(ix.storage.folder).glob(f"*{neighbours.EXTENSION}"))
        assert len(saved) == 3
        neighbours.forget_all()  # a fresh process: the files only
        saved[0].write_text("{broken", encoding="utf-8")  # damaged: built again
        assert one_edit_words(reader, "text", words[0][:-1] + "某") == before


def _doc(title: str, body: str) -> Document:
    return Document(path=f"/archive/{title}.txt", format="txt", title=title, body=body,
                    paragraphs=[body])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    add_documents(tmp_path, [
        ("a", _doc("关于加强鹦鹉螺保护的通知", "各单位要做好鹦鹉螺保护工作。"), {"path": "/a.txt"}),
        ("b", _doc("关于安全生产大检查的意见", "落实安全生产责任，整治非法采砂。"), {"path": "/b.txt"}),
    ])
    return tmp_path


@pytest.mark.parametrize(("typo", "meant"), [
    ("莺鹉螺", "鹦鹉螺"),  # the first character differs
    ("采沙", "采砂"),  # the last
    ("采石砂", "采砂"),  # a character added
    ("乌鹦鹉螺", "鹦鹉螺"),  # one added before the first
    ("鹦螺", "鹦鹉螺"),  # one dropped
    # the last replaced: the word's part 鹦鹉 (held by no document either) stays inside the
    # replacement, not corrected again into 鹦鹉螺螺
    ("鹦鹉蛳", "鹦鹉螺"),
])
def test_did_you_mean_finds_an_edit_anywhere(home: Path, typo: str, meant: str) -> None:
    result = search(home, typo)
    assert result["total"] == 0 and result.get("suggestion") == meant


def test_a_new_commit_is_seen_by_the_next_suggestion(home: Path) -> None:
    assert "suggestion" not in search(home, "珊湖礁")  # the lexicons are cached now
    add_documents(home, [("c", _doc("关于保护珊瑚礁的通知", "珊瑚礁不得破坏。"), {"path": "/c.txt"})])
    assert search(home, "珊湖礁").get("suggestion") == "珊瑚礁"


def test_the_writer_saves_each_new_segments_lexicons(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written with the segments (adding and deleting, which may merge): a suggestion then
    reads them and builds none from Whoosh's terms."""
    from pipeline.index.writer import delete_documents, index_path

    add_documents(home, [("c", _doc("关于保护珊瑚礁的通知", "珊瑚礁不得破坏。"), {"path": "/c.txt"})])
    delete_documents(home, ["a"])
    ix = index.open_dir(str(index_path(home)))
    with ix.reader() as reader:
        segments = [leaf.segment() for leaf, _ in reader.leaf_readers()]
    saved = {path.name for path in index_path(home).glob(f"*{neighbours.EXTENSION}")}
    assert segments and all(segment.make_filename(neighbours.EXTENSION) in saved
                            for segment in segments)
    neighbours.forget_all()
    built = []
    monkeypatch.setattr(neighbours, "_words", lambda leaf, field: built.append(field) or iter(()))
    assert search(home, "珊湖礁").get("suggestion") == "珊瑚礁"
    assert built == []
