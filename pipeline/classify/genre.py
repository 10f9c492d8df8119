"""Genre (文种) by rules: the title's ending first, then structure and fixed phrases of the body.

``rule_scores(doc)`` returns evidence per genre label (the contract's Chinese names) and whether the
title decided; ``rule_genre(doc)`` is the confident answer or None. A learned model (``textcat``)
takes over where the rules are unsure (no title: drafts, fragments, OCR, web texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pipeline.model import Document
from pipeline.text.dates import ANY_YEAR, CN_DAY, CN_MONTH, DATE, DAY, MONTH, YEAR
from pipeline.text.normalize import to_simplified  # skips zhconv when nothing is traditional
from pipeline.text.numerals import DIGITS, ZEROS

try:  # CPython's own regex parser (private): ``required_text`` reads cues with it, and without
    # it (another Python) every cue simply runs its expression
    import re._constants as sre_constants
    import re._parser as sre_parser
except ImportError:  # pragma: no cover - CPython 3.11+ has both
    sre_parser = None

GENRES = (
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案",
    "函", "纪要", "审议意见", "讲话稿", "工作总结", "工作计划", "调研报告", "简报", "建议答复", "任免", "法规",
    "其他",
)  # fmt: skip

# Title endings, most specific first: (pattern on the normalised title, genre).
_TITLE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), g)
    for p, g in [
        (r"(审议意见书?|初审意见|审议意见的报告)$", "审议意见"),
        (r"(第.{1,8}号|代表|委员|政协|人大).{0,30}(建议|提案|议案|意见)的?(答复|答复函|复函|答复的函|函)$", "建议答复"),
        (r"(答复|答复函|答复意见)$", "建议答复"),
        (r"(任免名单|任命名单|免职名单|人事任免|任免事项|任免.*的决定|任命.*的决定|免去.*的决定)$", "任免"),
        (r"(讲话|讲话稿|讲话提纲|致辞|致词|发言|发言稿|开幕词|闭幕词|主持词|贺词|动员讲话|讲稿)$", "讲话稿"),
        (r"纪要$", "纪要"),
        (r"决议$", "决议"),
        (r"(^|[^决规])(令|命令)(第.{1,6}号)?$", "命令"),
        (r"决定$", "决定"),
        (r"批复$", "批复"),
        (r"请示$", "请示"),
        (r"(复函|函|函告)$", "函"),
        (r"通知$", "通知"),
        (r"通报$", "通报"),
        (r"公报$", "公报"),
        (r"公告$", "公告"),
        (r"通告$", "通告"),
        (r"(?<!协)议案$", "议案"),
        (r"(调研报告|调查报告|视察报告|考察报告|执法检查报告|调研情况的报告)$", "调研报告"),
        (r"(总结|工作总结|述职报告|年度工作回顾)$", "工作总结"),
        (r"(计划|工作要点|要点|工作安排|工作思路|规划|实施方案|工作方案)$", "工作计划"),
        (r"报告$", "报告"),
        (r"意见$", "意见"),
        (r"(简报|简讯|信息专报|快报|工作动态|信息)$|第.{1,5}期", "简报"),
        (r"(条例|办法|规定|规则|细则|实施细则|章程|准则|[^办方想看说]法|法典|修正案)$", "法规"),
    ]
]

_TITLE_NOISE = re.compile(r"[\s\u3000]+")
# Bracketed tails that are not part of the genre word: （草案）（试行）（2023年…通过）（第2期）…
_TITLE_TAIL = re.compile(r"[（(【\[][^（）()【】\[\]]{0,60}[）)】\]]$")
# A speech's date and speaker glued after its title: "……的讲话（2020年2月3日）习近平".
_SPEAKER_TAIL = re.compile(rf"[（(]{YEAR}年{MONTH}月(?:{DAY}日)?[）)][\u4e00-\u9fa5·]{{2,5}}$")
_TITLE_PUNCT = "。.，,：:；;！!？?　 \"“”'‘’《》"


def normalise_title(title: str) -> str:
    """Join wrapped lines, drop spaces between characters and trailing bracketed notes."""
    text = _SPEAKER_TAIL.sub("", _TITLE_NOISE.sub("", title or ""))
    for _ in range(3):
        stripped = _TITLE_TAIL.sub("", text).strip(_TITLE_PUNCT)
        if stripped == text or not stripped:
            break
        text = stripped
    return text.strip(_TITLE_PUNCT)


def title_genre(title: str | None) -> str | None:
    """The genre the title's ending names, or None."""
    text = normalise_title(title or "")
    if not text:
        return None
    for pattern, genre in _TITLE_RULES:
        if pattern.search(text):
            return genre
    return None


