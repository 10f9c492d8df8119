"""The 公文校核 page: upload a document and read the findings beside its page.

``register(app, pages)`` adds ``GET /check`` (the form), ``POST /check`` (check an
uploaded file, render the page and the findings side by side), ``GET /check/{token}/annotated``
(the same file with the findings as Word comments) and ``POST /api/check`` (the findings as
``gongwen check --json`` prints them). Uploads live in a private temporary folder while the
server runs (the last ``KEEP`` of them): they are checked, not archived.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

from pipeline.model import ParseError
from pipeline.web.jobs import save_upload
from pipeline.web.security import viewer_archive

KEEP = 20  # uploads kept for their annotated copy
ANNOTATABLE = ("docx", "doc", "wps")
_TOKEN = re.compile(r"^[0-9a-f]{16}$")


class CheckUploads:
    """Uploaded files by token, in a temporary folder of this server's own."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="gongwen-check-web-")
        self._order: list[str] = []
        self._lock = threading.Lock()

    def save(self, upload: UploadFile) -> tuple[str, Path]:
        token = uuid.uuid4().hex[:16]
        folder = Path(self._folder.name) / token
        folder.mkdir()
        name = Path((upload.filename or "").replace("\\", "/")).name or "未命名文件"
        path = save_upload(folder, name, upload.file)
        with self._lock:
            self._order.append(token)
            for old in self._order[:-KEEP]:
                shutil.rmtree(Path(self._folder.name) / old, ignore_errors=True)
            self._order = self._order[-KEEP:]
        return token, path

    def path_of(self, token: str) -> Path | None:
        if not _TOKEN.match(token) or token not in self._order:
            return None
        files = [p for p in (Path(self._folder.name) / token).iterdir() if p.is_file()]
        originals = [p for p in files if not p.name.endswith(".校核.docx")]
        return originals[0] if originals else None


def _by_paragraph(result: dict[str, Any]) -> tuple[dict[int, list[dict]], list[dict]]:
    """Findings per paragraph number, and those about the page set-up, footers or tables."""
    per: dict[int, list[dict]] = defaultdict(list)
    general = []
    for finding in result["findings"]:
        number = finding["location"].get("paragraph")
        (per[number] if number else general).append(finding)
    return per, general


def register(app: FastAPI, pages: Jinja2Templates) -> None:
    uploads = CheckUploads()

    def render(request: Request, context: dict[str, Any], status: int = 200) -> HTMLResponse:
        return pages.TemplateResponse(request, "check.html", context, status_code=status)

    def uploaded(file: UploadFile | None) -> tuple[str, Path]:
        if file is None or not file.filename:
            raise HTTPException(400, "请选择要校核的文件")
        return uploads.save(file)

    @app.get("/check", response_class=HTMLResponse)
    def check_form(request: Request) -> HTMLResponse:
        return render(request, {})

    @app.post("/check", response_class=HTMLResponse)
    def check_upload(request: Request,
                     file: Annotated[UploadFile | None, File()] = None) -> HTMLResponse:
        try:
            token, path = uploaded(file)
        except HTTPException as err:
            return render(request, {"error": err.detail}, status=400)
        try:
            result = viewer_archive(request).check(path, view=True)
        except ParseError as err:
            return render(request, {"error": f"{path.name}：{err.reason}"}, status=422)
        per, general = _by_paragraph(result)
        return render(request, {"result": result, "name": path.name, "per": per, "general": general,
                                "token": token if result["format"] in ANNOTATABLE else None})

    @app.get("/check/{token}/annotated")
    def annotated(request: Request, token: str) -> FileResponse:
        path = uploads.path_of(token)
        if path is None:
            raise HTTPException(404, "没有这份校核记录（服务重启后或较早的上传不再保留），请重新上传")
        out = path.with_name(f"{path.stem}.校核.docx")
        try:
            viewer_archive(request).check(path, annotate=out)
        except ParseError as err:
            raise HTTPException(422, f"{path.name}：{err.reason}") from None
        return FileResponse(out, filename=out.name)

    @app.post("/api/check")
    def check_api(request: Request, file: Annotated[UploadFile | None, File()] = None) -> dict[str, Any]:
        _, path = uploaded(file)
        try:
            return viewer_archive(request).check(path)
        except ParseError as err:
            raise HTTPException(422, f"{path.name}：{err.reason}") from None
