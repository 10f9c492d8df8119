"""``pipeline.home.Home`` names the home's paths once: the stages that take a plain home folder
still find their files where ``Home`` says, and an archive writes nothing elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import Archive
from pipeline.classify import keywords, textcat, topic
from pipeline.home import Home, default_home
from pipeline.index.writer import index_path
from pipeline.templates import store
from pipeline.text import synonyms


def test_the_modules_below_agree_with_home(tmp_path: Path) -> None:
    home = Home(tmp_path)
    assert index_path(tmp_path) == home.index
    assert store.template_dir(tmp_path) == home.templates
    assert topic.model_dir(tmp_path) == home.topic_model
    assert textcat.model_dir(tmp_path) == home.genre_model
    keywords.save_idf(tmp_path, {"防汛": 1.0})
    assert (home.keywords / keywords.IDF_FILE).is_file()
    assert tmp_path / synonyms.HOME_FILE == home.synonyms


def test_home_is_a_value_built_from_a_folder(tmp_path: Path) -> None:
    assert Home(str(tmp_path)) == Home(tmp_path) and Home(tmp_path).root == tmp_path
    assert not any(tmp_path.iterdir())  # naming the paths creates nothing
    with pytest.raises(AttributeError):
        Home(tmp_path).root = Path("/elsewhere")  # type: ignore[misc]
    assert Home(tmp_path).stored("originals/ab/abc.txt") == tmp_path / "originals/ab/abc.txt"


def test_default_home_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGWEN_HOME", str(tmp_path / "elsewhere"))
    assert default_home() == tmp_path / "elsewhere"
    monkeypatch.delenv("GONGWEN_HOME")
    assert default_home() == Path("indexes")


def test_an_archive_keeps_everything_at_the_paths_home_names(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "notice.txt").write_text("关于做好防汛工作的通知\n各单位：\n请做好防汛准备。\n", "utf-8")
    archive = Archive(tmp_path / "home")
    archive.ingest([source], workers=1, progress=False)
    archive.stats()
    home = archive.home
    named = {home.catalog, home.index, home.originals, home.ingest_lock, home.yearbook_cache.parent}
    written = {path for path in home.root.iterdir() if not path.name.startswith("catalog.sqlite-")}
    assert written == named  # (the catalog's -wal and -shm files lie beside it)
    assert home.catalog.is_file() and home.index.is_dir() and home.yearbook_cache.is_file()
    assert not any(home.originals_tmp.iterdir())
