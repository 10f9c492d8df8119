"""Genre rules (title, structure, fixed phrases) and the spaCy textcat trained in a real home."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.classify import textcat
from pipeline.classify.api import classify_genre
from pipeline.classify.genre import GENRES, normalise_title, rule_genre, rule_scores, title_genre
from pipeline.model import Document


def body_doc(text: str, title: str | None = None) -> Document:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return Document(path="x.txt", format="txt", title=title, body="\n".join(lines), paragraphs=lines)


@pytest.mark.parametrize("title, genre", [
    ("关于印发《2023年工作要点》的通知", "通知"),
    ("区人大常委会关于调整会议时间的紧急通知", "通知"),
    ("国务院关于河北雄安新区总体规划（2018—2035年）的批复", "批复"),
    ("关于申请追加经费的请示", "请示"),
    ("国务院办公厅关于黄金经济政策有关问题的复函", "函"),
    ("国务院办公厅关于辽宁省在曾培炎副总理考察工作时所提问题和建议办理情况的函", "函"),
    ("关于区三届人大三次会议第133号建议的复函", "建议答复"),
    ("国务院办公厅对十届全国人大四次会议第7240号建议的答复", "建议答复"),
    ("海淀区第十五届人大常委会第64次主任会议纪要", "纪要"),
    ("关于2022年国民经济和社会发展计划执行情况的决议", "决议"),
    ("关于2023年度区级预算的决定", "决定"),
    ("区人大常委会任免名单", "任免"),
    ("在区十七届人大一次会议闭幕会上的讲话", "讲话稿"),
    ("关于区政府食品安全工作情况报告的审议意见", "审议意见"),
    ("关于全区养老服务体系建设情况的调研报告", "调研报告"),
    ("区人大常委会2023年工作总结", "工作总结"),
    ("区人大常委会2024年工作要点", "工作计划"),
    ("区人民政府关于2022年度环境状况的报告", "报告"),
    ("关于加强三级公立医院绩效考核工作的意见", "意见"),
    ("人大工作简报（第5期）", "简报"),
    ("专利代理条例", "法规"),
    ("某某市物业管理办法（试行）", "法规"),
    ("中华人民共和国主席令", "命令"),
    ("关于对第五次大督查发现的典型经验做法给予表扬的通报", "通报"),
    ("国 家 粮 食 应 急 预 案 的 函", "函"),
    ("在打好精准脱贫攻坚战座谈会上的讲话（2018年2月12日）习近平", "讲话稿"),
    ("中华人民共和国刑法修正案（三）", "法规"),
])
def test_title_endings(title: str, genre: str) -> None:
    assert title_genre(title) == genre
    assert genre in GENRES


def test_a_case_is_not_a_motion() -> None:
    assert title_genre("某公司诉某县人民政府请求撤销补偿安置协议案") != "议案"
    assert title_genre("关于加强生态环境保护的议案") == "议案"


def test_title_normalisation_joins_wrapped_lines_and_drops_notes() -> None:
    assert normalise_title("关于2023年预算的决议\n（2023年1月10日区第二次会议通过）") == "关于2023年预算的决议"
    assert normalise_title("某某条例（草案）") == "某某条例"
    assert title_genre("") is None and title_genre("某某") is None


@pytest.mark.parametrize("text, genre", [
    ("区人民政府：\n现将有关情况报告如下：\n一、基本情况\n今年以来……\n特此报告。", "报告"),
    ("区人大常委会：\n为做好代表培训，拟申请经费5万元。\n妥否，请批示。", "请示"),
    ("区财政局：\n你局《关于追加预算的请示》（区财〔2023〕3号）收悉。现批复如下：\n一、同意追加。\n此复。", "批复"),
    ("时间：2023年3月1日\n地点：常委会会议室\n出席：张三、李四\n会议议定事项如下：\n一、会议原则通过了……", "纪要"),
    ("（2023年1月10日区第十七届人民代表大会第二次会议通过）\n会议听取并审议了区人民政府工作报告，决定批准这个报告。", "决议"),
    ("各位代表、同志们：\n今天我讲几点意见。\n……\n最后，预祝大会圆满成功！谢谢大家！", "讲话稿"),
    ("王某某代表：\n您提出的《关于加强老旧小区改造的建议》收悉，现答复如下：\n……\n感谢您对我们工作的关心。", "建议答复"),
    ("根据有关规定，区人大常委会决定任命：\n张某某为区人民法院审判员；\n决定免去：\n李某某的区人民法院审判员职务。", "任免"),
    ("人大工作简报\n第12期\n区人大常委会办公室编\n本期要目……", "简报"),
    ("各街道、各部门：\n现将《2023年工作要点》印发给你们，请认真贯彻执行。\n区人大常委会办公室\n2023年2月1日", "通知"),
    ("第一条 为了规范……，制定本条例。\n第二条 本条例适用于……\n第三条 ……\n第四条 本条例自2023年1月1日起施行。", "法规"),
    ("现将有关情况通报如下：\n……\n特此通报。", "通报"),
    ("主席先生，各位同事：今年是联合国成立75周年。……", "讲话稿"),
    ("今天，我们召开专家座谈会。刚才，大家作了很好的发言，提出了很有价值的意见。", "讲话稿"),
])
def test_body_cues_decide_without_title(text: str, genre: str) -> None:
    doc = body_doc(text)
    result = rule_scores(doc)
    assert result.genre == genre, result.scores
    assert not result.by_title
    assert 0 < result.scores[genre] <= 1


def test_the_cover_decides_not_the_forwarded_document() -> None:
    text = """各省、自治区、直辖市人民政府：
