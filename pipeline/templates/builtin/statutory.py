"""Statutory genres of 《党政机关公文处理工作条例》 (2012) an office drafts: 请示, 报告, 函, 通知, 意见,
通报, 批复, 公告 — with the closers the 条例 and practice fix (特此报告, 妥否，请批示, 特此函告 …),
laid out by GB/T 9704-2012 (请示 and 报告 are 上行文: 签发人 in the 版头)."""

from __future__ import annotations

from pipeline.templates.builtin.spec import (
    ORGAN_SHORT,
    Spec,
    Variant,
    date,
    items,
    line,
    meeting,
    organ,
    para,
)

_BASIS = "《党政机关公文处理工作条例》第八条；GB/T 9704-2012"


def _matter(name: str, hint: str, *examples: str) -> dict:
    return line(name, hint, *examples)


REQUEST = Spec(
    genre="请示", layout="standard", upward=True,
    basis=_BASIS + "（请示一文一事，只主送一个上级机关，结尾提出请求）",
    title="{{ 发文机关简称 }}关于{{ 请示事项 }}的请示",
    skeleton=("{{ 请示缘由 }}为{{ 请示目的 }}，现就{{ 请示事项 }}请示如下：", "{{ 请示内容 }}", "妥否，请批示。"),
    fixed=("请示如下", "妥否，请批示"),
    slots=(
        ORGAN_SHORT,
        _matter("请示事项", "请求批准或指示的事项（一文一事）", "增加代表履职专项经费"),
        para("请示缘由", "提出请示的背景和理由，以句号结束", "2024年，……。"),
        line("请示目的", "请示的目的", "保障代表依法履职"),
        items("请示内容", "每条一段：请求的具体事项", "申请追加代表履职专项经费20万元。"),
    ),
    parts=("缘由", "请示内容", "结尾"),
)

REPORT = Spec(
    genre="报告", layout="standard", upward=True,
    basis=_BASIS + "（报告不夹带请示事项）",
    title="{{ 发文机关简称 }}关于{{ 报告事项 }}的报告",
    skeleton=("{{ 报告缘由 }}现将{{ 报告事项 }}报告如下：", "{{ 报告内容 }}", "特此报告。"),
    fixed=("报告如下", "特此报告"),
    slots=(
        ORGAN_SHORT,
        _matter("报告事项", "所报告的工作或情况", "2024年上半年信访工作情况"),
        para("报告缘由", "可选：依据或背景，以句号或逗号结束", "根据区委要求，") | {"required": False},
        items("报告内容", "每条一段：先写小标题，以句号结束，再写内容",
              "基本情况。……", prompts=("基本情况。", "主要做法。", "存在的问题。", "下一步工作。")),
    ),
    parts=("开头", "报告内容", "结尾"),
)

LETTER = Spec(
    genre="函", layout="letter", name="去函",
    basis=_BASIS + "；GB/T 9704-2012 10.1 信函格式",
    title="{{ 发文机关简称 }}关于{{ 函告事项 }}的函",
    skeleton=("{{ 发函缘由 }}现将有关事项函告如下：", "{{ 函告内容 }}", "特此函告。"),
    fixed=("有关事项", "特此函告"),
    slots=(
        ORGAN_SHORT,
        _matter("函告事项", "商洽、询问或告知的事项", "协助开展执法检查"),
        para("发函缘由", "发函的背景和目的，以句号结束", "为做好……，"),
        items("函告内容", "每条一段", "检查时间。……"),
    ),
    parts=("缘由", "函告内容", "结尾"),
    variants=(
        Variant(
            name="复函",
            title="{{ 发文机关简称 }}关于{{ 函告事项 }}的复函",
            skeleton=("{{ 来函单位 }}《{{ 来函标题 }}》收悉。经研究，现函复如下：", "{{ 复函内容 }}", "特此函复。"),
            fixed=("现函复如下", "特此函复"),
            slots=(
                ORGAN_SHORT,
                _matter("函告事项", "所答复的事项", "协助开展执法检查"),
                organ("来函单位", "来函的单位，可写“你单位”“贵委”", "你单位"),
                line("来函标题", "来函的标题", "关于商请协助开展执法检查的函", kind="title"),
                items("复函内容", "每条一段", "同意派员参加。……"),
            ),
            parts=("开头", "复函内容", "结尾"),
        ),
    ),
)