# Body cues: (pattern, genre, weight). Each pattern counts once per document.
_M = re.MULTILINE
_CUES: list[tuple[re.Pattern[str], str, float]] = [
    (re.compile(p, f), g, w)
    for p, g, w, f in [
        # 通知
        (r"特此通知", "通知", 4, 0),
        (r"通知如下", "通知", 3.5, 0),
        (r"(印发|转发|下发|颁发)给你们|现予(印发|转发|发布|颁布)", "通知", 6, 0),
        (r"请(认真|结合实际|切实)?(贯彻执行|遵照执行|贯彻落实|组织实施|抓好落实|认真执行|参照执行)", "通知", 1.5, 0),
        (r"(现将|现就).{0,40}(通知|事项)", "通知", 1.5, 0),
        # 意见
        (r"(提出|制定)(如下|以下)意见", "意见", 4, 0),
        (r"(现|特)提出(如下|以下)", "意见", 2, 0),
        (r"^[一二]、(总体要求|指导思想|基本原则)", "意见", 1.2, _M),
        # 批复
        (r"现批复如下", "批复", 5, 0),
        (r"的请示》?[^。\n]{0,40}收悉", "批复", 4, 0),
        (r"^此复。?$", "批复", 3, _M),
        (r"^(一、)?(原则)?同意", "批复", 1.5, _M),
        # 函
        (r"(来函|的函|函》)[^。\n]{0,20}收悉", "函", 3.5, 0),
        (r"特此函(复|告|达)|现函复如下|请研究函复|请予函复|请函复|函复", "函", 3.5, 0),
        (r"(所提问题和建议|考察工作时所提|所提问题)", "函", 2, 0),
        # 决定
        (r"(特作|作出|现作)如下决定|决定如下", "决定", 4, 0),
        (r"(国务院|常委会|常务委员会|会议|本机关|研究)决定", "决定", 2, 0),
        (r"决定(授予|给予|对|在|暂时调整|废止|批准|撤销|成立|设立)", "决定", 1.5, 0),
        # 通报
        (r"(现将|现就).{0,40}通报如下|特此通报", "通报", 4.5, 0),
        (r"(予以|给予)?通报(表扬|批评)|予以表扬|给予表扬|予以通报", "通报", 3, 0),
        # 建议答复
        (r"(您|你)(们)?(提出|所提)的?[《“\"]?关于", "建议答复", 4, 0),
        (r"(建议|提案|意见)》?(（第?[\d]+号）)?[^。\n]{0,10}收悉", "建议答复", 3, 0),
        (r"(现|特)?(答复|回复)如下", "建议答复", 3, 0),
        (r"感谢(您|你)(们)?对", "建议答复", 2.5, 0),
        (r"^.{1,12}(代表|委员|先生|女士)[:：]$", "建议答复", 2.5, _M),
        # 法规
        (r"^第[一二三四五六七八九十百零〇]+条", "法规", 1.0, _M),
        (r"本(条例|办法|规定|细则|规则|实施细则)", "法规", 3, 0),
        (r"^第[一二三四五六七八九十]+章", "法规", 1.5, _M),
        # 命令
        (r"现(予)?公布.{0,60}(施行|起施行)", "命令", 3, 0),
        (r"^第\d+号$", "命令", 2, _M),
        (r"令$", "命令", 0.5, _M),
        # 报告
        (r"特此报告", "报告", 5, 0),
        (r"报告如下", "报告", 3.5, 0),
        (r"(请予|请)审议", "报告", 1.5, 0),
        # 请示
        (r"(妥否|当否|可否)[，,]?请(批示|批复|指示|审批|示)", "请示", 6, 0),
        (r"请予(批准|审批|批复)", "请示", 3, 0),
        # 纪要
        (r"(会议)?议定(事项|了以下事项|如下)", "纪要", 5, 0),
        (r"^(时\s*间|地\s*点|出\s*席|列\s*席|主\s*持(人)?|请\s*假|记\s*录)\s*[:：]", "纪要", 1.5, _M),
        (r"会议(原则)?(通过了|同意|研究了|要求|指出|明确)", "纪要", 0.8, 0),
        (r"主任会议|党组会议|常务会议", "纪要", 0.8, 0),
        # 决议 (and 决定 of congresses): adoption note at the top
        (r"^[（(].{4,60}(会议|常委会|常务委员会)[^）)]{0,20}通过[）)]$", "决议", 2.5, _M),
        (r"(决定|同意)批准(这个|该)?(报告|决算|预算|计划)", "决议", 3, 0),
        (r"会议(充分)?肯定|会议号召|会议认为|会议同意", "决议", 1.2, 0),
        (r"听取(并|和)审议了", "决议", 1, 0),
        # 讲话稿
        (r"^(各位|尊敬的|同志们|女士们|亲爱的).{0,30}[:：]$", "讲话稿", 5, _M),
        (r"(讲|谈)(几点|三点|两点|以下几点)(意见|看法|体会)", "讲话稿", 3, 0),
        (r"谢谢(大家|各位)", "讲话稿", 2.5, 0),
        (r"预祝.{0,20}(圆满成功|取得圆满成功)", "讲话稿", 2, 0),
        (r"同志们", "讲话稿", 1.5, 0),
        (r"\A.{0,6}(在|出席).{2,60}(上|时)的(讲话|致辞|发言|演讲|讲话提纲)", "讲话稿", 6, 0),
        (r"\A.{0,80}(主席先生|各位同事|女士们、先生们|各位代表|各位委员|同志们)[，,]?.{0,30}[:：]", "讲话稿", 4, 0),
        (r"刚才.{0,20}(发言|讲话|汇报|介绍)", "讲话稿", 3, 0),
        (r"听听大家|跟大家(交流|谈谈)|和大家(交流|谈谈)", "讲话稿", 2, 0),
        # 审议意见
        (r"审议意见", "审议意见", 2.5, 0),
        (r"常委会组成人员", "审议意见", 1.5, 0),
        (r"研究处理", "审议意见", 1.5, 0),
        (r"(审议中|审议认为|审议时)", "审议意见", 1.5, 0),
        (r"(予以|给予)充分肯定", "审议意见", 1, 0),
        # 任免
        (r"决定(任命|免去|接受)", "任免", 5, 0),
        (r"^(任命|免去|免职|任免)[:：]", "任免", 4, _M),
        (r"人事任免|任免名单|任命书|任免事项", "任免", 2.5, 0),
        (r"(任命|免去).{2,20}(职务|为)", "任免", 1, 0),
        # 简报
        (r"^第\s*[0-9０-９一二三四五六七八九十百]+\s*期$", "简报", 5, _M),
        (r"(本报讯|本网讯|通讯员|（记者|\(记者|记者\s)", "简报", 3, 0),
        (r"讯[（(]|讯\s", "简报", 1.5, 0),
        (r"简报|简讯|信息专报|编者按", "简报", 2, 0),
        (rf"^{MONTH}月{DAY}日(上午|下午|晚上|晚)?[,，]", "简报", 3, _M),
        (r"(主持会议|出席会议|列席会议|参加会议)[。，,]", "简报", 1.5, 0),
        # 工作总结 / 工作计划 / 调研报告
        (r"一年来|过去的一年|今年以来|回顾.{0,6}工作", "工作总结", 2, 0),
        (r"(主要|工作)(成效|成绩)|取得的成效|存在的(问题|不足)", "工作总结", 1.2, 0),
        (r"工作要点|工作计划|工作安排|重点工作", "工作计划", 2, 0),
        (rf"(明年|下一年度|{ANY_YEAR}年)(的)?(工作|主要任务)(安排|思路|要点)", "工作计划", 2, 0),
        (r"调研组|调查组|视察组", "调研报告", 2, 0),
        (r"(开展|进行|通过)(了)?(专题)?(调研|调查|视察)", "调研报告", 0.8, 0),
        # 公告 公报 通告 议案
        (r"特此公告|现公告如下", "公告", 5, 0),
        (r"特此通告|现通告如下", "通告", 5, 0),
        (r"公报", "公报", 1.5, 0),
        (r"现提请.{0,30}审议|提请审议的议案", "议案", 2.5, 0),
        (r"议案", "议案", 0.5, 0),
    ]
]

