"""密级 marks wherever and however written; ordinary words are not marks; 内部资料 is restricted."""

from __future__ import annotations

import pytest

from pipeline.classify.secrecy import (
    classified_text,
    find_mark,
    is_classified,
    read_mark,
    restricted_mark,
)
from pipeline.layout.source import parse_secrecy
from pipeline.model import Attachment, Document, Secrecy


def doc_with(lines: list[str], **fields) -> Document:
    return Document(path="x", format="txt", body="\n".join(lines), paragraphs=lines, **fields)


@pytest.mark.parametrize("line, level, term", [
    ("机密★10年", "机密", "10年"),
    ("秘 密", "秘密", None),
    ("绝密☆", "绝密", None),
    ("秘密*1年", "秘密", "1年"),
    ("秘密※", "秘密", None),
    ("机密 ★ 一年", "机密", "一年"),
    ("机　密", "机密", None),
    ("绝密", "绝密", None),
    ("【秘密】", "秘密", None),
    ("【秘密】南山区人大常委会文件", "秘密", None),
    ("〔机密★5年〕", "机密", "5年"),
    ("000123 机密★1年", "机密", "1年"),
    ("000123", None, None),
    ("秘密★6个月 特急", "秘密", "6个月"),
    ("機密★長期", "机密", "長期"),
    ("密级：机密", "机密", None),
    ("密级: 秘密 保密期限：5年", "秘密", "5年"),
])
def test_marks_are_found(line: str, level: str | None, term: str | None) -> None:
    found = find_mark([line])
    if level is None:
        assert found is None
    else:
        assert found == Secrecy(level=level, term=term)


@pytest.mark.parametrize("line", [
    "保守国家秘密", "各单位要严格保守秘密。", "机密文件管理办法", "商业秘密", "涉密人员",
    "秘密的", "机密级", "本文件标注秘密★10年的内容应当严格管理，不得擅自扩大知悉范围。",
    "依法保守工作中知悉的国家秘密、商业秘密和个人隐私",
    "【秘密文件管理】", "【商业秘密】保护",
])
def test_ordinary_words_are_not_marks(line: str) -> None:
    assert find_mark([line]) is None
    assert is_classified(doc_with(["区人大常委会办公室", line, "正文内容"])) is None


def test_a_bare_level_counts_only_at_the_top() -> None:
    lines = [f"正文第{i}段。" for i in range(30)]
    assert is_classified(doc_with(lines[:3] + ["秘密"] + lines)) is not None
    assert is_classified(doc_with(lines + ["秘密"])) is None  # a heading deep inside is not a mark
    assert is_classified(doc_with(lines + ["机密★5年"])) is not None  # a starred mark is


def test_marks_in_attachments_and_parser_field() -> None:
    attachment = Attachment(label="附件", title="绝密★长期", text="名单")
    assert is_classified(doc_with(["正文"], attachment_docs=[attachment])).level == "绝密"
    parsed = Secrecy(level="秘密", term="1年")
    assert is_classified(doc_with(["正文"], secrecy=parsed)) is parsed


def test_raw_text_check() -> None:
    assert classified_text("000001\n机密★1年\n特急\n南人常发〔2023〕1号").level == "机密"
    assert classified_text("关于加强保密工作的通知\n各单位要保守国家秘密。") is None


@pytest.mark.parametrize("line, mark", [
    ("内部资料", "内部资料"), ("内部资料，注意保存", "内部资料"), ("内 部 文 件", "内部文件"),
    ("【内部参阅】", "内部参阅"),
])
def test_restricted_marks(line: str, mark: str) -> None:
    assert restricted_mark(doc_with([line, "正文"])) == mark
    assert is_classified(doc_with([line, "正文"])) is None  # restricted is not classified


def test_restricted_words_in_sentences_are_not_marks() -> None:
    assert restricted_mark(doc_with(["各单位要加强内部文件管理，规范内部资料印发。"])) is None


from hypothesis import given, settings
from hypothesis import strategies as st

_SPACES = st.sampled_from(["", " ", "　", "  "])


@settings(max_examples=150, deadline=None)
@given(level=st.sampled_from(["绝密", "机密", "秘密"]), gap=_SPACES, before=_SPACES,
       star=st.sampled_from(["★", "☆", "*", "※", ""]), term=st.sampled_from(["", "1年", "10年", "长期", "6个月"]),
       rest=st.lists(st.text(min_size=0, max_size=60), max_size=5))
def test_any_written_form_of_a_mark_is_found(level, gap, before, star, term, rest) -> None:
    mark = f"{before}{level[0]}{gap}{level[1]}{star}{term if star else ''}"
    found = is_classified(doc_with([mark, "南人常办〔2023〕1号", *rest]))
    assert found is not None and found.level == level


@pytest.mark.parametrize("mark, level", [
    ("秘 密", "秘密"), ("000123\n机密★1年", "机密"), ("【秘密】", "秘密"), ("機密★長期", "机密"),
    ("密级：绝密", "绝密"), ("秘密※1年\n特急", "秘密"),
])
def test_marks_survive_the_real_parser(tmp_path, mark: str, level: str) -> None:
    from pipeline.parse import parse_file

    path = tmp_path / "doc.txt"
    path.write_text(f"{mark}\n南山区人大常委会文件\n南人常发〔2023〕1号\n关于某事项的通知\n各委室：\n"
                    "现将有关事项通知如下。\n南山区人大常委会\n2023年2月1日\n", encoding="utf-8")
    found = is_classified(parse_file(path))
    assert found is not None and found.level == level


@pytest.mark.parametrize(("text", "level", "term"), [
    ("秘密★1年", "秘密", "1年"), ("机密★5年", "机密", "5年"), ("绝密", "绝密", None),
    ("机密★长期", "机密", "长期"), ("機密★10年", "机密", "10年"), ("秘密★", "秘密", None),
])
def test_a_value_that_is_one_mark(text: str, level: str, term: str | None) -> None:
    assert read_mark(text) == Secrecy(level=level, term=term)
    assert parse_secrecy(text) == Secrecy(level=level, term=term)  # a sample source's field


@pytest.mark.parametrize("text", ["内部", "秘密★1年 特急", "保守国家秘密", "机密级", "机密★启用前"])
def test_a_value_that_is_no_mark(text: str) -> None:
    assert read_mark(text) is None
    with pytest.raises(ValueError, match="密级写法不对"):
        parse_secrecy(text)
