"""Structure recogniser on hand-made documents: plain text (no style hints) and styled blocks."""

from __future__ import annotations

import pytest

from pipeline.model import Block, RawDocument, Secrecy
from pipeline.structure import recognise
from pipeline.structure.header import normalise_doc_number
from pipeline.text.dates import find_date, is_date_line
from pipeline.text.numerals import to_int


def plain(text: str, path: str = "t.txt") -> RawDocument:
    """One block per non-empty line, no style hints (txt, OCR, html)."""
    blocks = [Block(text=line.strip()) for line in text.strip().splitlines() if line.strip()]
    return RawDocument(path=path, format="txt", blocks=blocks)


NOTICE = """
南山区人大常委会办公室文件
南人常办〔2023〕5号
南山区人大常委会办公室
关于开展2023年度代表
集中视察活动的
通知
各街道人大工委，区人大常委会各工作机构：
为进一步发挥代表作用，经主任会议研究，决定开展集中视察活动。现将有关事项通知如下：
一、视察时间
2023年3月15日至16日。
二、视察内容
（一）民生实事项目推进情况。重点了解项目进度。
（二）营商环境优化情况
1.政务服务。了解“一网通办”情况。
（1）窗口服务。了解窗口效率。
三、有关要求。请各单位于3月10日前报送名单。
附件：1.视察日程安排
2.代表报名回执
南山区人大常委会办公室
2023年2月1日
（此件公开发布）
附件1
视察日程安排
3月15日上午视察民生实事项目。
附件2
代表报名回执
姓名、单位、联系电话。
某某单位
2023年1月5日
抄送：区委办公室，区政府办公室，
区政协办公室。
南山区人大常委会办公室          2023年2月1日印发
"""


def test_full_notice_plain_text() -> None:
    doc = recognise(plain(NOTICE))
    assert doc.issuer == ["南山区人大常委会办公室"]
    assert doc.doc_number == "南人常办〔2023〕5号"
    assert doc.title == "南山区人大常委会办公室关于开展2023年度代表集中视察活动的通知"
    assert doc.recipients == ["各街道人大工委", "区人大常委会各工作机构"]
    assert doc.date == "2023-02-01"
    assert doc.signature == ["南山区人大常委会办公室"]
    assert doc.note == "（此件公开发布）"
    assert doc.attachments == ["视察日程安排", "代表报名回执"]
    assert doc.cc == ["区委办公室", "区政府办公室", "区政协办公室"]
    assert doc.issued_by == "南山区人大常委会办公室"
    assert doc.issued_date == "2023-02-01"
    assert [(a.label, a.title) for a in doc.attachment_docs] == [
        ("附件1", "视察日程安排"),
        ("附件2", "代表报名回执"),
    ]
    assert "姓名" in doc.attachment_docs[1].text
    # Nothing of the header, signature, date or 版记 leaks into the body.
    for noise in (
        "南人常办",
        "各街道人大工委",
        "2023年2月1日",
        "抄送",
        "印发",
        "附件",
        "此件公开发布",
    ):
        assert noise not in doc.body
    assert doc.body.startswith("为进一步发挥代表作用")
    assert doc.paragraphs[-1] == "三、有关要求。请各单位于3月10日前报送名单。"


def test_heading_levels_and_run_in_headings() -> None:
    doc = recognise(plain(NOTICE))
    assert [(h.level, h.text) for h in doc.headings] == [
        (1, "一、视察时间"),
        (1, "二、视察内容"),
        (2, "（一）民生实事项目推进情况"),
        (2, "（二）营商环境优化情况"),
        (3, "1.政务服务"),
        (4, "（1）窗口服务"),
        (1, "三、有关要求"),
    ]


def test_numbered_sentences_are_not_headings() -> None:
    text = """关于某事的通知
各单位：
一、总体要求。以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。
126.宁夏回族自治区宁东能源化工基地加快产业转型升级，推动高质量发展，取得明显成效。
1.5亿元用于补助。
某某局
2023年5月6日
"""
    doc = recognise(plain(text))
    assert [(h.level, h.text) for h in doc.headings] == [(1, "一、总体要求")]


