"""The shape of a built-in template and the slot constructors the genre files use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.templates.elements import slot


@dataclass(frozen=True)
class Variant:
    """Another arrangement of the genre (a 党组会议纪要 beside the 主任会议纪要): what it replaces."""

    name: str
    title: str | None = None
    skeleton: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()
    slots: tuple[dict[str, Any], ...] = ()
    parts: tuple[str, ...] = ()
    adoption_note: str | None = None
    mark: str | None = None  # the 纪要标志's ending (主任会议纪要)
    drop: tuple[str, ...] | None = None  # layout elements this variant does not print


@dataclass(frozen=True)
class Spec:
    """One genre's built-in template (see the package docstring)."""

    genre: str
    layout: str  # standard | letter | minutes | plain
    basis: str  # where the form comes from
    title: str  # the title pattern, e.g. "{{ 发文机关简称 }}关于{{ 报告名称 }}报告的审议意见"
    skeleton: tuple[str, ...]
    fixed: tuple[str, ...]
    slots: tuple[dict[str, Any], ...]
    parts: tuple[str, ...]  # the body's outline: 开头, 意见, 结尾 …
    upward: bool = False  # 上行文 (请示, 报告): 签发人 in the 版头
    drop: tuple[str, ...] = ()  # layout elements the genre does not use
    optional: tuple[str, ...] = ()  # layout elements the genre may leave out
    adoption_note: str | None = None  # 决议/决定: （{{ 通过日期 }}{{ 会议名称 }}通过）
    subtitle: str | None = None  # 讲话稿: the date and speaker lines under the title
    mark: str | None = None  # the 纪要标志's ending
    name: str = ""  # the default variant's name
    variants: tuple[Variant, ...] = ()
    aliases: tuple[str, ...] = ()  # other genre names drafted with this template
    defaults: dict[str, str] = field(default_factory=dict)  # values used when a slot is left empty


def line(name: str, hint: str, *examples: str, kind: str = "text") -> dict[str, Any]:
    """A one-line slot."""
    return slot(name, kind, "line", hint, list(examples))


def para(name: str, hint: str, *examples: str) -> dict[str, Any]:
    """A slot for one or more sentences of the drafter's own."""
    return slot(name, "text", "paragraph", hint, list(examples))


def date(name: str, hint: str, *examples: str) -> dict[str, Any]:
    return slot(name, "date", "date", hint, list(examples))


def meeting(name: str, hint: str, *examples: str) -> dict[str, Any]:
    return slot(name, "meeting", "line", hint, list(examples))


def organ(name: str, hint: str, *examples: str) -> dict[str, Any]:
    return slot(name, "organ", "line", hint, list(examples))


def person(name: str, hint: str, *examples: str) -> dict[str, Any]:
    return slot(name, "person", "line", hint, list(examples))


def items(name: str, hint: str, *examples: str, numbering: str = "一、", prompts: tuple[str, ...] = ()
          ) -> dict[str, Any]:
    """A repeated part as one list slot: several items, each its heading (ending with 。) and text.

    ``numbering`` is the heading level the items take (一、 （一） 1. （1）, or "" for plain
    paragraphs); ``prompts`` are the openings an empty draft shows, one item each."""
    return slot(name, "list", "list", hint, list(examples),
                item={"numbering": numbering, "prompts": list(prompts)})


# Slots several genres share: the drafting organ's short name and the meetings of a congress.
ORGAN_SHORT = organ("发文机关简称", "发文机关的规范化简称，用在标题和正文里；不填时由发文机关或署名简化",
                    "区人大常委会", "青岚区人大常委会")
MEETING_NAME = meeting("会议名称", "会议的全称，以“会议”结尾", "区第十八届人大常委会第十二次会议",
                       "青岚区第十八届人民代表大会第三次会议")
MEETING_DATE = date("会议日期", "会议举行的日期，如 2024年6月26日", "2024年6月26日")
ADOPTION_DATE = date("通过日期", "会议通过的日期", "2024年1月10日")
REPORT_ORGAN = organ("报告机关", "作报告或承办的机关", "区人民政府", "区人民法院", "区人民检察院")
