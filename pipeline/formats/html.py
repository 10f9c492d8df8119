"""Web pages (.html/.htm): the main text without navigation, one block per paragraph.

trafilatura finds the main content; when it finds nothing (short or unusual pages) the
fallback takes the lxml text of the body minus navigation-like elements. Centring and red
colour are copied onto blocks where the page marks them (<center>, align=center,
<font color=red>, style="color:red").
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.formats.base import Backend
from pipeline.formats.sniff import MHT_START
from pipeline.formats.text import detect_encoding
from pipeline.model import Block, ParseError, RawDocument

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030",
            "big5-hkscs": "big5hkscs", "utf8": "utf-8"}  # fmt: skip
_NOISE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
               "button", "select", "template", "svg")  # fmt: skip
_NOISE_NAMES = re.compile(
    r"nav|menu|footer|foot|header|breadcrumb|crumb|sidebar|share|copyright|banner|toolbar|login|search",
    re.IGNORECASE,
)
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td", "th", "center",
               "blockquote", "pre", "section", "article", "dd", "dt", "table", "br", "font", "span"}  # fmt: skip
_RED = re.compile(
    r"color\s*:\s*(?:red|#f00\b|#ff0000|#e[0-9a-f]0000|#c00\b|#cc0000|rgb\(\s*2[0-5][0-9]\s*,\s*0\s*,\s*0\s*\))",
    re.IGNORECASE,
)
_RED_ATTR = re.compile(r"^(?:red|#?f00|#?ff0000|#?cc0000|#?e60000|#?c00000)$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def html_from_mime(path: str, data: bytes) -> bytes:
    """The HTML part of an MHT file, re-labelled with its charset so decoding finds it."""
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and not _META_CHARSET.search(payload[:8192]):
                payload = f'<meta charset="{charset}">'.encode("ascii", "ignore") + payload
            return payload
    raise ParseError(path, "MHT 网页文件中没有 HTML 正文")


def decode_html(path: str, data: bytes) -> tuple[str, str]:
    """(text, encoding): the meta charset if it decodes the bytes, else detection."""
    match = _META_CHARSET.search(data[:8192])
    if match:
        declared = match.group(1).decode("ascii", "ignore").lower()
        declared = _ALIASES.get(declared, declared)
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong declaration is common; trust the bytes instead
    encoding = detect_encoding(data) or "utf-8"
    return data.decode(encoding, errors="replace").lstrip("\ufeff"), encoding


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _style_hints(tree) -> dict[str, dict[str, str]]:
    """Normalised text -> hints for elements marked centred or red."""
    hints: dict[str, dict[str, str]] = {}
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        style = element.get("style") or ""
        centred = (
            tag == "center"
            or (element.get("align") or "").lower() == "center"
            or re.search(r"text-align\s*:\s*center", style, re.IGNORECASE) is not None
        )
        red = bool(_RED.search(style)) or (
            tag == "font" and _RED_ATTR.match(element.get("color") or "") is not None
        )
        if not (centred or red):
            continue
        text = _clean(element.text_content())
        if not text or len(text) > 200:
            continue
        entry = hints.setdefault(text, {})
        if centred:
            entry["align"] = "center"
        if red:
            entry["color"] = "FF0000"
    return hints


def _is_noise(element) -> bool:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _NOISE_TAGS:
        return True
    names = f"{element.get('id') or ''} {element.get('class') or ''} {element.get('role') or ''}"
    return (
        bool(names.strip())
        and _NOISE_NAMES.search(names) is not None
        and tag not in ("body", "html")
    )


def _fallback_paragraphs(tree) -> list[str]:
    """Body text split at block-level elements, navigation-like elements removed."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    for element in list(root.iter()):
        if isinstance(element.tag, str) and element is not root and _is_noise(element):
            parent = element.getparent()
            if parent is not None:
                tail = element.tail
                parent.remove(element)
                if tail:
                    previous = parent[-1] if len(parent) else None
                    if previous is not None:
                        previous.tail = (previous.tail or "") + tail
                    else:
                        parent.text = (parent.text or "") + tail
    parts: list[str] = []

    def walk(element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        is_block = tag in _BLOCK_TAGS and tag not in ("font", "span")
        if is_block:
            parts.append("\n")
        if element.text and tag:
            parts.append(element.text)
        for child in element:
            walk(child)
        if is_block:
            parts.append("\n")
        if element.tail:
            parts.append(element.tail)

    walk(root)
    return [line for line in (_clean(piece) for piece in "".join(parts).split("\n")) if line]


def _main_paragraphs(text: str) -> list[str]:
    import trafilatura

    extracted = trafilatura.extract(text, include_tables=True, include_comments=False,
                                    favor_recall=True, deduplicate=False)  # fmt: skip
    if not extracted:
        return []
    return [line for line in (_clean(piece) for piece in extracted.split("\n")) if line]


_SITE_SUFFIX = re.compile(r"\s*(?:[|_｜—–]|\s-\s|－).*$")


def page_title(tree) -> str | None:
    """The article title: gov.cn's ArticleTitle meta, og:title, a title-like h1, <title>."""
    for name in ("ArticleTitle", "og:title", "title"):
        for attr in ("name", "property"):
            meta = tree.find(f".//meta[@{attr}='{name}']")
            if meta is not None and _clean(meta.get("content") or ""):
                return _clean(meta.get("content"))
    for h1 in tree.iter("h1"):
        if "title" in (h1.get("class") or "").lower() and _clean(h1.text_content()):
            return _clean(h1.text_content())
    element = tree.find(".//title")
    if element is not None:
        text = _SITE_SUFFIX.sub("", _clean(element.text_content()))
        return text or None
    return None


class HtmlBackend(Backend):
    name = "html"
    extensions = (".html", ".htm", ".shtml", ".xhtml")

    def read(self, path: str) -> RawDocument:
        import lxml.html
        from lxml.etree import ParserError

        data = Path(path).read_bytes()
        if MHT_START.match(data[:4096]):
            data = html_from_mime(path, data)
        text, encoding = decode_html(path, data)
        if not text.strip():
            raise ParseError(path, "网页没有内容")
        try:
            tree = lxml.html.document_fromstring(
                text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
            )
        except (ParserError, ValueError) as exc:
            raise ParseError(path, f"网页结构无法解析（{exc}）") from exc
        hints = _style_hints(tree)
        paragraphs = _main_paragraphs(text)
        if sum(len(p) for p in paragraphs) < 20:
            paragraphs = _fallback_paragraphs(tree)
        else:
            title = page_title(tree)
            # trafilatura keeps the body; the page's own heading carries the 公文 title.
            if title and len(title) >= 4 and not any(title in p for p in paragraphs[:5]):
                paragraphs.insert(0, title)
        blocks = [Block(text=p, **hints.get(p, {})) for p in paragraphs]
        return RawDocument(path=path, format=self.name, blocks=blocks, encoding=encoding)