@pytest.mark.parametrize(
    "written",
    ["南人常办〔2023〕5号", "南人常办［2023］5号", "南人常办[2023]5号", "南人常办（2023）5号",
     "南人常办(2023)5号", "南人常办【2023】05号", "南人常办 〔 2023 〕 5 号", "南人常办(２０２３)５号",
     "南人常办2023 5号", "南人常办〔2023〕第5号"],
)  # fmt: skip
def test_wrong_brackets_are_normalised(written: str) -> None:
    doc = recognise(
        plain(
            f"南山区人大常委会办公室文件\n{written}\n关于某事的通知\n各单位：\n正文。\n2023年2月1日"
        )
    )
    assert doc.doc_number == "南人常办〔2023〕5号"
    assert normalise_doc_number(written) == "南人常办〔2023〕5号"


def test_cross_reference_in_body_is_not_the_doc_number() -> None:
    text = """关于转发某事的通知
各单位：
根据国发〔2018〕1号文件精神，现将有关事项通知如下。
国发〔2018〕1号文件另行印发。
某某局
2023年5月6日
"""
    doc = recognise(plain(text))
    assert doc.doc_number is None


@pytest.mark.parametrize(
    ("written", "iso"),
    [("二〇一〇年十二月二十二日", "2010-12-22"), ("二○一○年一月三十一日", "2010-01-31"),
     ("二零零四年十月十日", "2004-10-10"), ("一九九六年六月二十九日", "1996-06-29"),
     ("2023 年 2 月 1 日", "2023-02-01"), ("2023.2.1", "2023-02-01"), ("2023年12月31日", "2023-12-31")],
)  # fmt: skip
def test_dates_in_any_numerals(written: str, iso: str) -> None:
    assert find_date(written) == iso
    assert find_date(written.translate(str.maketrans("0123456789", "０１２３４５６７８９"))) == iso
    assert is_date_line(written)
    doc = recognise(plain(f"关于某事的通知\n各单位：\n正文。\n某某局\n{written}"))
    assert doc.date == iso
    assert doc.signature == ["某某局"]


def test_chinese_numbers_and_invalid_dates() -> None:
    assert [to_int(t) for t in ("十", "十二", "二十", "三十一", "〇五", "九")] == [
        10,
        12,
        20,
        31,
        5,
        9,
    ]
    assert find_date("2023年2月30日") is None
    assert not is_date_line("2023年2月1日上午召开会议")


@pytest.mark.parametrize(
    ("lines", "title"),
    [(["关于XX的通  知"], "关于XX的通知"),
     (["南山区人大常委会", "会 议 纪 要"], "南山区人大常委会会议纪要"),
     (["国务院关于棉粮、糖粮挂钩奖售粮", "几 个 问 题 的 通 知"], "国务院关于棉粮、糖粮挂钩奖售粮几个问题的通知"),
     (["国务院办公厅关于全面推行", "行政执法公示制度执法全过程记录制度", "重大执法决定法制审核制度的指导意见"],
      "国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见"),
     (["关于印发《“无废城市”建设", "试点工作方案》的通知"], "关于印发《“无废城市”建设试点工作方案》的通知")],
)  # fmt: skip
def test_spaced_and_wrapped_titles(lines: list[str], title: str) -> None:
    text = "\n".join([*lines, "各单位：", "正文。", "某某局", "2023年2月1日"])
    assert recognise(plain(text)).title == title


@pytest.mark.parametrize(
    ("top", "issuer"),
    [("中共南山区委办公室\n南山区人民政府办公室\n文件", ["中共南山区委办公室", "南山区人民政府办公室"]),
     ("南山区人大常委会办公室  南山区人民政府办公室文件", ["南山区人大常委会办公室", "南山区人民政府办公室"]),
     ("中共南山区委办公室文件\n南山区人民政府办公室文件", ["中共南山区委办公室", "南山区人民政府办公室"])],
)  # fmt: skip
def test_joint_issuer_marks(top: str, issuer: list[str]) -> None:
    doc = recognise(
        plain(f"{top}\n南委办发〔2023〕3号\n关于某事的通知\n各单位：\n正文。\n2023年2月1日")
    )
    assert doc.issuer == issuer
    assert doc.doc_number == "南委办发〔2023〕3号"
    assert doc.title == "关于某事的通知"


