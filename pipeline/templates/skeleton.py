"""The skeleton a draft starts from: one exemplar's arrangement, only fixed text and slots.

The exemplar is the document holding most fixed phrases; its units are rendered piece by piece:
fixed phrases kept (their markers as typed slots with the values they stand for), anything worded
between them a free slot, punctuation kept. Fixed phrases the exemplar lacks are then placed where
the documents usually put them, so every fixed phrase of the template appears in a draft and no
single document's wording is copied.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.layout.gbt9704 import heading_split
from pipeline.templates.fixed_phrases import Phrase, occurrences
from pipeline.templates.outline import HEADING_LABEL, NUMBERING, MinedDoc, Unit, is_heading
from pipeline.templates.slot_book import SlotBook
from pipeline.templates.slots import MARKER_KIND, MARKERS, mask

_PUNCT = set("，。、；：！？“”‘’（）《》〔〕—…·,.;:!?()[]【】 ")


def _marker_values(phrase: str, docs: list[MinedDoc]) -> list[list[str]]:
    """For each marker in ``phrase``, the values it stands for in the documents."""
    markers = [i for i, c in enumerate(phrase) if c in MARKERS]
    found: list[list[str]] = [[] for _ in markers]
    for d in docs:
        for unit in d.text_units:
            start = unit.masked.find(phrase)
            if start < 0:
                continue
            before = sum(1 for c in unit.masked[:start] if c in MARKERS)
            for k, offset in enumerate(markers):
                index = before + sum(1 for c in phrase[:offset] if c in MARKERS)
                if index < len(unit.values):
                    found[k].append(unit.values[index][1])
            break
    return found


def _cover(masked: str, fixed: list[Phrase]) -> list[tuple[int, int, Phrase]]:
    """Non-overlapping fixed-phrase spans in ``masked``, longest phrases first."""
    spans: list[tuple[int, int, Phrase]] = []
    for phrase in sorted(fixed, key=lambda p: -len(p.masked)):
        start = masked.find(phrase.masked)
        while start >= 0:
            end = start + len(phrase.masked)
            if all(end <= s or start >= e for s, e, _ in spans):
                spans.append((start, end, phrase))
                break
            start = masked.find(phrase.masked, start + 1)
    return sorted(spans, key=lambda s: s[0])


def _render_piece(masked: str, fixed: list[Phrase], docs: list[MinedDoc], book: SlotBook,
                  free_base: str) -> tuple[str, list[str]]:
    """Skeleton text of one masked piece and the fixed phrases it uses."""
    out: list[str] = []
    used: list[str] = []
    cursor = 0
    for start, end, phrase in _cover(masked, fixed):
        out.append(_free_gap(masked[cursor:start], book, free_base))
        values = _marker_values(phrase.masked, docs)
        k = 0
        for c in phrase.masked:
            if c in MARKERS:
                kind = MARKER_KIND[c]
                name = book.add(book.typed(kind), kind, values[k] if k < len(values) else [])
                out.append("{{ " + name + " }}")
                k += 1
            else:
                out.append(c)
        used.append(phrase.masked)
        cursor = end
    out.append(_free_gap(masked[cursor:], book, free_base))
    return "".join(out), used


def _free_gap(gap: str, book: SlotBook, base: str) -> str:
    """Text between fixed phrases: punctuation stays, anything worded becomes a free slot."""
    if not gap:
        return ""
    if all(c in _PUNCT for c in gap):
        return gap
    if all(c in _PUNCT or c in MARKERS for c in gap):  # only typed values: keep them typed
        return "".join("{{ " + book.add(book.typed(MARKER_KIND[c]), MARKER_KIND[c],
                                        book.examples_of.get(MARKER_KIND[c], [])) + " }}"
                       if c in MARKERS else c for c in gap)
    lead = len(gap) - len(gap.lstrip("".join(_PUNCT)))
    tail = len(gap) - len(gap.rstrip("".join(_PUNCT)))
    core_end = len(gap) - tail
    name = book.free(base)
    return gap[:lead] + "{{ " + name + " }}" + gap[core_end:]


def exemplar(docs: list[MinedDoc], fixed: list[Phrase]) -> MinedDoc:
    """The document holding most fixed phrases (ties: the median length), whose arrangement drafts use."""
    lengths = sorted(len(d.doc.body) for d in docs)
    mid = lengths[len(lengths) // 2] if lengths else 0

    def score(d: MinedDoc) -> tuple[int, int]:
        text = "\n".join(u.masked for u in d.text_units)
        return sum(p.support for p in fixed if p.masked in text), -abs(len(d.doc.body) - mid)

    return max(docs, key=score)


def _merge_wrapped(units: list[Unit]) -> list[Unit]:
    """Join body lines that a text file wrapped mid-sentence (no closing punctuation)."""
    merged: list[Unit] = []
    for unit in units:
        last = merged[-1] if merged else None
        if (last is not None and unit.kind == "正文" and last.kind == "正文"
                and not last.raw.endswith(("。", "！", "？", "：", "；"))):
            merged[-1] = Unit("正文", last.raw + unit.raw, last.masked + unit.masked, last.values + unit.values)
        else:
            merged.append(unit)
    return merged


def skeleton(model: MinedDoc, fixed: list[Phrase], docs: list[MinedDoc], book: SlotBook) -> list[str]:
    """Draft paragraphs: the exemplar's arrangement with only fixed text and slot placeholders."""
    paragraphs: list[str] = []
    for unit in _merge_wrapped(model.text_units):
        if unit.kind == "通过说明":
            continue  # rendered from the adoption pattern
        if unit.kind == "称呼":
            text, _ = _render_piece(unit.masked, fixed, docs, book, "称呼")
            paragraphs.append(text)
            continue
        if is_heading(unit.kind):
            level = int(unit.kind[1])
            body = unit.raw[len(unit.numbering):]
            split = heading_split(unit.raw)
            head_len = len(split[1]) - len(unit.numbering) if split else len(body)
            head = mask(body[:head_len]).text
            rest = mask(body[head_len:]).text
            head_text, _ = _render_piece(head, fixed, docs, book, HEADING_LABEL[level])
            rest_text, _ = _render_piece(rest, fixed, docs, book, "正文") if rest else ("", [])
            paragraphs.append(unit.numbering + head_text + rest_text)
            continue
        text, _ = _render_piece(unit.masked, fixed, docs, book, "正文")
        paragraphs.append(text)
    return paragraphs


