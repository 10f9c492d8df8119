"""The genre rules file (``data/genre_rules.tsv``) read into patterns: title endings, news
headlines and body cues with the place in the text where each counts.

``required_text`` lets a cue skip texts that cannot hold it (``in`` is faster than a failing
expression).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

from pipeline.text.dates import ANY_YEAR, CN_DAY, CN_MONTH, DAY, MONTH, YEAR

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

RULES_FILE = Path(__file__).resolve().parent / "data" / "genre_rules.tsv"
DATE_BLOCKS = {"YEAR": YEAR, "ANY_YEAR": ANY_YEAR, "MONTH": MONTH, "DAY": DAY,
               "CN_MONTH": CN_MONTH, "CN_DAY": CN_DAY}
KINDS = ("title", "headline", "cue")
# Where a cue counts: ``anywhere`` (weighted by where it is found), only in the ``opening`` lines
# (a salutation, a dateline) or only in the ``closing`` lines (特此报告, an editor's line).
PLACES = {"L": "opening", "T": "closing"}


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    genre: str
    weight: float
    place: str = "anywhere"  # anywhere | opening | closing


@dataclass(frozen=True)
class Rules:
    titles: list[tuple[re.Pattern[str], str]]  # most specific first
    headlines: list[tuple[re.Pattern[str], str, float]]  # a title that reports an event
    cues: list[Cue]


def load_rules(path: Path = RULES_FILE) -> Rules:
    """The rules of ``path`` (its header says the format)."""
    rules = Rules([], [], [])
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, genre, weight, flags, source = line.split("\t", 4)
        if genre not in GENRES or kind not in KINDS or set(flags) - {"M", "L", "T", "-"}:
            raise ValueError(f"{path}:{number}: unknown rule kind, genre or flag: {line!r}")
        pattern = re.compile(Template(source).safe_substitute(DATE_BLOCKS),
                             re.MULTILINE if "M" in flags else 0)
        if kind == "title":
            rules.titles.append((pattern, genre))
        elif kind == "headline":
            rules.headlines.append((pattern, genre, float(weight)))
        else:
            place = next((PLACES[flag] for flag in flags if flag in PLACES), "anywhere")
            rules.cues.append(Cue(pattern, genre, float(weight), place))
    return rules


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
