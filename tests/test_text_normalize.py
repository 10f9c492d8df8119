"""文号 keys, congress session keys, Chinese numerals and abbreviation definitions."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.text.normalize import doc_number_key, fold, session_keys
from pipeline.text.numerals import to_int
from pipeline.text.synonyms import add_definitions, extract_definitions, table


@pytest.mark.parametrize("printed", [
    "国发〔2019〕5号", "国发[2019]5号", "国发［2019］5号", "国发(2019)5号", "国发（2019）5号",
    "国发2019第5号", "国发 2019 5号", "国发【2019】05号",
])
def test_doc_number_key_ignores_bracket_style(printed: str) -> None:
    assert doc_number_key(printed) == "国发2019-5"


def test_order_numbers_have_keys_without_a_year() -> None:
    assert doc_number_key("国令第707号") == "国令-707"
    assert doc_number_key("中华人民共和国主席令（第十二号）") is None  # Chinese numerals: text only


def test_doc_number_key_rejects_text_without_number() -> None:
    assert doc_number_key("关于加强督导工作的通知") is None
    assert doc_number_key(None) is None


@pytest.mark.parametrize("text,number", [("十二", 12), ("二十", 20), ("一百零三", 103), ("十", 10), ("7", 7)])
def test_chinese_numerals(text: str, number: int) -> None:
    assert to_int(text) == number


def test_session_forms_share_a_key() -> None:
    short = session_keys("十二届人大三次会议")
    long = session_keys("第十二届全国人民代表大会第三次会议")
    assert short[0][1] == long[0][1] == "届12次3"
    standing = session_keys("第十三届全国人民代表大会常务委员会第二十次会议")
    assert standing[0][1] == "届13常次20"
    assert session_keys("区十七届人大常委会第5次会议")[0][1] == "届17常次5"
    # the organ before the term, as drafters also type it
    assert session_keys("全国人大十二届三次会议")[0][1] == "届12次3"
    assert session_keys("全国人大常委会十三届第十次会议")[0][1] == "届13常次10"


def test_fold() -> None:
    assert fold("國務院ＡＢＣ") == "国务院abc"


def test_definitions_found_in_text() -> None:
    text = ("工业和信息化部会同国家卫生健康委员会（以下简称“国家卫健委”）开展督导。"
            "根据《中华人民共和国监察法》（以下简称监察法）规定。")
    assert extract_definitions(text) == [("国家卫生健康委员会", "国家卫健委"), ("中华人民共和国监察法", "监察法")]


def test_home_definitions_join_the_builtin_table(tmp_path: Path) -> None:
    assert ("人民代表大会",) in table(tmp_path).alternatives("人大")
    assert add_definitions(tmp_path, [("城市更新行动计划", "更新计划")]) == 1
    assert add_definitions(tmp_path, [("城市更新行动计划", "更新计划")]) == 0
    assert ("城市更新行动计划",) in table(tmp_path).alternatives("更新计划")