def required_text(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` contains (None when none is known): a
    cue can only match a text that holds one, and ``in`` finds them faster than the expression
    fails. Read from the parsed expression: runs of literal characters, groups and alternations
    of them, repeats of at least one."""
    if sre_parser is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        return _required_in(sre_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - a changed private parser costs the shortcut, not the cue
        return None


def _required_in(items: Any) -> tuple[str, ...] | None:
    """The most selective requirement among a sequence's items (each of them must match)."""
    found: list[tuple[str, ...]] = []
    run = ""
    for op, arg in list(items) + [(None, None)]:
        if op is sre_constants.LITERAL:
            run += chr(arg)
            continue
        if run:
            found.append((run,))
            run = ""
        needed = None
        if op is sre_constants.SUBPATTERN:
            needed = _required_in(arg[-1])
        elif op is sre_constants.BRANCH:
            branches = [_required_in(branch) for branch in arg[1]]
            if all(branches):
                needed = tuple(dict.fromkeys(text for branch in branches for text in branch))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and arg[0] >= 1:
            needed = _required_in(arg[2])
        if needed:
            found.append(needed)
    return max(found, key=lambda texts: (min(map(len, texts)), -len(texts)), default=None)


_ADOPTION = re.compile(r"^[（(][^（）()]{4,80}通过[）)]")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇]+条", re.MULTILINE)
PRIOR = 3.0  # evidence mass kept back for "something else": weak cues give low scores


@dataclass
class RuleResult:
    genre: str | None
    scores: dict[str, float] = field(default_factory=dict)
    by_title: bool = False
    evidence: float = 0.0  # total cue weight found in the body


def cue_evidence(text: str) -> dict[str, float]:
    """Summed cue weights per genre found in ``text`` (the body, head and tail weigh the same)."""
    evidence: dict[str, float] = {}
    for pattern, genre, weight, needed in _cue_checks():
        if needed is not None and not any(part in text for part in needed):
            continue  # the cue cannot match here
        if pattern.search(text):
            evidence[genre] = evidence.get(genre, 0.0) + weight
    head = "".join(text.splitlines()[:4])
    if _ADOPTION.match(head.strip()):
        evidence["决议"] = evidence.get("决议", 0.0) + 2.5
        evidence["决定"] = evidence.get("决定", 0.0) + 1.0
    articles = len(_ARTICLE.findall(text))
    if articles >= 3:  # a regulation is a list of articles: strong beyond a single phrase
        evidence["法规"] = evidence.get("法规", 0.0) + min(8.0, articles * 0.5)
    return evidence


@lru_cache(maxsize=1)
def _cue_checks() -> list[tuple[re.Pattern[str], str, float, tuple[str, ...] | None]]:
    return [(pattern, genre, weight, required_text(pattern)) for pattern, genre, weight in _CUES]


def normalise(evidence: dict[str, float], prior: float = PRIOR) -> dict[str, float]:
    """Evidence to scores in [0, 1] that sum to at most 1 (the rest is 'not sure')."""
    total = sum(evidence.values()) + prior
    ranked = sorted(evidence.items(), key=lambda item: -item[1])
    return {genre: round(value / total, 4) for genre, value in ranked if value > 0}


# A 成文日期 line (the year's zero may be any look-alike OCR or typing gives: 二0二三, 二OO三)
_DATE_LINE = re.compile(rf"^(?:{DATE}|[一二][{ZEROS}{DIGITS}]{{3}}年{CN_MONTH}月{CN_DAY}日)$")
ATTACHMENT_WEIGHT = 0.3  # cues inside a forwarded or attached document say little of the cover's genre


def split_cover(text: str) -> tuple[str, str]:
    """(cover, rest): the text up to the first 署名 + 成文日期, and what follows it (attachments).

    A forwarding notice or a letter that issues a plan is a short cover followed by the document
    it carries; the cover's phrases decide the genre, not the carried document's.
    """
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if _DATE_LINE.match(line.strip().replace(" ", "")) and index + 3 < len(lines):
            return "\n".join(lines[: index + 1]), "\n".join(lines[index + 1 :])
    return text, ""


def _focus_text(doc: Document) -> str:
    """Head and tail of the body: fixed phrases sit at the start and end, not in the middle."""
    text = doc.body or "\n".join(doc.paragraphs)
    if len(text) <= 6000:
        return text
    return text[:3000] + "\n" + text[-3000:]


def body_evidence(text: str) -> dict[str, float]:
    """Cue evidence of the cover at full weight plus that of any attachments, discounted."""
    cover, rest = split_cover(_drop_attachment_list(text))
    evidence = cue_evidence(_clip(cover))
    lead = "\n".join(cover.splitlines()[:LEAD_LINES])
    for genre, weight in cue_evidence(lead).items():  # the opening states what the document is
        evidence[genre] = evidence.get(genre, 0.0) + weight * LEAD_BONUS
    for genre, weight in cue_evidence(_clip(rest)).items():
        evidence[genre] = evidence.get(genre, 0.0) + weight * ATTACHMENT_WEIGHT
    _adjust_for_signature(evidence, cover)
    return evidence


LEAD_LINES, LEAD_BONUS = 3, 0.5
_ATTACHMENT_LIST = re.compile(r"^附\s*件\s*\d*\s*[:：]")
_LIST_ITEM = re.compile(r"^\d+[.．、]")


def _drop_attachment_list(text: str) -> str:
    """Remove the 附件说明 lines: attachment titles name other documents' genres."""
    kept: list[str] = []
    in_list = False
    for line in text.splitlines():
        stripped = line.strip()
        if _ATTACHMENT_LIST.match(stripped):
            in_list = True
            continue
        if in_list and _LIST_ITEM.match(stripped):
            continue
        in_list = False
        kept.append(line)
    return "\n".join(kept)


def _clip(text: str) -> str:
    return text if len(text) <= 6000 else text[:3000] + "\n" + text[-3000:]


_OFFICE = re.compile(r"(办公厅|办公室)$")


def _signature_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()[-12:]]
    return [line for line in lines if 2 <= len(line) <= 30]


def _adjust_for_signature(evidence: dict[str, float], cover: str) -> None:
    """An office (办公厅/办公室) answers a 请示 with a 复函, never a 批复: only the organ approves."""
    if evidence.get("批复") and any(_OFFICE.search(line) for line in _signature_lines(cover)):
        evidence["函"] = evidence.get("函", 0.0) + evidence.pop("批复") + 1.0


_TITLE_LINE = re.compile(r"^[^。；;！!？?，,]{4,60}$")
_GLUED_TITLE = re.compile(
    r"^[^。；;！!？?]*关于.{2,80}$|的[^的]{1,6}$|(部|委|局|厅|府|会|办|室|组)(通知|通告|公告|决定|命令|令)$"
)


def guess_title_line(text: str, lines: int = 8) -> str | None:
    """A title-like line at the top of an untitled text (web pages, drafts) that names a genre.

    The first three lines may be a bare title (``……主任会议纪要``); further down only a
    ``关于……的通知`` style line counts, to avoid taking a heading or a sentence for the title.
    """
    candidates = [ln.strip() for ln in text.splitlines() if ln.strip()][:lines]
    if candidates:  # web texts often glue the title to the body: "……的通知 国家卫生健康委关于……"
        parts = re.split(r"[ \t\u3000\u2002]+", candidates[0])
        for count in range(1, min(len(parts), 4)):  # a title may itself contain a space
            head = "".join(parts[:count])
            if 6 <= len(head) <= 90 and _GLUED_TITLE.search(normalise_title(head)):
                genre = title_genre(head)
                if genre and genre not in ("简报", "工作计划"):
                    return head
    for number, line in enumerate(candidates):
        if not _TITLE_LINE.match(line) or (number >= 3 and "关于" not in line):
            continue
        genre = title_genre(line)
        if genre and genre not in ("简报", "工作计划"):  # too easily matched by a heading
            return line
    return None


_last_rules: tuple[tuple[object, ...], RuleResult] | None = None


def rule_scores(doc: Document) -> RuleResult:
    """Genre evidence from the title and the body; ``by_title`` when the title decided.

    The last answer is remembered: ingest asks twice for the same document (the parser when
    the recogniser left the genre open, then ``annotate``)."""
    global _last_rules
    key = (doc.title, doc.body, () if doc.body else tuple(doc.paragraphs))
    if _last_rules is None or _last_rules[0] != key:
        _last_rules = (key, _rule_scores(doc))
    found = _last_rules[1]
    return RuleResult(found.genre, dict(found.scores), found.by_title, found.evidence)


def _rule_scores(doc: Document) -> RuleResult:
    text = to_simplified(_clip(doc.body or "\n".join(doc.paragraphs)))
    evidence = body_evidence(text)
    body_total = sum(evidence.values())
    genre = title_genre(to_simplified(doc.title or ""))
    if genre == "命令" and len(_ARTICLE.findall(doc.body or "")) >= 3:
        genre = "法规"  # an order promulgating a regulation is archived as the regulation itself
    if genre:
        scores = normalise(evidence)
        # The title names the genre: it decides, the body cues only shade the other scores.
        scores = {g: round(s * 0.1, 4) for g, s in scores.items() if g != genre}
        scores = {genre: 0.95, **scores}
        return RuleResult(genre, scores, by_title=True, evidence=body_total)
    guessed = guess_title_line(text[:800])
    if guessed:
        evidence[title_genre(guessed)] = evidence.get(title_genre(guessed), 0.0) + 6.0
    if len(_ARTICLE.findall(doc.body or "")) >= 3 and "命令" in evidence:
        evidence["法规"] = evidence.get("法规", 0.0) + evidence.pop("命令")  # 令 + its regulation
    scores = normalise(evidence)
    best = next(iter(scores), None)
    return RuleResult(best, scores, by_title=False, evidence=body_total)


CONFIDENT = 0.5  # a body-only rule score at or above this decides without a model


def rule_genre(doc: Document) -> str | None:
    """The genre the rules are sure of (title ending, or strong body phrases), else None."""
    result = rule_scores(doc)
    if result.by_title:
        return result.genre
    if result.genre and result.scores.get(result.genre, 0.0) >= CONFIDENT:
        return result.genre
    return None