@pytest.mark.parametrize(
    "furniture", ["政策转载｜来源：三明市政府网", "来源：新华网  作者：林某", "发布时间：2020-02-05 10:30"])
def test_a_web_byline_above_the_title_is_not_part_of_it(furniture: str) -> None:
    text = f"{furniture}\n三明市人民政府关于支持中小微企业共渡难关的通知\n各单位：\n正文。\n三明市人民政府\n2020年2月5日"
    assert recognise(plain(text)).title == "三明市人民政府关于支持中小微企业共渡难关的通知"


def test_joint_issuer_from_title_and_signature() -> None:
    text = "国务院办公厅、中央军委办公厅\n关于加强某项工作的通知\n各单位：\n正文。\n国务院办公厅 中央军委办公厅\n一九九六年六月二十九日"
    doc = recognise(plain(text))
    assert doc.issuer == ["国务院办公厅", "中央军委办公厅"]
    doc = recognise(
        plain("关于某事的通知\n各单位：\n正文。\n南山区人民政府 南山区人大常委会\n2023年2月1日")
    )
    assert doc.issuer == ["南山区人民政府", "南山区人大常委会"]


def test_issuer_from_title_skips_forwarding_verb() -> None:
    doc = recognise(
        plain("国务院办公厅转发国家地震局关于某事意见的通知\n各单位：\n正文。\n2023年2月1日")
    )
    assert doc.issuer == ["国务院办公厅"]


def test_signer_shares_the_doc_number_line() -> None:
    text = "南山区人民政府文件\n南府〔2023〕12号        签发人：张三  李四\n南山区人民政府关于某事的请示\n区委：\n正文。妥否，请批示。\n南山区人民政府\n2023年3月1日"
    doc = recognise(plain(text))
    assert doc.doc_number == "南府〔2023〕12号"
    assert doc.signer == ["张三", "李四"]
    assert doc.recipients == ["区委"]
    assert doc.issuer == ["南山区人民政府"]


@pytest.mark.parametrize(
    ("marks", "secrecy", "urgency"),
    [("000123\n机密★1年\n特急", Secrecy("机密", "1年"), "特急"),
     ("秘 密\n加 急", Secrecy("秘密", None), "加急"),
     ("000123\n绝密☆长期  特提", Secrecy("绝密", "长期"), "特提"),
     ("机密*\n平急", Secrecy("机密", None), "平急"),
     ("秘密※5年", Secrecy("秘密", "5年"), None),
     ("機密★10年\n特急", Secrecy("机密", "10年"), "特急"),  # traditional level, simplified record
     ("秘密，保密期限：5年", Secrecy("秘密", "5年"), None)],
)  # fmt: skip
def test_copy_number_secrecy_urgency(marks: str, secrecy: Secrecy, urgency: str | None) -> None:
    doc = recognise(
        plain(
            f"{marks}\n南山区人民政府文件\n南府〔2023〕1号\n关于某事的通知\n各单位：\n正文。\n2023年2月1日"
        )
    )
    assert doc.secrecy == secrecy
    assert doc.urgency == urgency
    assert doc.copy_number == ("000123" if "000123" in marks else None)
    assert doc.issuer == ["南山区人民政府"]
    assert doc.title == "关于某事的通知"


def test_restricted_mark_and_secret_words_in_titles() -> None:
    doc = recognise(plain("内部资料\n关于加强机密文件管理的通知\n各单位：\n正文。\n2023年2月1日"))
    assert doc.restricted == "内部资料"
    assert doc.secrecy is None
    assert doc.title == "关于加强机密文件管理的通知"


MINUTES = """
海淀区第十五届人大常委会第64次主任会议纪要
时 间:2016年11月29日上午9:15
地 点:区人大常委会1012会议室
出 席:关成启、王鲁豫、杨莉、
刘佩金
请 假：张三
列 席:区人大常委会机关各委室主任
主持人:关成启
记 录：李四
会议议定事项如下:
一、会议原则通过了审议意见书。
二、会议听取了代表资格审查情况的报告。
"""


