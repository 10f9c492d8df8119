"""Routes of the web app. Each handler reads its parameters, asks ``Archive`` and renders.

Every route passes through ``pipeline.web.security`` first (who, may they, CSRF, the use
record); a handler reads documents through ``viewer_archive(request)``, the archive as the
person asking may see it.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from http import HTTPStatus
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipeline.archive.catalog import FILE_ROLE_LABELS, QuarantinedError, is_iso_date
from pipeline.archive.walk import inside
from pipeline.excerpts.stats import amount_text, change_text
from pipeline.facade import Archive
from pipeline.index.query import is_operator
from pipeline.model import UNTITLED, shown_title
from pipeline.web import admin_pages, archivist_pages, auth_pages
from pipeline.web.check_page import register as register_check
from pipeline.web.drafting import register as register_drafting
from pipeline.web.jobs import IngestJobs, check_upload_names, save_upload
from pipeline.web.security import Guard, GuardMiddleware, Redirect, SignInRequired, viewer_archive
from pipeline.web.yearbook_pack import register as register_yearbook_pack

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 10
UPLOAD_NAMES_SHOWN = 5  # an upload's first file names in the list of jobs
YEARBOOK_TOOLS = ("excerpts", "stats", "chronicle")
YEARBOOK_EXCERPTS = 20  # passages an excerpts page lists
YEARBOOK_SHOWN = 500  # facts or events a page lists (the API gives them all)
FILTERS = ("genre", "year", "issuer", "from", "to")  # query-string names of the search filters
FACET_FILTER = {"genre": "genre", "year": "year", "issuer": "issuer"}  # facet → filter
# The errors the framework raises itself carry English phrases ("Not Found"): users read these.
FRAMEWORK_MESSAGES = {404: "页面不存在", 405: "不支持这种请求方式"}


def _check_server_path(target: str, roots: list[Path] | None) -> None:
    """Refuse a typed path outside the allowed folders (``..`` and symbolic links resolved
    first): whoever reaches the page could otherwise read any file the server can."""
    if roots is None:
        return
    if not roots:
        raise HTTPException(403, "本服务未开放服务器路径入库，请上传文件"
                                 "（管理员可用 gongwen serve --ingest-root 目录 开放）")
    if not inside(Path(target).expanduser(), roots):
        allowed = "、".join(str(root) for root in roots)
        raise HTTPException(403, f"不允许从该路径入库：{target}（可入库的目录：{allowed}）")


def _message(err: StarletteHTTPException) -> str:
    if err.detail == HTTPStatus(err.status_code).phrase:  # raised by the framework, in English
        return FRAMEWORK_MESSAGES.get(err.status_code, f"请求无法处理（HTTP {err.status_code}）")
    return str(err.detail)


class BadRequest(ValueError):
    """A parameter users typed that the search cannot take (the message is shown as is)."""


def create_app(home: str | Path | None = None,
               ingest_roots: Sequence[str | Path] | None = (), trusted_proxies: Sequence[str] = (),
               allowed_hosts: Sequence[str] | None = None, database: str | None = None) -> FastAPI:
    """The app over ``home``; ``database``: the catalog and index in a database (``--db``,
    default ``$GONGWEN_DATABASE_URL``), where each account reads the 全宗 it is granted.
    ``ingest_roots``: the server folders a typed path may lie in
    (``None``: any path — a server only its own machine reaches; empty: typed paths are off
    and only uploads are ingested). ``trusted_proxies``: addresses whose X-Forwarded-For is
    believed; ``allowed_hosts``: the Host names answered (None: any)."""
    # not the 内部 documents unless the request's own view says so (security.viewer_archive)
    archive = Archive(home, include_restricted=False, database=database)
    roots = None if ingest_roots is None else [Path(r).resolve() for r in ingest_roots]
    # typed paths are checked, but a folder may hold links to files elsewhere: the walk refuses
    # those (uploads are saved under the home)
    jobs = IngestJobs(archive, None if roots is None else [*roots, archive.home.uploads])
    guard = Guard(archive, trusted_proxies, allowed_hosts, operator=_operator())
    app = FastAPI(title="公文档案检索", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(guard.dependency)], lifespan=guard.lifespan)
    app.state.guard = guard  # (tests flush its use-record queue)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    pages = Jinja2Templates(directory=HERE / "templates", context_processors=[guard.page_context])
    pages.env.filters["marked"] = marked
    pages.env.filters["amount"] = amount_text
    pages.env.filters["change"] = change_text
    pages.env.filters["shown_title"] = title_of  # a composed title in the brackets of 自拟题名

    def error_response(request: Request, status: int, message: str) -> Response:
        """JSON for the API, a page in Chinese for people."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=status)
        return pages.TemplateResponse(request, "error.html", {"message": message}, status_code=status)

    app.add_middleware(GuardMiddleware, guard=guard, render_error=error_response)

    @app.exception_handler(StarletteHTTPException)
    def error_page(request: Request, err: StarletteHTTPException) -> Any:
        return error_response(request, err.status_code, _message(err))

    @app.exception_handler(SignInRequired)
    def sign_in_first(request: Request, _err: SignInRequired) -> Any:
        if request.method == "GET" and not request.url.path.startswith("/api/"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)
        return error_response(request, 401, "请先登录")

    @app.exception_handler(Redirect)
    def go_to(_request: Request, redirect: Redirect) -> Any:
        return RedirectResponse(redirect.url, status_code=303)

    @app.exception_handler(RequestValidationError)
    def invalid_parameters(request: Request, err: RequestValidationError) -> Any:
        names = "、".join(dict.fromkeys(str(e["loc"][-1]) for e in err.errors()))
        return error_page(request, StarletteHTTPException(422, f"参数有误：{names}"))

    auth_pages.register(app, archive, pages, guard)
    admin_pages.register(app, archive, pages, guard)
    archivist_pages.register(app, pages, guard)
    register_drafting(app, pages)
    register_check(app, pages)
    register_yearbook_pack(app, guard)

    @app.get("/", response_class=HTMLResponse)
    def search_page(request: Request) -> Response:
        params = dict(request.query_params)
        context: dict[str, Any] = {"params": params, "q": params.get("q", "").strip()}
        if context["q"]:
            try:
                context.update(_run_search(viewer_archive(request), params))
            except BadRequest as err:
                context["error"] = str(err)
                return pages.TemplateResponse(request, "search.html", context, status_code=400)
        return pages.TemplateResponse(request, "search.html", context)

    @app.get("/api/search")
    def search_api(request: Request) -> dict[str, Any]:
        params = dict(request.query_params)
        if not params.get("q", "").strip():
            raise HTTPException(400, "请输入检索词（参数 q）")
        try:
            return _run_search(viewer_archive(request), params)["result"]
        except BadRequest as err:
            raise HTTPException(400, str(err)) from None

    @app.get("/doc/{doc_id}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: str) -> HTMLResponse:
        reader = viewer_archive(request)
        doc = _document(reader, doc_id)
        return pages.TemplateResponse(request, "document.html", {
            "doc": doc, "roles": FILE_ROLE_LABELS, "similar": _similar(reader, doc)})

    @app.get("/api/doc/{doc_id}")
    def document_api(request: Request, doc_id: str) -> dict[str, Any]:
        return _document(viewer_archive(request), doc_id)

    @app.get("/doc/{doc_id}/files/{number}")
    def stored_file(request: Request, doc_id: str, number: int, purpose: str = "") -> Response:
        reader = viewer_archive(request)
        doc = _document(reader, doc_id)
        files = doc["archive"]["files"]
        if not 0 <= number < len(files) or files[number]["role"] == "quarantined":
            raise HTTPException(404, "没有这个文件")
        entry = files[number]
        stored = reader.home.stored(entry["stored"]).resolve()
        if not stored.is_relative_to(reader.home.originals.resolve()):
            raise HTTPException(404, "没有这个文件")  # a catalog row pointing elsewhere is not served
        if not stored.is_file():
            # a database pools several offices' documents; each original stays in its own home
            raise HTTPException(404, "本服务器的档案库目录中没有此原件（可能由其他单位入库，原件存于该单位）"
                                if reader.db else "没有这个文件")
        if guard.office() and not purpose.strip():  # 利用登记: why, before the file
            return pages.TemplateResponse(request, "download.html", {
                "doc": doc, "file": entry, "number": number, "purposes": PURPOSES})
        guard.note(request, target=f"{doc_id} {entry['path']}", purpose=purpose.strip() or None)
        return FileResponse(stored, filename=Path(entry["path"]).name)

    @app.get("/yearbook", response_class=HTMLResponse)
    def yearbook_page(request: Request) -> HTMLResponse:
        params = dict(request.query_params)
        context: dict[str, Any] = {"params": params, "tool": params.get("tool") or "chronicle",
                                   "shown": YEARBOOK_SHOWN}
        try:
            context["data"] = _yearbook(viewer_archive(request), context["tool"], params)
            if context["tool"] == "chronicle":
                context["by_year"] = _by_year(context["data"]["events"][:YEARBOOK_SHOWN])
        except BadRequest as err:
            context["error"] = str(err)
            return pages.TemplateResponse(request, "yearbook.html", context, status_code=400)
        return pages.TemplateResponse(request, "yearbook.html", context)

    def yearbook_api(request: Request) -> dict[str, Any]:
        tool = request.url.path.rsplit("/", 1)[-1]
        try:
            return _yearbook(viewer_archive(request), tool, dict(request.query_params)) or {}
        except BadRequest as err:
            raise HTTPException(400, str(err)) from None

    for tool in YEARBOOK_TOOLS:  # one route each: /api/… of other pages stay theirs
        app.get(f"/api/{tool}")(yearbook_api)

    @app.get("/ingest", response_class=HTMLResponse)
    def ingest_page(request: Request) -> HTMLResponse:
        return pages.TemplateResponse(request, "ingest.html", {
            "jobs": jobs.recent(guard.owner(request)), "roots": roots})

    @app.post("/api/ingest")
    def start_ingest(request: Request, paths: Annotated[str, Form()] = "",
                     files: Annotated[list[UploadFile] | None, File()] = None) -> JSONResponse:
        targets = [line.strip() for line in paths.splitlines() if line.strip()]
        for target in targets:
            _check_server_path(target, roots)
        label = "、".join(targets)
        uploads = check_upload_names([f for f in files or [] if f.filename])
        if uploads:
            folder = jobs.upload_folder()
            for upload in uploads:
                save_upload(folder, upload.filename or "", upload.file)
            targets.append(str(folder))
            names = "、".join(Path(u.filename or "").name for u in uploads[:UPLOAD_NAMES_SHOWN])
            more = "等" if len(uploads) > UPLOAD_NAMES_SHOWN else ""
            label = "；".join(filter(None, [label, f"上传 {len(uploads)} 个文件（{names}{more}）"]))
        if not targets:
            raise HTTPException(400, "请填写服务器上的路径或选择要上传的文件")
        job = jobs.submit(targets, label, owner=guard.owner(request))
        guard.note(request, target=label)
        return JSONResponse(job.as_json(), status_code=202)

    @app.get("/api/ingest/{job_id}")
    def ingest_status(request: Request, job_id: str) -> dict[str, Any]:
        job = jobs.get(job_id)
        if job is None or guard.owner(request) not in (None, job.owner):
            raise HTTPException(404, "没有这个入库任务")
        return job.as_json()

    return app


# 利用目的 offered before a download (档案利用登记的常见类别); anything else may be typed
PURPOSES = ("工作查考", "编史修志", "学术研究", "宣传教育", "经济建设", "法律凭证")


def _operator() -> str:
    """How the use record names the one person of a home without accounts."""
    import getpass

    try:
        return f"{getpass.getuser()}（本机）"
    except (KeyError, OSError):
        return "本机用户"


# --- search --------------------------------------------------------------------------------


def _run_search(archive: Archive, params: dict[str, str]) -> dict[str, Any]:
    """The search result plus what the page needs around it (paging, filter links, timing)."""
    page = _int(params.get("page", "1"), "页码", minimum=1)
    options = _search_options(params)
    offset = (page - 1) * PAGE_SIZE
    started = time.perf_counter()
    result = archive.search(params["q"].strip(), limit=PAGE_SIZE, offset=offset, **options)
    pages = max(1, math.ceil(result["total"] / PAGE_SIZE))
    return {
        "result": result,
        "millis": (time.perf_counter() - started) * 1000,
        "page": page,
        "offset": offset,
        "pages": pages,
        "page_links": _page_links(params, page, pages),
        "facet_links": _facet_links(params, result["facets"]),
        "active_filters": _active_filters(params),
    }


def _page_links(params: dict[str, str], page: int, pages: int, around: int = 4
                ) -> list[dict[str, Any]]:
    """Links to the pages near ``page`` (the first page's URL carries no page number)."""
    first, last = max(1, page - around), min(pages, page + around)
    return [{"number": n, "current": n == page, "url": _url(params, page=str(n) if n > 1 else None)}
            for n in range(first, last + 1)]


def _search_options(params: dict[str, str]) -> dict[str, Any]:
    options: dict[str, Any] = {"sort": params.get("sort") or "relevance"}
    if options["sort"] not in ("relevance", "date"):
        raise BadRequest("排序方式只能是“相关度”或“日期”")
    if params.get("genre"):
        options["genre"] = params["genre"]
    if params.get("issuer"):
        options["issuer"] = params["issuer"]
    if params.get("year"):
        options["year"] = _int(params["year"], "年份", minimum=1)
    for name, option in (("from", "date_from"), ("to", "date_to")):
        if params.get(name):
            if not is_iso_date(params[name]):
                raise BadRequest(f"日期格式应为 YYYY-MM-DD：{params[name]}")
            options[option] = params[name]
    return options


def _int(text: str, label: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise BadRequest(f"{label}应为整数：{text}") from None
    if value < minimum:
        raise BadRequest(f"{label}不能小于 {minimum}：{text}")
    return value


def _facet_links(params: dict[str, str], facets: dict[str, dict[str, int]]
                 ) -> dict[str, list[dict[str, Any]]]:
    """Per facet, each value with its count and the URL that filters on it (first page)."""
    links: dict[str, list[dict[str, Any]]] = {}
    for facet, counts in facets.items():
        name = FACET_FILTER.get(facet, facet)
        links[facet] = [
            {"value": value, "count": count, "active": params.get(name) == str(value),
             "url": _url(params, **{name: str(value), "page": None})}
            for value, count in counts.items()
        ]
    return links


def _active_filters(params: dict[str, str]) -> list[dict[str, str]]:
    labels = {"genre": "文种", "year": "年份", "issuer": "机关", "from": "起始日期", "to": "截止日期"}
    return [{"label": labels[name], "value": params[name], "remove": _url(params, **{name: None,
                                                                                     "page": None})}
            for name in FILTERS if params.get(name)]


def _url(params: dict[str, str], **changes: str | None) -> str:
    merged = {**params, **changes}
    return "/?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def title_of(item: dict[str, Any]) -> str:
    """A hit's, version's or document's title as shown: a composed one as ``［……］``."""
    return shown_title(item.get("title"), item.get("title_derived"), UNTITLED)


def marked(snippet: str) -> Markup:
    """A snippet with the search's 【】 marks as <mark>, everything else escaped."""
    return Markup(str(escape(snippet)).replace("【", "<mark>").replace("】", "</mark>"))


# --- yearbook tools ------------------------------------------------------------------------


def _yearbook(archive: Archive, tool: str, params: dict[str, str]) -> dict[str, Any] | None:
    """What ``gongwen excerpts|stats|chronicle --json`` prints; None when excerpts has no query."""
    if tool not in YEARBOOK_TOOLS:
        raise BadRequest(f"没有这个工具：{tool}")
    year = _int(params["year"], "年份", minimum=1) if params.get("year") else None
    if tool == "excerpts":
        query = params.get("q", "").strip()
        return archive.excerpts(query, year=year, limit=YEARBOOK_EXCERPTS) if query else None
    if tool == "stats":
        return archive.stats(year=year)
    return archive.chronicle(year=year)


def _by_year(events: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Consecutive events grouped under a year heading (``2023年``; ``年份不详`` for ``--MM-DD``)."""
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for event in events:
        year = "年份不详" if event["date"].startswith("--") else f"{event['date'][:4]}年"
        if not groups or groups[-1][0] != year:
            groups.append((year, []))
        groups[-1][1].append(event)
    return groups


# --- documents -----------------------------------------------------------------------------
SIMILAR_SHOWN = 5
SIMILAR_TERMS = 6  # of the document's keywords, most telling first
_PLAIN_WORD = re.compile(r"\w+")  # (letters, digits and Chinese characters: no query syntax)


def _similar(archive: Archive, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Other documents on the same subject (any of this one's keywords, the most shared first):
    what a drafter reading a document wants to compare it with."""
    # keywords a user corrected first, else the ones the classifier picked at ingest
    keywords = doc.get("keywords") or (doc["archive"].get("meta") or {}).get("keywords") or []
    words = [w for w in keywords if _PLAIN_WORD.fullmatch(w) and not is_operator(w)]
    if not words:
        return []
    listed = (doc["archive"].get("versions") or []) + (doc["archive"].get("near_copies") or [])
    own = {doc["id"], *(other["id"] for other in listed)}  # listed on the page already
    hits = archive.search(" OR ".join(words[:SIMILAR_TERMS]), limit=SIMILAR_SHOWN + len(own))["hits"]
    return [hit for hit in hits if hit["id"] not in own][:SIMILAR_SHOWN]


def _document(archive: Archive, doc_id: str) -> dict[str, Any]:
    try:
        return archive.get(doc_id)
    except QuarantinedError:
        # a classified document is never shown, not even its title
        raise HTTPException(404, "该文件为涉密文件，不予显示") from None
    except KeyError:
        raise HTTPException(404, f"档案库中没有编号为 {doc_id} 的公文") from None