def _literal(template_text: str) -> str:
    return re.sub(r"\{\{[^{}]*\}\}", "\ufffc", template_text)


def _pieces(phrase: Phrase) -> list[str]:
    return [x for x in re.split("[" + "".join(MARKERS) + "]", phrase.masked) if x]


def place_missing(paragraphs: list[str], fixed: list[Phrase], docs: list[MinedDoc], book: SlotBook) -> list[str]:
    """Fixed phrases the exemplar lacks go where the documents usually put them.

    The place is after the fixed phrase that most often comes just before it in the documents
    (in the same paragraph, or at the start of the next one); each inserted phrase gets a free
    slot in front, so every fixed phrase of the template appears in a draft.
    """
    if not paragraphs:
        return paragraphs
    out = list(paragraphs)
    present: list[Phrase] = []
    for phrase in sorted(fixed, key=lambda p: p.position):
        text = "\n".join(_literal(p) for p in out)
        if all(piece in text for piece in _pieces(phrase)):
            present.append(phrase)
    for phrase in sorted(fixed, key=lambda p: p.position):
        if phrase in present:
            continue
        rendered, _ = _render_piece(phrase.masked, [phrase], docs, book, "正文")
        before, same_paragraph = _usual_neighbour(phrase, present, docs, after=False)
        shared = _overlap(before.masked, phrase.masked) if before and same_paragraph else 0
        where = _after(out, before) if shared and not any(c in MARKERS for c in phrase.masked[:shared]) else None
        if where is not None:  # the two phrases share words: continue the first one
            index, offset = where
            out[index] = out[index][:offset] + rendered[shared:] + out[index][offset:]
            present.append(phrase)
            continue
        following, same_following = _usual_neighbour(phrase, present, docs, after=True)
        spot = _before(out, following) if following and same_following else None
        if spot is not None:  # right in front of the phrase that follows it (sharing any overlap)
            index, offset, overlap = spot[0], spot[1], _overlap(phrase.masked, following.masked)
            text = rendered[:len(rendered) - overlap] if overlap else rendered
            head = out[index][:offset]
            lead = "" if head.endswith("}}") else "{{ " + book.free("正文") + " }}"
            out[index] = head + lead + text + out[index][offset:]
            present.append(phrase)
            continue
        where = _after(out, before) if before else None
        insert = "{{ " + book.free("正文") + " }}" + rendered
        if where is None:  # nothing before it: open the first paragraph after a salutation
            first = 1 if len(out) > 1 and out[0].endswith("：") and len(out[0]) <= 30 else 0
            joint = "" if insert.endswith(("。", "：", "，")) else "，"
            out[first] = _after_numbering(out[first], insert + joint)
        elif same_paragraph:
            index, offset = where
            out[index] = out[index][:offset] + insert + out[index][offset:]
        else:
            index = min(where[0] + 1, len(out) - 1)
            joint = "" if insert.endswith(("。", "：", "，")) else "，"
            out[index] = _after_numbering(out[index], insert + joint)
        present.append(phrase)
    return out


