"""The rules' registry: each family module registers its rule functions with ``@rule``; the
runner (``pipeline.check.run``) imports the families and calls every rule that applies.

A rule function takes the ``Context`` and yields ``Finding`` objects (``found`` makes them; the
rule's id is filled in by the runner). ``styled`` rules need fonts and page set-up (.docx and what
converts to it); ``archive`` rules need an archive home with a catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline.check.docmodel import DocModel, Para
from pipeline.check.findings import Finding
from pipeline.check.zones import Zones
from pipeline.home import Home


@dataclass
class Context:
    model: DocModel
    zones: Zones
    home: Home | None = None
    cache: dict[str, Any] = field(default_factory=dict)  # shared by rules within one document

    @property
    def genre(self) -> str | None:
        return self.zones.genre


RuleFunction = Callable[[Context], Iterable[Finding]]


@dataclass
class Rule:
    id: str
    family: str
    function: RuleFunction
    styled: bool = False
    archive: bool = False
    summary: str = ""


RULES: list[Rule] = []


def rule(rule_id: str, family: str, *, styled: bool = False, archive: bool = False
         ) -> Callable[[RuleFunction], RuleFunction]:
    """Register ``function`` as rule ``rule_id`` of ``family`` (its docstring's first line is
    the summary ``gongwen check --rules`` lists)."""

    def register(function: RuleFunction) -> RuleFunction:
        summary = (function.__doc__ or "").strip().splitlines()[0] if function.__doc__ else ""
        RULES.append(Rule(rule_id, family, function, styled, archive, summary))
        return function

    return register


def found(para: Para | None, severity: str, message: str, fix: str, *, text: str | None = None,
          part: str | None = None, rule_id: str = "") -> Finding:
    """A finding at ``para`` (None: the document or a part named by ``part``)."""
    if para is None:
        return Finding(rule_id, severity, message, fix, text=text, part=part)
    return Finding(rule_id, severity, message, fix, paragraph=para.index, page=para.page,
                   text=para.text if text is None else text,
                   part=part or ({"table": "表格", "textbox": "文本框"}.get(para.where)))
