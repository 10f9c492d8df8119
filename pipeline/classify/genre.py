"""Genre (文种) by rules: the title's ending first, then structure and fixed phrases of the body.

``rule_scores(doc)`` returns evidence per genre label (the contract's Chinese names) and whether the
title decided; ``rule_genre(doc)`` is the confident answer or None. A learned model (``textcat``)
takes over where the rules are unsure (no title: drafts, fragments, OCR, web texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.classify.genre_rules import GENRES, Cue, load_rules, required_text
from pipeline.model import Document
from pipeline.text.dates import CN_DAY, CN_MONTH, DATE, DAY, MONTH, YEAR
from pipeline.text.normalize import to_simplified  # skips zhconv when nothing is traditional
from pipeline.text.numerals import DIGITS, ZEROS

__all__ = ["GENRES", "RuleResult", "body_evidence", "cue_evidence", "guess_title_line",
           "headline_evidence", "normalise_title", "required_text", "rule_genre", "rule_scores",
           "title_genre"]

_RULES = load_rules()
_TITLE_RULES = _RULES.titles

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



_ADOPTION = re.compile(r"^[（(][^（）()]{4,80}通过[）)]")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇]+条", re.MULTILINE)
PRIOR = 3.0  # evidence mass kept back for "something else": weak cues give low scores


@dataclass
class RuleResult:
    genre: str | None
    scores: dict[str, float] = field(default_factory=dict)
    by_title: bool = False
    evidence: float = 0.0  # total cue weight found in the body


# Where a cue is found: the opening and closing lines say what a document is (a salutation, a
# dateline, 特此报告); a phrase only in between is often a mention (news reporting an appointment).
EDGE_LINES = 3  # the opening (closing) lines: the first (last) three that are not short ...
SHORT_LINE = 40  # ... characters (a subtitle, a speaker, a salutation, a signature, a date) ...
MOST_EDGE_LINES = 6  # ... and at most six in all
OPENING_BONUS = 0.5  # a cue in the opening lines counts 1.5 times
MIDDLE_WEIGHT = 0.6  # a cue found only between the opening and closing lines


def cue_evidence(text: str) -> dict[str, float]:
    """Summed cue weights per genre found in ``text``, weighted by where each is found (opening
    and closing cues count only there), plus the structure of an adoption note or articles."""
    lines = [line for line in text.splitlines() if line.strip()]
    opening = "\n".join(_edge(lines))
    closing = "\n".join(reversed(_edge(lines[::-1])))
    evidence: dict[str, float] = {}
    for cue, needed in _cue_checks():
        if needed is not None and not any(part in text for part in needed):
            continue  # the cue cannot match here
        factor = _place_factor(cue, text, opening, closing)
        if factor:
            evidence[cue.genre] = evidence.get(cue.genre, 0.0) + cue.weight * factor
    head = "".join(lines[:4])
    if _ADOPTION.match(head.strip()):
        evidence["决议"] = evidence.get("决议", 0.0) + 2.5
        evidence["决定"] = evidence.get("决定", 0.0) + 1.0
    articles = len(_ARTICLE.findall(text))
    if articles >= 3:  # a regulation is a list of articles: strong beyond a single phrase
        evidence["法规"] = evidence.get("法规", 0.0) + min(8.0, articles * 0.5)
    return evidence


def _edge(lines: list[str]) -> list[str]:
    """The first ``EDGE_LINES`` lines of some length, with the short lines among them."""
    taken: list[str] = []
    long_lines = 0
    for line in lines[:MOST_EDGE_LINES]:
        if long_lines == EDGE_LINES:
            break
        taken.append(line)
        long_lines += len(line.strip()) > SHORT_LINE
    return taken


def _place_factor(cue: Cue, text: str, opening: str, closing: str) -> float:
    if cue.place == "opening":
        return 1.0 if cue.pattern.search(opening) else 0.0
    if cue.place == "closing":
        return 1.0 if cue.pattern.search(closing) else 0.0
    if not cue.pattern.search(text):
        return 0.0
    if cue.pattern.search(opening):
        return 1.0 + OPENING_BONUS
    return 1.0 if cue.pattern.search(closing) else MIDDLE_WEIGHT


@lru_cache(maxsize=1)
def _cue_checks() -> list[tuple[Cue, tuple[str, ...] | None]]:
    return [(cue, required_text(cue.pattern)) for cue in _RULES.cues]


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


def body_evidence(text: str) -> dict[str, float]:
    """Cue evidence of the cover at full weight plus that of any attachments, discounted."""
    cover, rest = split_cover(_drop_attachment_list(text))
    evidence = cue_evidence(_clip(cover))
    for genre, weight in cue_evidence(_clip(rest)).items():
        evidence[genre] = evidence.get(genre, 0.0) + weight * ATTACHMENT_WEIGHT
    _adjust_for_signature(evidence, cover)
    return evidence


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
                if genre and genre not in ("简报", "工作计划") and not headline_evidence(head):
                    return head
    for number, line in enumerate(candidates):
        if not _TITLE_LINE.match(line) or (number >= 3 and "关于" not in line):
            continue
        genre = title_genre(line)
        if genre and genre not in ("简报", "工作计划") and not headline_evidence(line):
            return line  # (简报 and 工作计划 endings are too easily matched by a heading)
    return None


def headline_evidence(title: str | None) -> dict[str, float]:
    """Evidence from a title that reports an event (a news headline: ``……召开第五次会议``,
    ``……主持并讲话``, ``组织代表评议……工作报告``): its last word names what the event dealt with,
    not the document, so it does not decide the genre."""
    text = normalise_title(title or "")
    for pattern, genre, weight in _RULES.headlines:
        if text and pattern.search(text):
            return {genre: weight}
    return {}


_last_rules: tuple[tuple[object, ...], RuleResult] | None = None


def rule_scores(doc: Document) -> RuleResult:
    """Genre evidence from the title and the body; ``by_title`` when the title decided.

    The last answer is remembered: ingest asks twice for the same document (the parser when
    the recogniser left the genre open, then ``annotate``)."""
    global _last_rules
    key = (_own_title(doc), doc.body, () if doc.body else tuple(doc.paragraphs))
    if _last_rules is None or _last_rules[0] != key:
        _last_rules = (key, _rule_scores(doc))
    found = _last_rules[1]
    return RuleResult(found.genre, dict(found.scores), found.by_title, found.evidence)


def _first_line_title(text: str) -> str:
    """The first line of an untitled text when it reads like a title (a web page's headline)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if _TITLE_LINE.match(first) else ""


def _own_title(doc: Document) -> str:
    """The title the document printed: a title composed from its text (``title_derived``) says
    nothing the body does not."""
    return "" if doc.title_derived else doc.title or ""


def _rule_scores(doc: Document) -> RuleResult:
    text = to_simplified(_clip(doc.body or "\n".join(doc.paragraphs)))
    evidence = body_evidence(text)
    body_total = sum(evidence.values())
    title = to_simplified(_own_title(doc))
    headline = headline_evidence(title or _first_line_title(text))
    genre = None if headline else title_genre(title)
    if genre == "命令" and len(_ARTICLE.findall(doc.body or "")) >= 3:
        genre = "法规"  # an order promulgating a regulation is archived as the regulation itself
    if genre:
        scores = normalise(evidence)
        # The title names the genre: it decides, the body cues only shade the other scores.
        scores = {g: round(s * 0.1, 4) for g, s in scores.items() if g != genre}
        scores = {genre: 0.95, **scores}
        return RuleResult(genre, scores, by_title=True, evidence=body_total)
    for label, weight in headline.items():
        evidence[label] = evidence.get(label, 0.0) + weight
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
