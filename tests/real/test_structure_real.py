"""Structure recogniser on real texts: NPC resolutions, messy web pages, laws."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline import formats
from pipeline.structure import recognise
from pipeline.text.dates import find_date

_ADOPTION_LINE = re.compile(r"^[（(]((?:19|20)\d{2}年\d{1,2}月\d{1,2}日).*通过[）)]$", re.MULTILINE)


def test_npc_resolutions_titles_adoption_notes_and_dates(shared_corpus: Path) -> None:
    files = sorted((shared_corpus / "npc_resolutions").glob("*.txt"))
    assert len(files) == 20
    with_notes = 0
    for path in files:
        doc = recognise(formats.read(str(path)))
        assert doc.title == path.stem, path.name
        note = _ADOPTION_LINE.search(path.read_text(encoding="utf-8"))
        if note:
            with_notes += 1
            assert doc.adoption_note and "通过" in doc.adoption_note, path.name
            assert doc.date == find_date(note.group(1)), path.name
            assert doc.adoption_note not in doc.body
        assert doc.body, path.name
    assert with_notes >= 4


# Checked by eye against the page texts (spaces are ignored in the comparison).
RENDA_TITLES = {
    "appointments_news/001": "樊城区六届人大常委会召开第二十六次会议",
    "appointments_news/011": "穆棱人大常委会任命38名人民陪审员",
    "deliberation_opinions/003": "重庆市铜梁区人大常委会关于铜梁区2017年环境状况和环境保护目标完成情况报告的审议意见",
    "deliberation_opinions/005": "关于县人民政府建设县城千家寨生态休闲公园议案办理工作方案的审议意见",
    "minutes_and_meeting_news/001": "海淀区第十五届人大常委会第64次主任会议纪要",
    "reports_plans/003": "珠海市人民代表大会常务委员会工作报告",
    "resolutions/003": "关于将区六届人大三次会议议案交区人民政府办理的决定",
    "resolutions/007": "菏泽市第十七届人民代表大会第三次会议关于政府工作报告的决议",
    "resolutions/013": "巴中市第四届人民代表大会第二次会议关于巴中市人民检察院工作报告的决议",
    "resolutions/015": "晋城市城区第十届人民代表大会第五次会议关于晋城市城区人民检察院工作报告的决议",
    "suggestion_replies/001": "重庆綦江高新技术产业开发区管理委员会关于区三届人大三次会议第133号建议的复函",
    "suggestion_replies/005": "关于兴庆区人大四届三次会议第16号“关于将解放西街健康社区纳入2019年老旧小区改造项目的建议”的答复",
    "speeches/011": "在第十三屆全國人民代表大會常務委員會第三十八次會議上的講話",
}
RENDA_DATES = {"resolutions/007": "2009-02-08", "resolutions/013": "2018-01-07", "resolutions/015": "2023-02-25",
               "resolutions/001": "2021-01-14", "resolutions/003": "2019-03-11"}  # fmt: skip


def test_renda_pages_never_crash_and_titles_are_found(shared_corpus: Path) -> None:
    folder = shared_corpus / "renda_pages"
    files = sorted(folder.glob("*/*.txt"))
    assert len(files) >= 50
    docs = {
        str(path.relative_to(folder).with_suffix("")): recognise(formats.read(str(path)))
        for path in files
    }
    titled = [key for key, doc in docs.items() if doc.title]
    # Many pages are news items whose saved text starts with the article body (no title at all).
    assert len(titled) >= len(files) // 2, f"titles for {len(titled)} of {len(files)}"
    wrong = {key: docs[key].title for key, title in RENDA_TITLES.items()
             if (docs[key].title or "").replace(" ", "") != title}  # fmt: skip
    assert not wrong
    assert {key: docs[key].date for key in RENDA_DATES} == RENDA_DATES
    meeting = docs["minutes_and_meeting_news/001"].meeting
    assert meeting["主持人"] == "关成启" and meeting["地点"] == "区人大常委会1012会议室"
    for key, doc in docs.items():  # web-page furniture never becomes a title
        assert not re.search(r"当前位置|首页|扫一扫|欢迎", doc.title or ""), key


def test_law_titles_are_the_first_heading(shared_corpus: Path) -> None:
    files = sorted((shared_corpus / "laws").rglob("*.md"))
    assert len(files) >= 400
    misses = []
    adopted = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
        doc = recognise(formats.read(str(path)))
        if heading and (doc.title or "").replace(" ", "") != heading.group(1).replace(" ", ""):
            misses.append((path.name, heading.group(1), doc.title))
        if doc.adoption_note:
            adopted += 1
            assert doc.date, path.name
    print(f"\nlaw titles: {len(files) - len(misses)}/{len(files)}; adoption notes: {adopted}")
    assert len(misses) <= len(files) * 0.03, misses[:10]
    assert adopted >= len(files) * 0.8