民政部《关于清理整顿社会团体的意见》已经国务院同意，现转发给你们，请认真贯彻执行。
现提出如下意见：一、总体要求……二、基本原则……
国务院办公厅
一九九七年四月八日"""
    assert rule_scores(body_doc(text)).genre == "通知"


def test_an_office_replying_to_a_request_writes_a_letter() -> None:
    reply = "中国气象局：\n你局《关于合建气象站网的请示》收悉。经研究，同意合建。\n{}\n一九九六年二月六日"
    assert rule_scores(body_doc(reply.format("国务院办公厅"))).genre == "函"
    assert rule_scores(body_doc(reply.format("国务院"))).genre == "批复"


def test_title_decides_over_body_cues() -> None:
    doc = body_doc("现将有关情况报告如下：……特此报告。", title="关于某事项的通知")
    result = rule_scores(doc)
    assert result.by_title and result.genre == "通知"
    assert result.scores["通知"] > result.scores.get("报告", 0)


def test_ordinary_sentences_are_not_evidence() -> None:
    doc = body_doc("今天天气很好，我们去公园散步。")
    assert rule_genre(doc) is None
    assert classify_genre(doc) == ("其他", {"其他": 0.1})


def test_order_promulgating_regulation_is_the_regulation() -> None:
    articles = "\n".join(f"第{n}条 内容。" for n in "一二三四五")
    doc = body_doc(f"现公布《某某条例》，自2019年1月1日起施行。\n总理 某某\n2018年12月18日\n某某条例\n{articles}",
                   title="中华人民共和国国务院令")
    assert rule_genre(doc) == "法规"


def _examples() -> tuple[list[str], list[str]]:
    report = "区人大常委会：\n现将{}工作情况报告如下：一是加强组织领导，二是完善工作机制。特此报告。"
    notice = "各街道、各部门：\n现将{}有关事项通知如下：请各单位按时报送材料，请认真贯彻执行。"
    subjects = ["财政", "教育", "卫生", "环保", "农业", "交通", "民政", "司法", "文化", "科技", "水利", "体育"]
    texts = [report.format(s) for s in subjects] + [notice.format(s) for s in subjects]
    return texts, ["报告"] * len(subjects) + ["通知"] * len(subjects)


def test_textcat_trains_saves_and_loads_from_home(home: Path) -> None:
    texts, labels = _examples()
    nlp = textcat.train(texts, labels, textcat.model_dir(home), epochs=6)
    assert nlp is not None
    loaded = textcat.load(home)
    assert loaded is not None
    scores = textcat.predict(loaded, "现将审计工作情况报告如下：一是加强组织领导。特此报告。")
    assert set(scores) == {"报告", "通知"}
    assert max(scores, key=scores.get) == "报告"
    assert abs(sum(scores.values()) - 1) < 1e-3


def test_textcat_refuses_too_little_data(home: Path) -> None:
    assert textcat.train(["一", "二"], ["报告", "通知"], textcat.model_dir(home)) is None
    assert textcat.load(home) is None


def test_model_fills_in_where_rules_are_weak(home: Path) -> None:
    texts, labels = _examples()
    nlp = textcat.train(texts, labels, epochs=6)
    fragment = body_doc("一是加强组织领导，二是完善工作机制，按时报送材料。")  # no fixed phrase
    genre, scores = classify_genre(fragment, nlp)
    assert genre in ("报告", "通知") and scores[genre] > 0
    strong = body_doc("你局《关于合建的请示》收悉。现批复如下：同意。\n此复。")
    assert classify_genre(strong, nlp)[0] == "批复"  # strong rules are not overridden


@pytest.mark.parametrize("text, genre", [
    ("国家卫生健康委关于加强发热门诊管理的通知 国家卫生健康委关于加强发热门诊管理的通知 各省卫生健康委：为做好……", "通知"),
    ("关于充分发挥税收职能作用 助力打赢疫情防控阻击战若干措施的通知 各省税务局：为深入贯彻……", "通知"),
    ("某开发区疫情应急指挥部通告（第8号） 为贯彻落实省、市响应措施，根据有关规定，决定对……", "通告"),
])
def test_titles_glued_to_web_text(text: str, genre: str) -> None:
    assert rule_scores(body_doc(text)).genre == genre


def test_news_headline_is_not_taken_for_a_title() -> None:
    text = "民政部、国家卫生健康委联合印发通知 指导各地做好城乡社区疫情防控工作 为贯彻落实……"
    assert rule_scores(body_doc(text)).genre != "通知" or rule_scores(body_doc(text)).scores["通知"] < 0.5


# --- genre by what a text is, not by the words it mentions ---------------------------------------

MEETING_NEWS = """3月14日上午，区十八届人大常委会召开第二十六次会议。区人大常委会主任张某主持会议。
会议听取和审议了区人民政府关于民生实事项目进展情况的报告，表决通过了关于区级预算调整方案的决议。
会议决定任命李某为区人民政府副区长，决定免去赵某的区人民法院审判员职务，接受王某辞去区人民政府副区长职务的请求。
会议还审议通过了有关人事任免事项。
区人大常委会副主任刘某、陈某出席会议，区人民法院、区人民检察院负责同志列席会议。
（区人大办供稿）"""


@pytest.mark.parametrize("title", [None, "樊城区六届人大常委会召开第二十六次会议",
                                   "组织全体区人大代表评议区政府上半年工作报告",
                                   "市六届人大常委会第五十二次主任会议召开 张某主持并讲话"])
def test_meeting_news_is_a_bulletin_however_many_appointments_it_reports(title: str | None) -> None:
    result = rule_scores(body_doc(MEETING_NEWS, title=title))
    assert result.genre == "简报", result.scores
    assert not result.by_title  # a headline's last word names what the meeting dealt with


@pytest.mark.parametrize("text, genre", [
    # a report given at a congress opens like a speech, but says it reports
    ("各位代表：\n现在，我受区人大常委会委托，向大会报告工作，请予审议。\n一、2023年主要工作\n"
     "一年来，常委会听取审议专项工作报告20项，开展执法检查6项，各项工作取得新进展。\n"
     "二、2024年工作安排\n常委会将继续加强监督，推动各项工作落实。", "报告"),
    # a speech: salutation, first-person address, thanks at the close
    ("同志们：\n今天我们召开全区人大工作会议，主要任务是总结去年工作、部署今年任务。\n"
     "刚才，几位同志作了很好的发言，我都同意。下面，我讲三点意见。\n"
     "一要提高认识，二要依法履职，三要加强自身建设。\n谢谢大家！", "讲话稿"),
    # minutes declare themselves, whatever they report
    ("区七届人大常委会第二十四次主任会议于2015年4月21日召开，主任孙某主持，现纪要如下：\n"
     "一、会议听取了区政府关于《档案法》贯彻执行情况的汇报\n会议认为，区档案局认真贯彻《档案法》。\n"
     "二、会议研究确定了召开常委会第二十三次会议的有关事项，决定任命有关人员。", "纪要"),
    # a reply to a deputy, though it mentions meetings and reports
    ("吴某代表：\n您提出的《关于解决小区居民公交出行问题的建议》（第DH0271号）收悉。现将办理情况答复如下。\n"
     "区交通运输委多次召开会议研究，已将相关线路纳入年度工作报告，待新建道路投用时一并开通公交线路。\n"
     "对以上答复您有什么意见，请及时反馈区人大常委会人代工委。\n区交通运输委员会\n2025年4月10日", "建议答复"),
])
def test_speech_report_minutes_and_reply_by_what_they_are(text: str, genre: str) -> None:
    result = rule_scores(body_doc(text))
    assert result.genre == genre, result.scores


def test_a_reply_to_a_numbered_suggestion_with_a_letter_title() -> None:
    assert title_genre("重庆市某区交通运输委员会关于区十九届人大第六次会议第DH0271号建议办理情况的复函") == "建议答复"