def test_minutes_header_lines() -> None:
    doc = recognise(plain(MINUTES))
    assert doc.title == "海淀区第十五届人大常委会第64次主任会议纪要"
    assert doc.meeting == {
        "时间": "2016年11月29日上午9:15", "地点": "区人大常委会1012会议室",
        "出席": "关成启、王鲁豫、杨莉、刘佩金", "请假": "张三", "列席": "区人大常委会机关各委室主任",
        "主持人": "关成启", "记录": "李四",
    }  # fmt: skip
    assert doc.recipients == []
    assert doc.paragraphs[0] == "会议议定事项如下:"
    assert "时 间" not in doc.body
    assert [h.text for h in doc.headings] == [
        "一、会议原则通过了审议意见书",
        "二、会议听取了代表资格审查情况的报告",
    ]


def test_adoption_note_gives_the_date() -> None:
    text = """南山区第五届人民代表大会第三次会议关于区人民政府工作报告的决议
（2023年1月10日南山区第五届人民代表大会第三次会议通过）
南山区第五届人民代表大会第三次会议听取和审议了区长所作的政府工作报告。会议决定批准这个报告。
"""
    doc = recognise(plain(text))
    assert doc.title == "南山区第五届人民代表大会第三次会议关于区人民政府工作报告的决议"
    assert doc.adoption_note == "（2023年1月10日南山区第五届人民代表大会第三次会议通过）"
    assert doc.date == "2023-01-10"
    assert doc.body.startswith("南山区第五届人民代表大会第三次会议听取")
    assert doc.issuer == ["南山区第五届人民代表大会第三次会议"] or doc.issuer == []


def test_law_style_adoption_line_without_brackets() -> None:
    doc = recognise(
        plain(
            "北京市人民代表大会常务委员会关于某事的决定\n2019年7月26日 北京市第十五届人民代表大会常务委员会第十四次会议通过\n根据法律，决定如下：\n一、某事。"
        )
    )
    assert doc.adoption_note.startswith("2019年7月26日")
    assert doc.date == "2019-07-26"


def test_keywords_and_cc_before_2012() -> None:
    text = """南山区人民政府文件
南府〔2008〕9号
关于某事的通知
各单位：
正文。
二〇〇八年三月五日
主题词：人事  任免  通知
抄送：区委，区人大常委会。
南山区人民政府办公室    二〇〇八年三月六日印发
"""
    doc = recognise(plain(text))
    assert doc.keywords == ["人事", "任免", "通知"]
    assert doc.cc == ["区委", "区人大常委会"]
    assert doc.issued_by == "南山区人民政府办公室"
    assert doc.issued_date == "2008-03-06"
    assert doc.date == "2008-03-05"


def test_main_to_in_footer() -> None:
    doc = recognise(
        plain(
            "关于某事的通报\n正文。\n某某局\n2023年2月1日\n主送：各街道办事处，区各部门。\n抄送：区委。"
        )
    )
    assert doc.recipients == ["各街道办事处", "区各部门"]
    assert doc.cc == ["区委"]
    doc = recognise(
        plain(
            "关于某事的通报\n正文。\n某某局\n2023年2月1日\n抄送：区委。\n某某局办公室  2023.2.3印发"
        )
    )
    assert (doc.issued_by, doc.issued_date) == ("某某局办公室", "2023-02-03")


def test_attachment_signatures_do_not_replace_the_main_ones() -> None:
    text = """国务院办公厅关于某事的复函
湖北省人民政府：
你省请示收悉。现函复如下。
附件：1.国土资源部关于某地地质险情调研情况
的报告
2.专家组意见
国务院办公厅
二〇〇四年十一月四日
附件1
关于某地地质险情调研情况的报告
国务院：
调研情况如下。
国土资源部
二〇〇四年十月十日
"""
    doc = recognise(plain(text))
    assert doc.date == "2004-11-04"
    assert doc.signature == ["国务院办公厅"]
    assert doc.attachments[-1] == "专家组意见"
    assert doc.attachment_docs[0].title == "关于某地地质险情调研情况的报告"
    assert "国土资源部" in doc.attachment_docs[0].text


