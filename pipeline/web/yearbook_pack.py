"""``GET /yearbook/pack``: the 年鉴资料 pack of a year as a download (.docx, .xlsx or .md).

The 年鉴资料 page's 下载 form sends the year, the format, the 摘编 topics and the ids of the facts
and events the compiler ticked 不收录 (and, on an office server, the 利用目的 the use record keeps
with the export). Writing the pack changes nothing in the archive, hence a GET. 内部 documents go
in only when the compiler asks (包括内部资料) and may see them.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from pipeline.excerpts.pack import FORMATS
from pipeline.web.security import Guard, viewer_archive

MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "md": "text/markdown; charset=utf-8"}
TOPIC_SEPARATORS = re.compile(r"[\s,，、;；]+")
MAX_TOPICS = 10


def register(app: FastAPI, guard: Guard) -> None:
    @app.get("/yearbook/pack")
    def yearbook_pack(request: Request, year: str = "", format: str = "docx", topics: str = "",
                      exclude: Annotated[list[str], Query()] = [],  # noqa: B006
                      restricted: str = "", purpose: str = "") -> FileResponse:
        chosen_year = _year(year)
        if format not in FORMATS:
            raise HTTPException(400, f"不支持的格式：{format}（可选：{'、'.join(FORMATS)}）")
        if guard.office() and not purpose.strip():  # 利用登记: an export says what it is for
            raise HTTPException(400, "请填写利用目的后再下载")
        wanted = [t for t in TOPIC_SEPARATORS.split(topics.strip()) if t][:MAX_TOPICS]
        folder = Path(tempfile.mkdtemp(prefix="gongwen-pack-"))
        name = f"{chosen_year}年年鉴资料.{format}"
        try:
            viewer_archive(request).yearbook(chosen_year, folder / name, fmt=format, topics=wanted,
                                             exclude=exclude, include_restricted=bool(restricted))
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        guard.note(request, target=name, purpose=purpose.strip() or None)
        return FileResponse(folder / name, filename=name, media_type=MEDIA[format],
                            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


def _year(text: str) -> int:
    text = text.strip()
    if not text:
        raise HTTPException(400, "请填写资料年度（如 2023）")
    if not (text.isdigit() and 1900 <= int(text) <= 2100):
        raise HTTPException(400, f"年度应为四位数字：{text}")
    return int(text)
