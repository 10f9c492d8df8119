"""Near-copies: signatures of real texts, and a question's ranking over a real Whoosh index in
tmp_path (a repost of a notice goes behind the other candidates instead of taking second place)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.index import nearcopy
from pipeline.index.nearcopy import copies_last, demote, signature, similarity
from pipeline.index.search import search
from pipeline.index.writer import add_documents
from pipeline.model import Document

NOTICE = (
    "三明市人民政府关于支持中小微企业共渡难关的通知\n"
    "各县（市、区）人民政府，市直各单位：\n"
    "为深入贯彻落实党中央、国务院和省委、省政府关于疫情防控工作的决策部署，帮助中小微企业渡过难关，"
    "现就有关事项通知如下。\n"
    "一、稳定职工队伍。对不裁员或少裁员的参保企业，可返还其上年度实际缴纳失业保险费的50%，"
    "返还资金由失业保险基金列支，所需资金从失业保险基金中安排。\n"
    "二、减轻企业负担。对承租国有资产类经营用房的中小微企业，免收2月份租金，减半收取3月、4月租金。\n"
    "三、加大金融支持。各银行机构对受疫情影响暂时失去收入来源的个人和企业，合理延后还款期限。\n"
    "四、优化政务服务。推行网上办、掌上办、预约办，压缩审批时限，确保企业诉求件件有回应。\n"
    "本通知自印发之日起施行，有效期至疫情结束后三个月。\n"
    "三明市人民政府\n2020年2月5日"
)
# the same notice reposted by a portal under its own header and footer
REPOST = "政策转载｜来源：三明市政府网\n" + NOTICE + "\n（责任编辑：林某）"
# the notice under a portal's own headline, 通知 changed to 转发: another document for the
# catalog (with the same title and date it would be linked at ingest as a rendition of the
# notice), the same text for a reader
RETOLD = ("三明出台措施支持中小微企业共渡难关\n"
          + NOTICE.split("\n", 1)[1].replace("通知如下", "转发如下")
          + "\n（责任编辑：林某）")
# a news digest of the notice: shares sentences, not the text
DIGEST = (
    "三明出台十二条措施支持中小微企业。记者从市政府获悉，对不裁员或少裁员的参保企业，可返还其上年度"
    "实际缴纳失业保险费的50%，承租国有资产类经营用房的中小微企业免收2月份租金。"
)
# another city's notice on the same matter
OTHER = (
    "南平市关于做好疫情防控期间稳就业工作的通知\n"
    "对不裁员或少裁员的参保企业，返还上年度实际缴纳失业保险费的50%；对生产防疫物资的企业给予用工补贴，"
    "对吸纳贫困劳动力就业的企业按每人1000元给予一次性奖补。\n"
    "南平市人力资源和社会保障局\n2020年2月8日"
)
UNRELATED = [
    "关于做好春季农业生产工作的通知。各地要抓好春耕备耕，保障农资供应，稳定粮食播种面积。",
    "关于加强校园疫情防控工作的通知。各学校要推迟开学，做好师生健康监测，落实晨午检制度。",
    "关于延长2020年春节假期的通知。经国务院批准，延长2020年春节假期至2月2日。",
    "关于做好冬春季森林防火工作的通知。各地要严格野外火源管理，加强巡山护林。",
]
QUESTION = "三明市对不裁员或少裁员的参保企业，可返还多少失业保险费？"


def test_a_repost_is_a_near_copy_and_a_digest_is_not() -> None:
    assert similarity(signature(NOTICE), signature(NOTICE)) == 1.0
    assert similarity(signature(NOTICE), signature(REPOST)) >= nearcopy.THRESHOLD
    assert similarity(signature(NOTICE), signature(DIGEST)) < 0.5
    assert similarity(signature(NOTICE), signature(OTHER)) < 0.5
    assert max(similarity(signature(NOTICE), signature(text)) for text in UNRELATED) < 0.1


def test_whitespace_does_not_change_a_signature() -> None:
    spaced = NOTICE.replace("，", "， ").replace("\n", "\n\n　　")
    assert signature(spaced) == signature(NOTICE)


def test_short_or_missing_signatures_are_never_alike() -> None:
    assert signature("通知") == b""
    assert similarity(b"", b"") == 0.0
    assert similarity(signature(NOTICE), b"") == 0.0
    assert len(signature("关于通知")) == nearcopy.SIGNATURE_BYTES


def test_signatures_are_the_same_in_another_process() -> None:
    # records written by ingest workers are compared in a server process: no per-process seeds
    code = "import sys; from pipeline.index.nearcopy import signature; " \
           "sys.stdout.write(signature(sys.stdin.read()).hex())"
    other = subprocess.run([sys.executable, "-c", code], input=NOTICE, capture_output=True,
                           text=True, check=True, cwd=Path(__file__).resolve().parents[1]).stdout
    assert other == signature(NOTICE).hex()


def test_copies_move_behind_the_rest_in_their_order() -> None:
    a, a2, b, a3, c = (signature(t) for t in (NOTICE, REPOST, OTHER, NOTICE + "。", UNRELATED[0]))
    assert copies_last([a, a2, b, a3, c]) == ([0, 2, 4, 1, 3], {1: 0, 3: 0})
    assert copies_last([b, None, c]) == ([0, 1, 2], {})
    assert copies_last([]) == ([], {})
    items, moved = demote(["a", "a2", "b", "a3", "c"], [a, a2, b, a3, c])
    assert items == ["a", "b", "c", "a2", "a3"] and moved == {3: 0, 4: 0}


def _doc(name: str, text: str) -> Document:
    lines = text.split("\n")
    return Document(path=f"/archive/{name}.txt", format="txt", title=lines[0], body=text,
                    paragraphs=lines)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nearcopy_home")
    docs = {"notice": NOTICE, "repost": REPOST, "other": OTHER, "digest": DIGEST}
    docs.update({f"unrelated{n}": text for n, text in enumerate(UNRELATED)})
    add_documents(path, [(name, _doc(name, text), {"path": f"/archive/{name}.txt", "topics": []})
                         for name, text in docs.items()])
    return path


def test_a_question_shows_one_copy_of_a_reposted_notice(home: Path) -> None:
    hits = search(home, QUESTION)["hits"]
    ids = [hit["id"] for hit in hits]
    shown = min(("notice", "repost"), key=ids.index)
    copy = ({"notice", "repost"} - {shown}).pop()
    assert ids.index(shown) < ids.index("other") < ids.index(copy) == len(ids) - 1
    assert hits[-1]["near_copy_of"] == shown
    assert all("near_copy_of" not in hit for hit in hits[:-1])


def test_without_near_copies_the_repost_comes_right_after_the_notice(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # shows that the demotion, not the ranking features, moves the copy down
    monkeypatch.setattr(nearcopy, "THRESHOLD", 1.01)
    ids = [hit["id"] for hit in search(home, QUESTION)["hits"]]
    first = min(ids.index("notice"), ids.index("repost"))
    assert {ids[first], ids[first + 1]} == {"notice", "repost"}
    assert ids.index("other") > first + 1


def test_paging_keeps_the_copy_and_its_mark(home: Path) -> None:
    whole = search(home, QUESTION)["hits"]
    pages = search(home, QUESTION, limit=3)["hits"] + search(home, QUESTION, limit=3, offset=3)["hits"]
    assert [h["id"] for h in pages] == [h["id"] for h in whole[:6]]
    assert [h.get("near_copy_of") for h in pages] == [h.get("near_copy_of") for h in whole[:6]]


def test_keyword_queries_keep_copies_in_place(home: Path) -> None:
    # two or three words are not re-ranked: a drafter sees every copy where it scores
    hits = search(home, "失业保险费 参保企业")["hits"]
    assert "near_copy_of" not in str(hits)
    assert {hit["id"] for hit in hits} >= {"notice", "repost"}


def test_the_web_page_says_which_hit_is_a_near_copy(home: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from pipeline.web import create_app

    shown = search(home, QUESTION)["hits"][-1]["near_copy_of"]
    page = TestClient(create_app(home)).get("/", params={"q": QUESTION})
    assert page.status_code == 200
    assert f'与前面的<a href="/doc/{shown}">另一份文件</a>内容基本相同' in page.text
    assert page.text.count('class="near-copy"') == 1


def test_the_cli_says_which_hit_is_a_near_copy(home: Path, capsys: pytest.CaptureFixture) -> None:
    from pipeline.cli.main import main

    shown = search(home, QUESTION)["hits"][-1]["near_copy_of"]
    assert main(["search", QUESTION, "--home", str(home)]) == 0
    assert f"与编号 {shown} 内容基本相同" in capsys.readouterr().out


def test_an_index_written_before_signatures_is_rebuilt_from_the_catalog(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from pipeline import Archive
    from pipeline.index.schema import SCHEMA_VERSION
    from pipeline.index.search import searcher_for
    from pipeline.index.writer import VERSION_FILE, index_path

    source = tmp_path / "收文"
    source.mkdir()
    for name, text in {"notice": NOTICE, "repost": RETOLD, "other": OTHER}.items():
        (source / f"{name}.txt").write_text(text, encoding="utf-8")
    archive = Archive(tmp_path / "home")
    assert archive.ingest([source], workers=1, progress=False)["added"] == 3
    (index_path(archive.home.root) / VERSION_FILE).write_text("2", encoding="ascii")  # as schema 2 left it
    capsys.readouterr()
    hits = archive.search(QUESTION)["hits"]
    assert "正在根据目录重建索引" in capsys.readouterr().err
    assert (index_path(archive.home.root) / VERSION_FILE).read_text(encoding="ascii") == str(SCHEMA_VERSION)
    assert len(hits) == 3 and sum("near_copy_of" in hit for hit in hits) == 1
    searcher = searcher_for(archive.home.root)
    assert all(len(searcher.stored_fields(n).get("nearsig", b"")) == nearcopy.SIGNATURE_BYTES
               for n in range(searcher.doc_count_all()))


# --- show: a document's near-copies in the whole archive ----------------------------------------
@pytest.fixture(scope="module")
def archive_with_copies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, str]]:
    """A real archive ingested from files: the notice, its repost under another headline, a
    classified repost, a digest, another city's notice; then a new version of the other notice at
    the same path."""
    from pipeline import Archive

    root = tmp_path_factory.mktemp("nearcopy_show")
    source = root / "收文"
    source.mkdir()
    texts = {
        "notice": NOTICE,
        "repost": RETOLD,
        "secret": "机密★1年\n" + RETOLD,
        "digest": DIGEST,
        "other": OTHER,
    }
    for name, text in texts.items():
        (source / f"{name}.txt").write_text(text, encoding="utf-8")
    archive = Archive(root / "home")
    summary = archive.ingest([source], workers=1, progress=False)
    assert summary["added"] == 4 and len(summary["quarantined"]) == 1
    (source / "other.txt").write_text(OTHER.replace("1000元", "1500元"), encoding="utf-8")
    assert archive.ingest([source], workers=1, progress=False)["updated"] == 1
    ids = {Path(hit["path"]).stem: hit["id"] for hit in archive.search("通知 OR 三明", limit=50)["hits"]}
    return archive, ids


def test_show_lists_the_near_copies_of_a_document(archive_with_copies: tuple[Any, dict[str, str]]) -> None:
    archive, ids = archive_with_copies
    copies = archive.get(ids["notice"])["archive"]["near_copies"]
    assert [c["id"] for c in copies] == [ids["repost"]]  # not the digest, never the classified one
    assert nearcopy.THRESHOLD <= copies[0]["similarity"] < 1.0
    assert [c["id"] for c in archive.get(ids["repost"])["archive"]["near_copies"]] == [ids["notice"]]
    assert archive.get(ids["digest"])["archive"]["near_copies"] == []


def test_a_new_version_is_listed_as_a_version_not_as_a_near_copy(
        archive_with_copies: tuple[Any, dict[str, str]]) -> None:
    archive, ids = archive_with_copies
    shown = archive.get(ids["other"])["archive"]
    assert len(shown["versions"]) == 2
    assert shown["near_copies"] == []
    older = next(v["id"] for v in shown["versions"] if not v["current"])
    assert archive.get(older)["archive"]["near_copies"] == []  # its current version is not a copy


def test_a_catalog_written_before_signatures_gets_them_on_first_show(tmp_path: Path) -> None:
    import sqlite3

    from pipeline import Archive

    source = tmp_path / "收文"
    source.mkdir()
    (source / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (source / "repost.txt").write_text(RETOLD, encoding="utf-8")
    archive = Archive(tmp_path / "home")
    archive.ingest([source], workers=1, progress=False)
    with sqlite3.connect(archive.home.catalog) as conn:  # as an older catalog left it
        conn.execute("UPDATE documents SET nearsig = NULL")
    first = archive.search("三明市人民政府", limit=1)["hits"][0]["id"]
    assert len(archive.get(first)["archive"]["near_copies"]) == 1
    with sqlite3.connect(archive.home.catalog) as conn:
        stored = [row[0] for row in conn.execute("SELECT nearsig FROM documents")]
    assert all(len(sig) == nearcopy.SIGNATURE_BYTES for sig in stored)


def test_show_in_the_terminal_and_on_the_web_names_the_near_copies(
        archive_with_copies: tuple[Any, dict[str, str]], capsys: pytest.CaptureFixture) -> None:
    from pipeline.cli.main import main

    archive, ids = archive_with_copies
    assert main(["show", ids["notice"], "--home", str(archive.home.root)]) == 0
    out = capsys.readouterr().out
    assert "内容基本相同的公文：" in out and f"  {ids['repost']} " in out
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from pipeline.web import create_app

    page = TestClient(create_app(archive.home.root)).get(f"/doc/{ids['notice']}")
    assert page.status_code == 200
    section = page.text.split("内容基本相同的公文", 1)[1].split("</ul>", 1)[0]
    assert f'href="/doc/{ids["repost"]}"' in section and "相似度" in section