def test_order_format() -> None:
    text = """中华人民共和国国务院令
第707号
现公布修订后的《某某条例》，自2019年1月1日起施行。
总理  李克强
2018年12月18日
某某条例
第一章 总则
第一条 为了规范某事，制定本条例。
第二条 本条例适用于某事。
第三条 本条例自公布之日起施行。
"""
    doc = recognise(plain(text))
    assert doc.doc_number == "国令第707号"
    assert doc.issuer == ["国务院"]
    assert doc.title == "某某条例"
    assert doc.date == "2018-12-18"
    assert [(h.level, h.text) for h in doc.headings] == [(1, "第一章 总则")]


def test_web_metadata_block_is_used() -> None:
    text = "标题：国务院关于某事的通知\n发文机关：国务院\n发文字号：国发［2019］5号\n成文日期：2019年01月27日\n国务院关于某事的通知\n各省：\n正文。"
    doc = recognise(plain(text))
    assert (doc.title, doc.issuer, doc.doc_number, doc.date) == (
        "国务院关于某事的通知",
        ["国务院"],
        "国发〔2019〕5号",
        "2019-01-27",
    )
    assert doc.body == "正文。"


def styled_notice() -> RawDocument:
    def body(text: str, align: str = "justify") -> Block:
        return Block(text=text, page=1, size=16.0, align=align, font="仿宋_GB2312")

    blocks = [
        Block(text="000123", page=1, size=16.0, align="left"),
        Block(text="机密★1年", page=1, size=16.0, align="left", bold=True),
        Block(text="特急", page=1, size=16.0, align="left", bold=True),
        Block(
            text="南山区人民代表大会常务委员会", page=1, size=36.0, color="FF0000", align="center"
        ),
        body("南人常〔2023〕5号", "center"),
        Block(text="南山区人大常委会关于开展", page=1, size=22.0, align="center"),
        Block(text="执法检查的通知", page=1, size=22.0, align="center"),
        body("各街道人大工委："),
        body("现将有关事项通知如下。"),
        body("一、检查内容"),
        body("南山区人大常委会", "right"),
        body("2023年2月1日", "right"),
        Block(text="抄送：区委办公室。", page=1, size=14.0),
        Block(text="南山区人大常委会办公室  2023年2月2日印发", page=1, size=14.0),
        Block(text="— 1 —", kind="footer"),
    ]
    return RawDocument(path="t.docx", format="docx", blocks=blocks, pages=1)


def test_styled_blocks_and_plain_text_give_the_same_fields() -> None:
    styled = recognise(styled_notice())
    as_text = recognise(
        plain("\n".join(b.text for b in styled_notice().blocks if b.kind != "footer"))
    )
    assert styled.issuer == ["南山区人民代表大会常务委员会"]
    assert styled.title == "南山区人大常委会关于开展执法检查的通知"
    assert styled.pages == 1
    for field in ("title", "doc_number", "date", "secrecy", "urgency", "copy_number", "recipients", "cc",
                  "issued_by", "issued_date", "signature", "body", "headings"):  # fmt: skip
        assert getattr(styled, field) == getattr(as_text, field), field
    # Plain text has no red: the organ line above the 文号 is still taken as the mark.
    assert as_text.issuer == styled.issuer


def test_page_numbers_and_separators_are_noise() -> None:
    doc = recognise(
        plain("关于某事的通知\n各单位：\n第一段。\n— 1 —\n━━━━━━━━\n第二段。\n- 2 -\n2023年2月1日")
    )
    assert doc.paragraphs == ["第一段。", "第二段。"]


@pytest.mark.parametrize(
    "text", ["", "   ", "。", "附件", "2023年2月1日", "：", "一、", "（", "抄送：", "第一条"]
)
def test_odd_input_never_crashes(text: str) -> None:
    doc = recognise(plain(text) if text.strip() else RawDocument(path="e.txt", format="txt"))
    assert isinstance(doc.body, str)


