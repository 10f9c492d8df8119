"""The GB/T 9704-2012 elements every template has, and the slot schema they share.

A slot is a dict ``{"name", "kind", "type", "examples", "hint", "source", "required", "group"}``
(a list slot also has ``"item"``): ``kind`` says what the value is (``organ``, ``date``, ``meeting``,
``doc_number``, ``person``, ``title``, ``number``, ``text``, ``choice``, ``list``), ``type`` how a
form asks for it (``line``, ``paragraph``, ``date``, ``choice``, ``list``), ``group`` where it goes
on the page (版头, 主体, 正文, 版记). The elements are keys of every genre (``draft G --set 文号=…``
is never refused); a genre lists the ones its layout prints, the others are accepted all the same.
份号 and 密级 are not among them: classified documents are not drafted on this system.
"""

from __future__ import annotations

from typing import Any

# name -> (kind, form type, group, hint)
ELEMENTS: dict[str, tuple[str, str, str, str]] = {
    "紧急程度": ("choice", "choice", "版头", "特急或加急；不紧急的公文不填"),
    "发文机关": ("organ", "line", "版头", "发文机关全称或规范化简称，印成红色版头（发文机关标志）；不填时用署名"),
    "文号": ("doc_number", "line", "版头", "发文机关代字〔年份〕序号，如 青人常〔2024〕12号：六角括号，序号不编虚位，不加“第”"),
    "签发人": ("person", "line", "版头", "上行文（请示、报告）的签发人姓名，多人用顿号分隔"),
    "标题": ("title", "line", "主体", "发文机关＋关于＋事由＋的＋文种；不填时按模板的标题格式生成"),
    "主送机关": ("organ", "line", "主体", "受理公文的机关，多个用顿号分隔，如 区人民政府"),
    "附件": ("text", "line", "主体", "附件名称，多个用 | 分隔；正文下空一行编排“附件：1.……”"),
    "署名": ("organ", "line", "主体", "发文机关署名（全称或规范化简称）；不填时用发文机关"),
    "成文日期": ("date", "date", "主体", "用阿拉伯数字，如 2024年6月28日（也可写 2024-06-28）"),
    "附注": ("text", "line", "主体", "需要说明的事项，如联系人和电话；加圆括号编排在成文日期下一行"),
    "抄送机关": ("organ", "line", "版记", "抄送的机关，多个用顿号分隔"),
    "印发机关": ("organ", "line", "版记", "公文的送印机关，一般是办公室，如 区人大常委会办公室"),
    "印发日期": ("date", "date", "版记", "公文的送印日期，不早于成文日期"),
}
URGENCY = ("特急", "加急")
# Made-up examples of the elements (a template built from an archive shows the archive's first).
ELEMENT_EXAMPLES: dict[str, str] = {
    "紧急程度": "加急",
    "发文机关": "青岚区人民代表大会常务委员会",
    "文号": "青人常〔2024〕12号",
    "签发人": "王明",
    "主送机关": "区人民政府",
    "附件": "2024年民生实事项目清单",
    "署名": "青岚区人民代表大会常务委员会",
    "成文日期": "2024年6月28日",
    "附注": "联系人：李华，电话：12345678",
    "抄送机关": "区委办公室、区纪委监委",
    "印发机关": "青岚区人大常委会办公室",
    "印发日期": "2024年6月29日",
}
# Other spellings a drafter may type (and the names older templates used).
ALIASES = {"抄送": "抄送机关", "主送": "主送机关", "发文字号": "文号", "发文机关标志": "发文机关",
           "附件说明": "附件", "印章": "署名"}
# 纪要 header lines (纪要格式): label -> (kind, type, hint)
MEETING_LINES: dict[str, tuple[str, str, str]] = {
    "时间": ("date", "line", "会议时间，如 2024年8月12日上午"),
    "地点": ("text", "line", "会议地点，如 区人大常委会第一会议室"),
    "主持人": ("person", "line", "主持会议的负责同志"),
    "出席": ("person", "paragraph", "出席会议的人员，用顿号分隔"),
    "请假": ("person", "line", "请假的人员及原因，如 张三（外出学习）"),
    "列席": ("person", "paragraph", "列席会议的单位和人员"),
    "记录": ("person", "line", "会议记录人"),
}
MEETING_EXAMPLES = {"时间": "2024年8月12日上午", "地点": "区人大常委会第一会议室", "主持人": "区人大常委会主任周振华",
                    "出席": "副主任孙丽娟、钱国栋、吴晓东", "请假": "冯建平（外出学习）",
                    "列席": "区人大常委会各工作委员会主任", "记录": "李华"}
# The elements each layout prints: (required, optional). Required ones left empty show 【待填】;
# optional ones left empty are not printed.
LAYOUT_ELEMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "standard": (("发文机关", "文号", "标题", "主送机关", "署名", "成文日期"),
                 ("紧急程度", "附件", "附注", "抄送机关", "印发机关", "印发日期")),
    "letter": (("发文机关", "文号", "标题", "主送机关", "署名", "成文日期"),
               ("紧急程度", "附件", "附注", "抄送机关")),
    "minutes": (("发文机关", "标题", "时间", "地点", "主持人", "出席", "列席"),
                ("文号", "请假", "记录", "成文日期", "抄送机关", "印发机关", "印发日期")),
    "plain": (("标题", "署名", "成文日期"), ()),
}


def canonical(name: str) -> str:
    """The element's own name for an alias (``抄送`` → ``抄送机关``)."""
    return ALIASES.get(name.strip(), name.strip())


def slot(name: str, kind: str, form: str, hint: str, examples: list[str] | None = None, *,
         group: str = "正文", required: bool = True, source: str = "built-in",
         item: dict[str, Any] | None = None) -> dict[str, Any]:
    """One slot in the schema ``templates show`` prints."""
    made = {"name": name, "kind": kind, "type": form, "examples": list(examples or []), "hint": hint,
            "source": source, "required": required, "group": group}
    if kind == "choice" and name == "紧急程度":
        made["choices"] = list(URGENCY)
    if item is not None:
        made["item"] = item
    return made


def element_slot(name: str, required: bool, examples: list[str] | None = None) -> dict[str, Any]:
    if name in MEETING_LINES:
        kind, form, hint = MEETING_LINES[name]
        examples = examples if examples is not None else [MEETING_EXAMPLES[name]]
        return slot(name, kind, form, hint, examples, group="主体", required=required)
    kind, form, group, hint = ELEMENTS[name]
    if examples is None and name in ELEMENT_EXAMPLES:
        examples = [ELEMENT_EXAMPLES[name]]
    return slot(name, kind, form, hint, examples, group=group, required=required)


def layout_slots(layout: str, *, upward: bool = False, drop: tuple[str, ...] = (),
                 optional: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The element slots a layout prints, in page order; ``upward`` adds 签发人 (上行文)."""
    required, extra = LAYOUT_ELEMENTS[layout]
    names = list(required) + list(extra)
    if upward:
        names.insert(names.index("文号") + 1, "签发人")
    order = list(ELEMENTS) + list(MEETING_LINES)
    names.sort(key=lambda n: _page_order(n, order))
    return [element_slot(n, n not in extra and n not in optional) for n in names if n not in drop]


def _page_order(name: str, order: list[str]) -> int:
    """Page order: 版头, 标题, 纪要 lines, 主送, …, 版记."""
    if name in MEETING_LINES:
        return order.index("主送机关") * 100 - 50 + list(MEETING_LINES).index(name)
    return order.index(name) * 100


def is_element(name: str) -> bool:
    return canonical(name) in ELEMENTS or name in MEETING_LINES