NOTICE = Spec(
    genre="通知", layout="standard", name="部署性通知",
    basis=_BASIS,
    title="{{ 发文机关简称 }}关于{{ 通知事项 }}的通知",
    skeleton=("为{{ 通知目的 }}，根据{{ 通知依据 }}，现就{{ 通知事项 }}通知如下：", "{{ 通知内容 }}",
              "{{ 联系方式 }}"),
    fixed=("通知如下",),
    slots=(
        ORGAN_SHORT,
        _matter("通知事项", "要求办理或周知的事项", "做好2024年代表建议办理工作有关事项"),
        line("通知目的", "发通知的目的", "提高代表建议办理质量"),
        line("通知依据", "依据的文件或会议", "《青岚区人民代表大会代表建议、批评和意见办理办法》"),
        items("通知内容", "每条一段：先写小标题，以句号结束，再写内容", "提高思想认识。……"),
        para("联系方式", "可选：联系人和电话", "联系人：王明，电话：12345678。") | {"required": False},
    ),
    parts=("开头", "通知内容", "结尾"),
    variants=(
        Variant(
            name="印发通知",
            title="{{ 发文机关简称 }}关于印发{{ 印发文件 }}的通知",
            skeleton=("现将{{ 印发文件 }}印发给你们，请结合实际认真贯彻执行。",),
            fixed=("印发给你们", "认真贯彻执行"),
            slots=(ORGAN_SHORT, line("印发文件", "印发的文件，带书名号", "《青岚区人大常委会2024年工作要点》",
                                     kind="title")),
            parts=("正文",),
        ),
        Variant(
            name="会议通知",
            title="{{ 发文机关简称 }}关于召开{{ 会议名称 }}的通知",
            skeleton=("{{ 发文机关简称 }}定于{{ 会议日期 }}召开{{ 会议名称 }}。现将有关事项通知如下：", "{{ 会议事项 }}"),
            fixed=("有关事项通知如下",),
            slots=(
                ORGAN_SHORT,
                meeting("会议名称", "召开的会议", "全区人大工作座谈会"),
                date("会议日期", "会议召开日期", "2024年7月5日"),
                items("会议事项", "每条一段", "会议时间和地点。……",
                      prompts=("会议时间和地点。", "参会人员。", "会议议程。", "有关要求。")),
            ),
            parts=("开头", "会议事项"),
        ),
    ),
)

OPINION = Spec(
    genre="意见", layout="standard",
    basis=_BASIS,
    title="{{ 发文机关简称 }}关于{{ 意见事项 }}的意见",
    skeleton=("为{{ 意见目的 }}，现就{{ 意见事项 }}提出如下意见。", "{{ 意见内容 }}"),
    fixed=("提出如下意见",),
    slots=(
        ORGAN_SHORT,
        _matter("意见事项", "提出意见的工作", "加强和改进代表工作"),
        line("意见目的", "提出意见的目的", "充分发挥人大代表作用"),
        items("意见内容", "每条一段：先写小标题，以句号结束，再写内容", "总体要求。……",
              prompts=("总体要求。", "主要任务。", "保障措施。")),
    ),
    parts=("开头", "意见内容"),
)

BULLETIN = Spec(
    genre="通报", layout="standard",
    basis=_BASIS,
    title="{{ 发文机关简称 }}关于{{ 通报事项 }}的通报",
    skeleton=("{{ 通报缘由 }}现将{{ 通报事项 }}有关情况通报如下：", "{{ 通报内容 }}", "特此通报。"),
    fixed=("特此通报",),
    slots=(
        ORGAN_SHORT,
        _matter("通报事项", "通报的事项", "2024年上半年代表建议办理情况"),
        para("通报缘由", "可选：背景，以句号结束", "") | {"required": False},
        items("通报内容", "每条一段：先写小标题，以句号结束，再写内容", "基本情况。……"),
    ),
    parts=("开头", "通报内容", "结尾"),
)

REPLY = Spec(
    genre="批复", layout="standard",
    basis=_BASIS + "（批复答复下级机关的请示）",
    title="{{ 发文机关简称 }}关于{{ 请示事项 }}的批复",
    skeleton=("你{{ 来文单位类别 }}《{{ 请示标题 }}》（{{ 请示文号 }}）收悉。经研究，现批复如下：", "{{ 批复内容 }}",
              "此复。"),
    fixed=("现批复如下",),
    slots=(
        ORGAN_SHORT,
        _matter("请示事项", "所批复的请示事项", "设立代表联络站"),
        line("来文单位类别", "“你”后面的单位类别", "委", "局", "镇"),
        line("请示标题", "下级机关请示的标题", "关于设立代表联络站的请示", kind="title"),
        line("请示文号", "请示的文号", "青人选〔2024〕3号", kind="doc_number"),
        items("批复内容", "每条一段", "同意设立……。"),
    ),
    parts=("开头", "批复内容", "结尾"),
)

ANNOUNCEMENT = Spec(
    genre="公告", layout="standard",
    basis=_BASIS,
    title="{{ 发文机关简称 }}公告",
    skeleton=("{{ 公告内容 }}", "特此公告。"),
    fixed=("特此公告",),
    slots=(ORGAN_SHORT, items("公告内容", "每条一段", "……", numbering="")),
    parts=("正文", "结尾"),
    drop=("主送机关",), optional=("文号",),
)

SPECS = (REQUEST, REPORT, LETTER, NOTICE, OPINION, BULLETIN, REPLY, ANNOUNCEMENT)