def test_large_title_below_the_doc_number_is_not_a_mark() -> None:
    blocks = [
        Block(text="南山区人民政府文件", size=36.0, color="FF0000", align="center"),
        Block(text="南府〔2023〕7号", size=16.0, align="center"),
        Block(text="南山区人民政府关于某事的通知", size=26.0, align="center"),
        Block(text="各街道办事处：", size=16.0),
        Block(text="正文。", size=16.0),
        Block(text="2023年2月1日", size=16.0, align="right"),
    ]
    doc = recognise(RawDocument(path="t.docx", format="docx", blocks=blocks))
    assert doc.issuer == ["南山区人民政府"]
    assert doc.title == "南山区人民政府关于某事的通知"


def test_draft_suffix_joins_the_title() -> None:
    doc = recognise(
        plain(
            "南山区某某条例\n（草案）\n第一条 为了规范某事，制定本条例。\n第二条 本条例适用于某事。\n第三条 施行。"
        )
    )
    assert doc.title == "南山区某某条例（草案）"
    assert doc.paragraphs[0].startswith("第一条")


def test_footer_in_table_cells_and_soft_line_breaks() -> None:
    blocks = [
        Block(text=t)
        for t in ("关于某事的通知", "各单位：", "正文。", "南山区人民政府", "2023年2月1日")
    ]
    blocks.append(
        Block(
            text="抄送：区委办公室，区人大常委会办公室。\n南山区人民政府办公室\n2023年2月2日印发",
            kind="table",
        )
    )
    doc = recognise(RawDocument(path="t.docx", format="docx", blocks=blocks))
    assert doc.cc == ["区委办公室", "区人大常委会办公室"]
    assert (doc.issued_by, doc.issued_date) == ("南山区人民政府办公室", "2023-02-02")
    assert doc.attachment_docs == []


def test_secrecy_marks_in_the_page_header() -> None:
    blocks = [Block(text="001012", kind="header"), Block(text="机密★5年", kind="header"),
              Block(text="关于某事的通知"), Block(text="各单位："), Block(text="正文。"), Block(text="2023年2月1日")]  # fmt: skip
    doc = recognise(RawDocument(path="t.docx", format="docx", blocks=blocks))
    assert doc.secrecy == Secrecy("机密", "5年")
    assert doc.copy_number == "001012"


def test_seal_placeholder_and_placeholder_doc_number() -> None:
    text = "机密★5年\nBJTU机密文件\nXXX〔2023〕X号\n测试公文标题\n正文。\nBJTU单位\n（此处添加印章图片或文字说明）\n二〇二三年一月一日"
    doc = recognise(plain(text))
    assert doc.issuer == ["BJTU机密"]
    assert doc.signature == ["BJTU单位"]
    assert doc.date == "2023-01-01"
    assert doc.title == "测试公文标题"


@pytest.mark.parametrize(
    ("top", "issuer", "title"),
    [("鹤林区人大常委会办公室会议纪要\n预算联网监督系统建设专题协调会纪要", ["鹤林区人大常委会办公室"],
      "预算联网监督系统建设专题协调会纪要"),
     ("江屿区人大常委会党组会议纪要\n江人常党纪〔2024〕6号\n江屿区人大常委会党组2024年第六次会议纪要",
      ["江屿区人大常委会党组"], "江屿区人大常委会党组2024年第六次会议纪要"),
     ("星湖区人大常委会党组会议纪要\n第4次\n区人大常委会党组会议纪要", ["星湖区人大常委会党组"], "区人大常委会党组会议纪要")],
)  # fmt: skip
def test_minutes_marks_in_plain_text(top: str, issuer: list[str], title: str) -> None:
    doc = recognise(
        plain(
            f"{top}\n时间：2024年4月8日上午\n地点：机关会议室\n主持人：王海峰\n会议议定事项如下：\n一、会议传达学习了全会精神。"
        )
    )
    assert (doc.issuer, doc.title) == (issuer, title)
    assert doc.meeting["主持人"] == "王海峰"


def test_bulletin_masthead() -> None:
    text = "内部资料\n鹤林人大工作简报\n第8期\n鹤林区人大常委会办公室　　2022年7月6日\n我区代表联络站开展集中活动\n7月1日至5日，全区代表进站接待群众。"
    doc = recognise(plain(text))
    assert doc.title == "我区代表联络站开展集中活动"
    assert doc.issuer == ["鹤林区人大常委会办公室"]
    assert doc.date == "2022-07-06"
    assert doc.restricted == "内部资料"


