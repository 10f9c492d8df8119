"""The 档案员's pages beside ingest: correcting a document's description, exporting the
归档文件目录 (利用目的 asked), verifying the store (检测)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from pipeline.archive.catalog import QuarantinedError
from pipeline.archive.export import FORMATS
from pipeline.storage import NotOnDatabase
from pipeline.web.security import Guard, viewer_archive

# The fields the edit page offers (label, name); lists are written with 、 between items.
EDIT_FIELDS = (("标题", "title"), ("发文字号", "doc_number"), ("成文日期", "date"), ("文种", "genre"),
               ("发文机关", "issuer"), ("主送", "recipients"), ("签发人", "signer"),
               ("主题词", "keywords"), ("内部标识（如“内部资料”；留空即非内部）", "restricted"))
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "csv": "text/csv; charset=utf-8",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def register(app: FastAPI, pages: Jinja2Templates, guard: Guard) -> None:
    @app.get("/doc/{doc_id}/edit", response_class=HTMLResponse)
    def edit_page(request: Request, doc_id: str) -> Response:
        doc = _readable(request, doc_id)
        return pages.TemplateResponse(request, "edit.html", {"doc": doc, "fields": _values(doc)})

    @app.post("/doc/{doc_id}/edit", response_class=HTMLResponse)
    async def save_edit(request: Request, doc_id: str) -> Response:
        form = {name: str(value) for name, value in (await request.form()).items()}
        return await run_in_threadpool(_save, request, doc_id, form)

    def _save(request: Request, doc_id: str, form: dict[str, str]) -> Response:
        doc = _readable(request, doc_id)
        current = _values(doc)
        changes = {name: form[name] for _label, name, value in current  # fields the form sent
                   if name in form and form[name] != value}
        guard.note(request, target=f"{doc['id']} " + "；".join(f"{k}={v}" for k, v in changes.items()))
        if changes:
            try:
                viewer_archive(request).edit(doc["id"], changes)
            except ValueError as err:
                return pages.TemplateResponse(request, "edit.html", {
                    "doc": doc, "fields": current, "error": str(err)}, status_code=400)
        return RedirectResponse(f"/doc/{doc['id']}", status_code=303)

    @app.get("/catalog", response_class=HTMLResponse)
    def catalog_page(request: Request) -> Response:
        return pages.TemplateResponse(request, "catalog.html", {"formats": FORMATS})

    @app.post("/catalog")
    def export_catalog(request: Request, format: Annotated[str, Form()] = "xlsx",
                       purpose: Annotated[str, Form()] = "") -> Response:
        if format not in FORMATS:
            raise HTTPException(400, f"不支持的目录格式：{format}")
        if guard.office() and not purpose.strip():
            return pages.TemplateResponse(request, "catalog.html", {
                "formats": FORMATS, "error": "请填写利用目的"}, status_code=400)
        guard.note(request, target=f"归档文件目录.{format}", purpose=purpose.strip() or None)
        folder = Path(tempfile.mkdtemp(prefix="gongwen-catalog-"))
        try:
            out = viewer_archive(request).catalog(format, folder / f"归档文件目录.{format}")
        except NotOnDatabase as err:
            _remove(folder)
            return pages.TemplateResponse(request, "catalog.html", {
                "formats": FORMATS, "error": str(err)}, status_code=501)
        return FileResponse(out, filename=out.name, media_type=MEDIA_TYPES[format],
                            background=BackgroundTask(_remove, folder))

    @app.get("/verify", response_class=HTMLResponse)
    def verify_page(request: Request) -> Response:
        return pages.TemplateResponse(request, "verify.html", {})

    @app.post("/verify", response_class=HTMLResponse)
    def run_verify(request: Request) -> Response:
        report = viewer_archive(request).verify()
        guard.note(request, target="存档原件与索引", action="检测")
        return pages.TemplateResponse(request, "verify.html", {"report": report})


def _readable(request: Request, doc_id: str) -> dict[str, Any]:
    try:
        return viewer_archive(request).get(doc_id)
    except QuarantinedError:
        raise HTTPException(404, "该文件为涉密文件，不予显示") from None
    except KeyError:
        raise HTTPException(404, f"档案库中没有编号为 {doc_id} 的公文") from None


def _values(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, field, the value as the form shows it) of each editable field."""
    shown = []
    for label, name in EDIT_FIELDS:
        value = doc.get(name)
        if name == "restricted":  # the mark may have been found in the text, not the header
            value = value or (doc["archive"].get("meta") or {}).get("restricted")
        shown.append((label, name, "、".join(value) if isinstance(value, list) else (value or "")))
    return shown


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
