"""Renditions of one document are recognised whatever the script they are written in."""

from __future__ import annotations

from pipeline.archive.linking import text_key
from pipeline.model import Document

BODY = "为做好我区农村人居环境整治工作，区人大常委会组织开展了专题调研。现将调研情况报告如下。"


def test_big5_copy_has_the_same_text_key():
    simplified = Document(path="a.docx", format="docx", body=BODY)
    traditional = Document(path="a.txt", format="txt",
                           body="為做好我區農村人居環境整治工作，區人大常委會組織開展了專題調研。現將調研情況報告如下。")
    assert text_key(simplified) == text_key(traditional)


def test_different_text_differs():
    one = Document(path="a.txt", format="txt", body=BODY)
    other = Document(path="b.txt", format="txt", body=BODY.replace("农村", "城市"))
    assert text_key(one) != text_key(other)