def test_speech_date_subtitle_speaker_and_salutation() -> None:
    text = "努力做新时代合格的人大代表\n——在2023年区人大代表履职能力培训班开班式上的讲话\n（2023年4月18日）\n区人大常委会副主任 何建平\n各位代表、同志们：\n今天，我们在这里举办培训班。"
    doc = recognise(plain(text))
    assert doc.title == "努力做新时代合格的人大代表"
    assert doc.date == "2023-04-18"
    assert doc.signature == ["区人大常委会副主任 何建平"]
    assert doc.recipients == []
    assert doc.issuer == []


def test_wrapped_recipients_and_chinese_attachment_labels() -> None:
    text = "关于某事的通知\n各乡镇人民政府，区政府各部门，\n区直各单位：\n正文。\n南山区人民政府\n2023年2月1日\n附件一\n某某清单\n清单内容。"
    doc = recognise(plain(text))
    assert doc.recipients == ["各乡镇人民政府", "区政府各部门", "区直各单位"]
    assert doc.paragraphs == ["正文。"]
    assert [(a.label, a.title) for a in doc.attachment_docs] == [("附件一", "某某清单")]


def test_unsigned_date_inside_the_body_is_not_the_closing() -> None:
    text = """关于某事的通知
各单位：
活动安排如下。
2023年3月15日
上午举行开幕式，由区人大常委会主任主持并讲话。
下午分组视察民生实事项目，听取有关部门情况汇报。
请各单位按时参加，不得无故缺席，确有特殊情况的请提前请假。
南山区人大常委会办公室
2023年2月1日
"""
    doc = recognise(plain(text))
    assert doc.date == "2023-02-01"
    assert doc.signature == ["南山区人大常委会办公室"]
    assert "2023年3月15日" in doc.paragraphs


def test_black_mid_size_mark_above_the_doc_number() -> None:
    blocks = [
        Block(text="南山区人民代表大会常务委员会办公室", size=20.0, align="center"),
        Block(text="南人常办〔2023〕9号", size=16.0, align="center"),
        Block(text="关于某事的通知", size=22.0, align="center"),
        Block(text="各单位：", size=16.0),
        Block(text="正文。", size=16.0),
        Block(text="2023年2月1日", size=16.0, align="right"),
    ]
    doc = recognise(RawDocument(path="t.pdf", format="pdf", blocks=blocks))
    assert doc.issuer == ["南山区人民代表大会常务委员会办公室"]
    assert (doc.title, doc.doc_number) == ("关于某事的通知", "南人常办〔2023〕9号")


MINUTES_TRADITIONAL = """
雲溪區人大常委會會議紀要
雲人常紀〔2025〕3號
區人大代表重點建議督辦工作推進會會議紀要
時間：2025年3月14日上午
地點：區行政中心三樓會議室
主持人：孫麗娟
3月14日上午，區人大常委會召開推進會。現將會議議定事項紀要如下：
一、關於加快城北片區雨汙分流改造的建議。區住房和城鄉建設局要在4月底前完成施工圖設計。
雲溪區人大常委會辦公室
2025年3月14日
"""


def test_traditional_document_is_recognised_and_reported_as_written() -> None:
    doc = recognise(plain(MINUTES_TRADITIONAL))
    assert doc.title == "區人大代表重點建議督辦工作推進會會議紀要"  # not the masthead
    assert doc.doc_number == "雲人常紀〔2025〕3號"
    assert doc.meeting["地点"] == "區行政中心三樓會議室"  # canonical label, value as written
    assert doc.date == "2025-03-14"
    assert doc.headings[0].text.startswith("一、關於加快城北片區")
    assert "現將會議議定事項紀要如下" in doc.body  # the text keeps its own characters


def test_simplified_document_with_a_few_traditional_characters_is_read_as_is() -> None:
    doc = recognise(plain(NOTICE.replace("各街道", "各街道（含臺灣同胞聯誼會）")))
    assert "臺灣同胞聯誼會" in doc.body or "臺灣同胞聯誼會" in "".join(doc.recipients)
    assert doc.title == recognise(plain(NOTICE)).title
