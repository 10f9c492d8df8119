"""Whatever the layout, a document carrying a 密级 mark parses with ``secrecy`` set.

Ingest quarantines on this field, so a mark the recogniser cannot place must still be caught.
"""

from __future__ import annotations

import pytest

from pipeline.parse import parse_file

BODY = "各乡镇人民政府，区政府各部门：\n现将有关事项通知如下。\n云溪区人民政府\n2024年3月1日\n"


@pytest.mark.parametrize(
    ("head", "level"),
    [
        ("机密★5年\n云溪区人民政府关于某事项的通知\n", "机密"),
        ("000012\n秘 密\n特急\n云溪区人民政府关于某事项的通知\n", "秘密"),
        ("云溪区人民政府文件\n绝密☆长期\n云溪区人民政府关于某事项的通知\n", "绝密"),
        ("【秘密】云溪区人民政府关于某事项的通知\n", "秘密"),
        ("密级：机密\n云溪区人民政府关于某事项的通知\n", "机密"),
    ],
)
def test_mark_found_wherever_it_stands(tmp_path, head, level):
    path = tmp_path / "doc.txt"
    path.write_text(head + BODY, encoding="gb18030")
    doc = parse_file(path)
    assert doc.secrecy is not None and doc.secrecy.level == level


def test_secrecy_words_in_a_sentence_are_not_a_mark(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("云溪区人民政府关于加强保密工作的通知\n" + BODY.replace(
        "现将有关事项通知如下。", "各单位要严格保守国家秘密和工作秘密。"), encoding="utf-8")
    assert parse_file(path).secrecy is None
