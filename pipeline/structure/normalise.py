"""Text clean-up shared by the recogniser: widths, spaces, brackets, page-number noise."""

from __future__ import annotations

import itertools
import re

from pipeline.text.numerals import digits

_SPACES = re.compile(r"[ \t\u3000\xa0\u2002\u2003\u2009\u200b\ufeff]+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# Page numbers as printed in GB/T 9704 (— 1 —), in Word exports (- 1 -) and in PDFs (第1页 共3页).
_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－_~～·•]{1,3}\s*\d{1,4}\s*[—–\-－_~～·•]{1,3}"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?)$"
)
_HALF_COLON = re.compile(r"(?<=[^\d\sA-Za-z]):|:(?=\s*[^\d\s/])")


def squash_spaces(text: str) -> str:
    """Runs of any kind of space (ideographic, NBSP, tabs) to one ASCII space, ends trimmed."""
    return _SPACES.sub(" ", text).strip()


_SPACE_RUN = re.compile(r"[ \t\u3000\xa0]+")
_CJK_EDGE = re.compile(rf"[{_CJK}《》“”（）〔〕、，：]")


def close_up(text: str) -> str:
    """Remove the spaces of spaced-out characters: ``通  知`` -> ``通知``, ``会 议 纪 要`` -> ``会议纪要``.

    A space between two words of several characters each (``疫情  坚决打赢``) separates phrases
    and stays, as one space. Linear in the length of the text.
    """
    words = [word for word in _SPACE_RUN.split(text) if word]
    if len(words) <= 1:
        return words[0] if words else ""
    out = [words[0]]
    for previous, word in itertools.pairwise(words):
        between_cjk = _CJK_EDGE.match(previous[-1]) and _CJK_EDGE.match(word[0])
        if between_cjk and (len(previous) <= 1 or len(word) <= 1):
            out.append(word)
        else:
            out.append(" " + word)
    return "".join(out)


def no_spaces(text: str) -> str:
    return _SPACES.sub("", text)


_SEPARATOR = re.compile(r"^[\s─━—–\-_=＝*＊·•~～]{3,}$")


def is_separator(text: str) -> bool:
    """A rule drawn with characters (the red line under the 版头 in some exports)."""
    return bool(_SEPARATOR.match(text))


def is_page_number(text: str) -> bool:
    """True for a line that is only a page number (noise to strip)."""
    return bool(_PAGE_NUMBER.match(text.strip()))


_BULLET = re.compile(r"^[•●▪◆◇■□►▶·]\s*")
_ENTITY = re.compile(r"&(?:nbsp|ensp|emsp|sp|thinsp|#160|#12288);?", re.IGNORECASE)


def clean_line(text: str) -> str:
    """One block's text as the recogniser reads it: digits ASCII, spaces squashed, stray HTML
    space entities of web exports (``&nbsp;``) removed."""
    text = _ENTITY.sub(" ", text.replace("\r", " ").replace("\n", " "))
    return _BULLET.sub("", squash_spaces(digits(text)))


def full_colon(text: str) -> str:
    """Half-width colons that end a label (``时 间:``) become full width; times like 9:15 stay."""
    return _HALF_COLON.sub("：", text)


def split_list(text: str, organ_end: re.Pattern[str]) -> list[str]:
    """A 抄送 list: items are separated by ，; a 、 splits an item only when every part names an
    organ on its own (``区委办公室、区政府办公室``), not in ``区人大常委会主任、副主任``."""
    items: list[str] = []
    for item in split_organs(text.replace("、", "\x00")):
        parts = [part for part in item.split("\x00") if part]
        if len(parts) > 1 and all(organ_end.search(part) for part in parts):
            items.extend(parts)
        else:
            items.append("、".join(parts))
    return items


def split_organs(text: str, on_spaces: bool = False) -> list[str]:
    """``A、B，C`` -> [A, B, C] (recipients, cc lists); ``on_spaces`` also splits ``A  B``
    (joint issuers printed side by side)."""
    text = text.strip().rstrip("：:。；;，,").strip()
    pattern = r"[，、,；;]|\s+" if on_spaces else r"[，、,；;]"
    if not on_spaces:
        text = close_up(text)
    return [p.strip() for p in re.split(pattern, text) if p.strip()]
