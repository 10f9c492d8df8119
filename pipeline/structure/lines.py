"""The recogniser's view of a document: cleaned lines with their style hints, and line tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Block, RawDocument
from pipeline.structure.normalise import clean_line, close_up, is_page_number, is_separator

GENRE_END = re.compile(
    r"(?:通知|通报|意见|决定|决议|命令|令|公报|公告|通告|报告|请示|批复|议案|复函|函|纪要|答复|"
    r"方案|办法|规定|条例|细则|规则|要点|计划|规划|总结|讲话|发言|名单|意见书|建议|提案|章程|"
    r"制度|预案|指南|标准|清单|说明|报告书|贺信|贺电|倡议书|简报|情况|汇报|工作报告|解释|法|守则|公约|纲要|批示|决议草案|修正案|致辞|贺词|讲话稿)[”」》）)]?$"
)
SENTENCE_END = re.compile(r"[。；;！!？?]$")
HAS_SENTENCE_PUNCT = re.compile(r"[。；;！!？?]")
# A "label：value" line (时间：, 附件：, 签发人：…): the label is short and has no punctuation.
LABEL = re.compile(r"^[\u4e00-\u9fff ]{1,8}[：:]")
ORGAN_END = re.compile(
    r"(?:院|厅|部|委|会|局|署|办|室|府|组|处|科|所|站|队|中心|党组|政协|法院|检察院|委员会|公司|"
    r"学校|大学|学院|医院|总局|集团|分会|联合会|协会|研究会|基金会|银行|军委|军区|政府|人大|支部|"
    r"办事处|管委会|管理委员会|街道|镇|乡|村|社区|县委|市委|区委|省委|工委|团委|妇联|工会|"
    r"总工会|共青团|监察委员会|代表团|主席团|专家组|领导小组|指挥部|会议)$"
)


# Navigation and page furniture of web pages saved as text; only short lines are tested.
WEB_NOISE = re.compile(
    r"当前位置|您的位置|您现在的位置|首页\s*[>›»/|]|设为首页|加入收藏|添加收藏|返回首页|关闭窗口|打印本页|"
    r"【\s*打印\s*】|扫一扫|分享到|字体\s*[:：]|[【\[]\s*[大中小]\s*[】\]]|浏览次数|点击[数率量]?\s*[:：]|"
    r"阅读次数|访问量|发布(?:日期|时间)\s*[:：]|^来源\s*[:：]|^作者\s*[:：]|^(?:注册|登录|目录|返回|上一篇|下一篇)$|"
    r"^!\[|^[|\s]+$|^\||欢迎(?:进入|访问|光临)|今天是|今日是|維基文庫|维基文库|自由的圖書館|自由的图书馆|"
    r"微信扫|手机阅读|^链接地址|^本文标题[:：]|^上一条|^下一条|^相关链接"
)
_OPEN_BRACKET = re.compile(r"^[（(][^）)]*$")
_CLOSE_BRACKET = re.compile(r"^[^（(]*[）)]$")


def web_noise(text: str) -> bool:
    return len(text) <= 100 and bool(WEB_NOISE.search(text))


@dataclass
class Line:
    """One non-empty, non-noise block: ``text`` cleaned; ``flat`` with layout spaces closed up."""

    text: str
    flat: str
    block: Block
    raw: str = ""  # as printed (spaces not squashed), for notes kept "as written"

    @property
    def size(self) -> float | None:
        return self.block.size

    @property
    def centred(self) -> bool:
        return self.block.align == "center"

    @property
    def right(self) -> bool:
        return self.block.align == "right"


def to_lines(raw: RawDocument) -> tuple[list[Line], list[Line]]:
    """(main lines, page-header lines): footers, page numbers, separators and empties dropped.

    Page-header blocks are kept apart: some Word templates put 份号/密级/紧急 there.
    """
    lines: list[Line] = []
    headers: list[Line] = []
    for block in raw.blocks:
        if block.kind == "footer":
            continue
        # A block may hold several printed lines (soft line breaks, table cells of the 版记).
        for piece in block.text.splitlines() or [""]:
            text = clean_line(piece)
            if not text or is_page_number(text) or is_separator(text) or web_noise(text):
                continue
            line = Line(text=text, flat=close_up(text), block=block, raw=piece.strip())
            (headers if block.kind == "header" else lines).append(line)
    return _join_split_brackets(lines), headers


def _join_split_brackets(lines: list[Line]) -> list[Line]:
    """A bracketed note wrapped over two lines (``（2017年3月2日…`` / ``…会议通过）``) becomes one."""
    result: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if (
            i + 1 < len(lines)
            and len(line.text) <= 80
            and _OPEN_BRACKET.match(line.text)
            and _CLOSE_BRACKET.match(lines[i + 1].text)
            and len(lines[i + 1].text) <= 80
        ):
            text = line.text + lines[i + 1].text
            result.append(
                Line(
                    text=text,
                    flat=close_up(text),
                    block=line.block,
                    raw=line.raw + lines[i + 1].raw,
                )
            )
            i += 2
            continue
        result.append(line)
        i += 1
    return result


def organ_like(text: str, limit: int = 30) -> bool:
    """A short line naming an organ (signature, 发文机关标志 without 文件)."""
    flat = text.strip()
    if not flat or len(flat) > limit or HAS_SENTENCE_PUNCT.search(flat) or "：" in flat:
        return False
    parts = [p for p in re.split(r"[、\s]+", flat) if p]
    return all(ORGAN_END.search(p) for p in parts)


def has_style(lines: list[Line]) -> bool:
    """True when the reader gave font sizes (docx, pdf, ofd), so layout can be trusted."""
    return sum(1 for line in lines[:30] if line.size) >= max(1, min(len(lines), 30) // 2)