def _after_numbering(paragraph: str, insert: str) -> str:
    found = NUMBERING.match(paragraph)
    cut = found.end() if found else 0
    return paragraph[:cut] + insert + paragraph[cut:]


def _overlap(left: str, right: str) -> int:
    """Length of the longest suffix of ``left`` that is a prefix of ``right``."""
    for size in range(min(len(left), len(right)), 0, -1):
        if left.endswith(right[:size]):
            return size
    return 0


def _usual_neighbour(phrase: Phrase, present: list[Phrase], docs: list[MinedDoc],
                     after: bool) -> tuple[Phrase | None, bool]:
    """The present fixed phrase most often right before (or after) ``phrase``, and whether it
    shares the paragraph."""
    votes: Counter[tuple[int, bool]] = Counter()
    for d in docs:
        hits = occurrences(phrase.masked, d)
        if not hits:
            continue
        unit, offset = hits[0]
        best: tuple[tuple[int, int], int] | None = None
        for index, other in enumerate(present):
            for key in occurrences(other.masked, d):
                nearer = (key > (unit, offset) and (best is None or key < best[0])) if after else \
                         (key < (unit, offset) and (best is None or key > best[0]))
                if nearer:
                    best = (key, index)
        votes[(-1, True) if best is None else (best[1], best[0][0] == unit)] += 1
    if not votes:
        return None, True
    (index, same), _ = votes.most_common(1)[0]
    return (None, True) if index < 0 else (present[index], same)


def _before(paragraphs: list[str], phrase: Phrase) -> tuple[int, int] | None:
    """(paragraph index, offset) of the first literal piece of ``phrase``."""
    first = _pieces(phrase)[0]
    for index, paragraph in enumerate(paragraphs):
        offset = paragraph.find(first)
        if offset >= 0:
            return index, offset
    return None


def _after(paragraphs: list[str], phrase: Phrase) -> tuple[int, int] | None:
    """(paragraph index, offset) just after the last literal piece of ``phrase``."""
    last = _pieces(phrase)[-1]
    for index, paragraph in enumerate(paragraphs):
        offset = paragraph.find(last)
        if offset >= 0:
            return index, offset + len(last)
    return None
