"""The drafting pages: choose a genre or a precedent, fill the slots in a form, download the .docx
(or check it). As thin over ``Archive`` as the other pages: ``template_genres``, ``template``,
``search`` (precedents) and ``draft``."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.background import BackgroundTask

from pipeline.facade import Archive
from pipeline.web.security import viewer_archive

GROUPS = (("版头", "版头"), ("主体", "标题和主送"), ("正文", "正文内容"), ("版记", "版记"))
PRECEDENTS_SHOWN = 10
_UNSAFE_NAME = re.compile(r"[\\/:*?\"<>|\s]+")


def _form_values(template: dict[str, Any], form: Any) -> dict[str, Any]:
    """The slots' values from a submitted form: a list slot's boxes as its items."""
    values: dict[str, Any] = {}
    for slot in template["slots"]:
        if slot["kind"] == "list":
            items = [v.strip() for v in form.getlist(slot["name"]) if str(v).strip()]
            if items:
                values[slot["name"]] = items
        else:
            value = str(form.get(slot["name"]) or "").strip()
            if value:
                values[slot["name"]] = value
    return values


def _groups(template: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The slots under the headings a drafter meets them by (版头, 标题和主送, 正文内容, 版记)."""
    return [(label, [s for s in template["slots"] if s.get("group") == key]) for key, label in GROUPS
            if any(s.get("group") == key for s in template["slots"])]


def _template(archive: Archive, genre: str, variant: str | None, like: str | None = None) -> dict[str, Any]:
    try:
        return archive.template(genre, variant or None, like or None)
    except KeyError as error:
        raise HTTPException(404, str(error.args[0])) from None


def _draft_file(archive: Archive, genre: str, form: Any) -> tuple[Path, dict[str, Any]]:
    """The draft written to a private temporary folder; its result."""
    variant = str(form.get("_variant") or "") or None
    like = str(form.get("_like") or "") or None
    template = _template(archive, genre, variant, like)
    title = str(form.get("标题") or "").strip() or template["genre"]
    folder = Path(tempfile.mkdtemp(prefix="gongwen-draft-"))
    out = folder / f"{_UNSAFE_NAME.sub('_', title)[:60]}.docx"
    try:
        result = archive.draft(genre, _form_values(template, form), out, variant=variant, like=like)
    except KeyError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise HTTPException(404, str(error.args[0])) from None
    return out, result


def register(app: FastAPI, pages: Jinja2Templates) -> None:
    """Add the drafting routes to ``app`` (each request reads the archive as its viewer may:
    precedents are never 内部 documents the viewer was not granted)."""

    @app.get("/draft", response_class=HTMLResponse)
    def choose(request: Request) -> HTMLResponse:
        archive = viewer_archive(request)
        params = dict(request.query_params)
        query, genre = params.get("q", "").strip(), params.get("genre", "").strip()
        context: dict[str, Any] = {"genres": archive.template_genres(), "q": query, "genre": genre}
        if query:
            context["hits"] = archive.search(query, genre=genre or None, limit=PRECEDENTS_SHOWN)["hits"]
        return pages.TemplateResponse(request, "draft_choose.html", context)

    def form_page(request: Request, genre: str, variant: str | None, like: str | None,
                  extra: dict[str, Any] | None = None) -> HTMLResponse:
        archive = viewer_archive(request)
        template = _template(archive, genre, variant, like)
        precedent = None
        if like:
            try:
                precedent = archive.get(like)
            except KeyError:
                raise HTTPException(404, f"档案中没有编号为 {like} 的公文（或为涉密文件）") from None
        return pages.TemplateResponse(request, "draft_form.html", {
            "template": template, "groups": _groups(template), "variant": variant or "", "like": like or "",
            "precedent": precedent, "values": {}, **(extra or {})})

    @app.get("/draft/{genre}", response_class=HTMLResponse)
    def form(request: Request, genre: str) -> HTMLResponse:
        return form_page(request, genre, request.query_params.get("variant"), request.query_params.get("like"))

    @app.post("/draft/{genre}/docx")
    async def download(request: Request, genre: str) -> FileResponse:
        out, _ = _draft_file(viewer_archive(request), genre, await request.form())
        return FileResponse(out, filename=out.name, background=BackgroundTask(shutil.rmtree, out.parent, True),
                            media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(out.name)}"})

    @app.post("/draft/{genre}/check", response_class=HTMLResponse)
    async def check(request: Request, genre: str) -> HTMLResponse:
        """The form again, as filled, with what the checker finds in the draft it makes."""
        archive, submitted = viewer_archive(request), await request.form()
        out, result = _draft_file(archive, genre, submitted)
        try:
            report = archive.check(out)  # the checker's contract object for the draft
        finally:
            shutil.rmtree(out.parent, ignore_errors=True)
        variant, like = str(submitted.get("_variant") or "") or None, str(submitted.get("_like") or "") or None
        values = {key: submitted.getlist(key) for key in submitted if not key.startswith("_")}
        return form_page(request, genre, variant, like, {
            "values": values, "checked": True, "result": result,
            "findings": report.get("findings", [])})
