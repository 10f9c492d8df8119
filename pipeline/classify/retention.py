"""Suggested 保管期限 (retention period) with the reason, after DA/T 22 practice.

- 永久 (Y): the organ's own important documents — 决议, 决定, 命令, 任免, 纪要 of its meetings, 公报,
  法规 it adopts, 审议意见, its annual 工作计划 / 工作总结, reports to the congress.
- 定期30年 (D30): the organ's ordinary business — its 报告, 请示, 批复, 函, 建议答复, 调研报告, 意见, 讲话稿 …
- 定期10年 (D10): routine notices (meetings, holidays, 转发 / 印发 of others' documents), 简报, and
  copies received from other organs that the organ only reads or follows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.model import Document

PERIODS = {"Y": "永久", "D30": "定期30年", "D10": "定期10年"}
DEFAULT_OWN_ORGANS = ("人大常委会", "人民代表大会", "人大", "常务委员会")

_PERMANENT = {"决议", "决定", "命令", "任免", "纪要", "公报", "法规", "审议意见", "议案"}
_OWN_ANNUAL = {"工作计划", "工作总结"}
_ROUTINE_TITLE = re.compile(
    r"(召开|举行|参加|出席).{0,20}会议的通知|会议通知|节假日|放假|值班|转发|印发.{0,30}(方案|办法|细则)?的通知"
    r"|报送.{0,20}的通知|征订|培训班|名单的通知"
)
_IMPORTANT_SUBJECT = re.compile(r"预算|决算|规划|总体规划|重大事项|人事任免|换届|选举|条例|立法|体制改革|机构改革")


def _is_own(issuers: Sequence[str], own_organs: Sequence[str]) -> bool:
    return any(marker in issuer for issuer in issuers for marker in own_organs)


def _result(code: str, reason: str) -> dict[str, str]:
    return {"period": PERIODS[code], "code": code, "reason": reason}


def suggest(doc: Document, genre: str | None, topics: Sequence[str] = (),
            own_organs: Sequence[str] = DEFAULT_OWN_ORGANS) -> dict[str, str]:
    """``{"period","code","reason"}``: the suggested 保管期限 and why (Chinese, shown to users)."""
    genre = genre or doc.genre or "其他"
    title = doc.title or ""
    issuers = doc.issuer or doc.signature
    own = _is_own(issuers, own_organs) if issuers else True  # unknown issuer: assume our own draft
    who = "本机关" if own else "外单位"
    if own and genre in _PERMANENT:
        return _result("Y", f"{who}形成的{genre}，属重要文件，永久保存")
    if own and genre in _OWN_ANNUAL:
        return _result("Y", f"{who}的年度{genre}，永久保存")
    if own and genre == "报告" and re.search(r"工作报告|常务委员会工作", title):
        return _result("Y", "本机关向代表大会所作的工作报告，永久保存")
    if _IMPORTANT_SUBJECT.search(title) and genre not in ("简报", "通知"):
        return _result("Y" if own else "D30", f"涉及{_IMPORTANT_SUBJECT.search(title).group(0)}等重要事项")
    if genre == "简报":
        return _result("D10", "简报、信息类材料，定期10年")
    if genre == "通知" and _ROUTINE_TITLE.search(title):
        return _result("D10", "事务性通知（会议、转发、印发等），定期10年")
    if not own:
        if genre in _PERMANENT or genre in ("意见", "批复"):
            return _result("D30", f"上级或外单位制发、需本机关贯彻执行的{genre}，定期30年")
        return _result("D10", f"外单位来文（{genre}），本机关仅需知照，定期10年")
    return _result("D30", f"{who}的一般性业务文件（{genre}），定期30年")
