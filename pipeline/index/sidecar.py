"""A per-segment postings sidecar: every term's document numbers, weights and positions as flat
arrays.

A cold query spends most of its time turning Whoosh's posting blocks (zlib + pickle) into
arrays, ~0.7-1 µs a posting, and phrases as much again for positions. The sidecar
(``<segment id>.pnp``, next to the segment's files) holds the same postings in a numpy layout, so
a cold term costs a hash lookup in a memory-mapped table and one ``pread`` per array. Whoosh keeps
its own files untouched and stays the source of truth: a segment without a readable sidecar is
read from Whoosh's blocks, as are the positions of a field the sidecar lacks them for.

Layout (little-endian)::

    MAGIC (8) | header length (8) | JSON header, padded | arrays, each 8-aligned ... | END (8)

Arrays: ``docs`` (every posting's segment-local document number, fields one after the other,
terms in Whoosh's order within a field; uint16 when the segment has at most 65,536 documents),
per field ``weights`` (uint8 / uint16 when every weight is such an integer, else float32: exactly
the float32 Whoosh stores), ``positions`` (of the fields whose format has them: each posting's
positions in order, as many as its weight — checked when written), and a term table sorted by a
64-bit hash of (field, term): ``hashes``, ``starts`` (first posting in ``docs``), ``counts``,
``pos_starts`` (first position), ``key_ends`` (the term bytes in ``keys``, to verify a hit). The
header records every array's place and the file's size; a file whose size or end mark disagree
is ignored, so a half-written sidecar is never read (it is written under a temporary name and
renamed anyway).

Life cycle: the segment writer writes it before the commit that makes the segment visible
(``pipeline.index.segments``); Whoosh's ``clean_files`` deletes every ``<segment id>.*`` file
of a segment that is no longer in the index, the sidecar included (and a ``.tmp`` left by a
crash). ``convert`` builds the sidecar of a segment written without one (slow, one-off).
``GONGWEN_SIDECARS=0`` turns them off (neither written nor read).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from hashlib import blake2b
from itertools import chain
from pathlib import Path
from pickle import loads
from typing import Any

import numpy as np
from whoosh.formats import Positions
from whoosh.system import _INT_SIZE

from pipeline.index.segment_postings import read_segment_postings

EXTENSION = ".pnp"
MAGIC = b"GWPNP001"
END = b"GWPNPEND"
_ALIGN = 8

# (term bytes, document numbers, weights, values) of one term: lists or arrays
TermPostings = tuple[bytes, Any, Any, Any]


def enabled() -> bool:
    """``GONGWEN_SIDECARS=0``: no sidecars are written or read (the benchmarks' baseline)."""
    return os.environ.get("GONGWEN_SIDECARS", "1") != "0"


def term_hash(field: str, tbytes: bytes) -> int:
    """The table key of a term: 64 bits of BLAKE2b over (field, NUL, term)."""
    digest = blake2b(field.encode("utf-8") + b"\0" + tbytes, digest_size=8).digest()
    return int.from_bytes(digest, "little")


def filename(segment: Any) -> str:
    return segment.make_filename(EXTENSION)


# --- writing ---------------------------------------------------------------------------------
class Builder:
    """Collects a segment's postings field by field (fields and terms in Whoosh's order); each
    field becomes compact arrays as soon as it is added."""

    def __init__(self, doccount: int) -> None:
        self.doccount = doccount
        self.docs_dtype = np.dtype("<u2") if doccount <= 1 << 16 else np.dtype("<u4")
        self.fields: list[_Field] = []

    def add_field(self, field: str, terms: Iterable[TermPostings],
                  decode: Callable[[bytes], list[int]] | None = None) -> None:
        """A field's terms: (term bytes, document numbers, weights, values); with ``decode``
        (the format's ``decode_positions``) the positions the values hold are kept too."""
        names: list[bytes] = []
        ids: list[Any] = []
        weights: list[Any] = []
        values: list[Any] = []
        for tbytes, term_ids, term_weights, term_values in terms:
            names.append(tbytes)
            ids.append(term_ids)
            weights.append(term_weights)
            values.append(term_values)
        if not names:
            return
        lengths = [len(i) for i in ids]
        total = sum(lengths)
        built = _Field(field, names, lengths, _flatten(ids, self.docs_dtype, total),
                       _compact(_flatten(weights, np.dtype(np.float32), total)))
        if decode is not None:
            built.positions, built.term_positions = _positions(values, decode, built.weights)
        self.fields.append(built)

    def write(self, folder: str | Path, segment: Any) -> Path:
        """Write ``<segment id>.pnp`` into ``folder`` (a temporary name first, then renamed)."""
        path = Path(folder) / filename(segment)
        temporary = path.with_name(path.name + ".tmp")  # Whoosh cleans it if it is left behind
        with open(temporary, "wb") as out:
            out.writelines(self._pieces())
        os.replace(temporary, path)
        return path

    def _pieces(self) -> list[bytes]:
        arrays: list[tuple[str, np.ndarray]] = []
        hashes: list[int] = []
        keys: list[bytes] = []
        start_parts, count_parts, held_parts = [], [], []
        header: dict[str, Any] = {"version": 1, "doccount": self.doccount, "fields": {}}
        start, pos_start, positions = 0, 0, []
        for f in self.fields:
            arrays.append((f"weights:{f.name}", f.weights))
            header["fields"][f.name] = {"lo": start, "hi": start + len(f.weights),
                                        "positions": f.positions is not None}
            lengths = np.array(f.lengths, dtype=np.int64)
            held = np.array(f.term_positions if f.positions is not None else [0] * len(lengths),
                            dtype=np.int64)
            hashes.extend([term_hash(f.name, tbytes) for tbytes in f.names])
            start_parts.append(start + np.cumsum(lengths) - lengths)
            held_parts.append(pos_start + np.cumsum(held) - held)
            count_parts.append(lengths)
            keys.extend(f.names)
            start += int(lengths.sum())
            pos_start += int(held.sum())
            if f.positions is not None:
                positions.append(f.positions)
        starts = np.concatenate(start_parts) if start_parts else np.empty(0, np.int64)
        pos_starts = np.concatenate(held_parts) if held_parts else np.empty(0, np.int64)
        counts = np.concatenate(count_parts) if count_parts else np.empty(0, np.int64)
        order = np.argsort(np.array(hashes, dtype=np.uint64), kind="stable")
        sorted_keys = [keys[i] for i in order.tolist()]
        key_ends = np.cumsum([len(k) for k in sorted_keys], dtype=np.int64)
        flat = np.concatenate(positions) if positions else np.empty(0, np.int64)
        position_dtype = "<u2" if not len(flat) or flat.max() < 1 << 16 else "<u4"
        arrays[:0] = [
            ("docs", np.concatenate([f.docs for f in self.fields]) if self.fields
             else np.empty(0, self.docs_dtype)),
            ("hashes", np.array(hashes, dtype="<u8")[order]),
            ("starts", starts.astype(_offset_dtype(start))[order]),
            ("counts", counts.astype("<u4")[order]),
            ("key_ends", key_ends.astype(_offset_dtype(key_ends[-1] if len(key_ends) else 0))),
            ("keys", np.frombuffer(b"".join(sorted_keys), dtype=np.uint8)),
            ("pos_starts", pos_starts.astype(_offset_dtype(pos_start))[order]),
            ("positions", flat.astype(position_dtype)),
        ]
        return _layout(header, arrays)


@dataclass
class _Field:
    name: str
    names: list[bytes]
    lengths: list[int]  # postings per term
    docs: np.ndarray
    weights: np.ndarray
    positions: np.ndarray | None = None  # every posting's positions, one after the other
    term_positions: list[int] | None = None  # positions per term


def _positions(values: list[Any], decode: Callable[[bytes], list[int]],
               weights: np.ndarray) -> tuple[np.ndarray | None, list[int] | None]:
    """Every posting's positions decoded from Whoosh's values, and how many each term holds.
    None when a posting's count of positions is not its weight (the reader relies on it to find
    each posting's positions)."""
    deltas = _position_deltas(values, decode)
    counts = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
    if len(counts) != len(weights) or not np.array_equal(counts, weights):
        return None, None
    try:
        flat = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=int(counts.sum()))
    except (TypeError, ValueError):  # not integers: leave this field's positions to Whoosh
        return None, None
    if _whoosh_positions(decode) and len(flat):
        # deltas from the previous position, restarting at every posting: a running sum minus
        # the sum of everything before the posting
        sums = np.cumsum(flat)
        first = np.cumsum(counts) - counts
        before = np.zeros(len(counts), dtype=np.int64)
        some = counts > 0
        before[some] = sums[first[some]] - flat[first[some]]
        flat = sums - np.repeat(before, counts)
    held = np.add.reduceat(counts, _term_starts(values)) if len(counts) else counts
    return flat, [int(h) for h in held]


def _whoosh_positions(decode: Callable[[bytes], list[int]]) -> bool:
    """Whether ``decode`` is Whoosh's own ``Positions.decode_positions`` (values: the count in
    4 bytes, then a pickled list of deltas)."""
    return getattr(decode, "__func__", None) is Positions.decode_positions


def _term_starts(values: list[Any]) -> np.ndarray:
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return np.cumsum(lengths) - lengths


def _position_deltas(values: list[Any], decode: Callable[[bytes], list[int]]) -> list[list[int]]:
    """Per posting: the deltas Whoosh's ``Positions`` encodes (its value is the count, 4 bytes,
    then a pickled list of deltas, unpickled here in C; the running sum is taken with numpy), or
    for another format its decoded positions. Most values repeat (a single position near the
    start of a document): each distinct value is read once."""
    decoded = _Decoded(decode)
    return list(map(decoded.__getitem__, chain.from_iterable(values)))


class _Decoded(dict):
    """value bytes -> what ``_position_deltas`` keeps of it, each distinct value decoded once."""

    def __init__(self, decode: Callable[[bytes], list[int]]) -> None:
        super().__init__()
        self.decode = decode
        self.whoosh_positions = _whoosh_positions(decode)

    def __missing__(self, value: bytes) -> list[int]:
        if self.whoosh_positions:  # as Positions.decode_positions reads it, deltas kept
            pickled = value[_INT_SIZE:]
            found = loads(pickled if pickled.endswith(b".") else pickled + b".")
        else:
            found = self.decode(value)
        self[value] = found
        return found


def _offset_dtype(largest: int) -> str:
    return "<u4" if largest < 1 << 32 else "<u8"


def _flatten(parts: list[Any], dtype: np.dtype, total: int) -> np.ndarray:
    """One array of the terms' lists (the writer's) or arrays (the converter's)."""
    if parts and isinstance(parts[0], np.ndarray):
        return np.concatenate(parts).astype(dtype)
    return np.fromiter(chain.from_iterable(parts), dtype=dtype, count=total)


def _compact(weights: np.ndarray) -> np.ndarray:
    """The smallest type holding every (float32) weight exactly."""
    if len(weights) and np.all(weights == np.floor(weights)) and weights.min() >= 0:
        top = weights.max()
        for dtype in ("<u1", "<u2"):
            if top <= np.iinfo(dtype).max:
                return weights.astype(dtype)
    return weights.astype("<f4")


def _layout(header: dict[str, Any], arrays: list[tuple[str, np.ndarray]]) -> list[bytes]:
    """The file's pieces: the header records each array's offset, dtype and length."""
    places: dict[str, list[Any]] = {}
    header["arrays"] = places
    # The header's own length decides where the arrays start: fix it with generous offsets
    # first (their digits only shrink or stay), then pad the real header to that length.
    for name, array in arrays:
        places[name] = [10 ** 15, array.dtype.str, len(array)]
    header["size"] = 10 ** 15
    reserved = _padded(len(json.dumps(header).encode("ascii")) + 16)
    offset = reserved
    for name, array in arrays:
        places[name][0] = offset
        offset = _padded(offset + array.nbytes)
    header["size"] = offset + len(END)
    encoded = json.dumps(header).encode("ascii")
    pieces = [MAGIC, len(encoded).to_bytes(8, "little"), encoded.ljust(reserved - 16, b" ")]
    position = reserved
    for name, array in arrays:
        pieces.append(array.tobytes())
        position += array.nbytes
        pad = _padded(position) - position
        pieces.append(b"\0" * pad)
        position += pad
    pieces.append(END)
    return pieces


def _padded(n: int) -> int:
    return (n + _ALIGN - 1) // _ALIGN * _ALIGN


# --- reading ---------------------------------------------------------------------------------
class _Stored:
    """A large array of the file, read slice by slice with ``pread``: a cold term costs one
    read each, and the pages read stay in the page cache, not in this process's memory."""

    def __init__(self, handle: Any, offset: int, dtype: np.dtype, count: int) -> None:
        self.handle, self.offset, self.dtype, self.count = handle, offset, dtype, count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, part: slice) -> np.ndarray:
        start, stop, _ = part.indices(self.count)
        size = max(0, stop - start) * self.dtype.itemsize
        data = os.pread(self.handle.fileno(), size, self.offset + start * self.dtype.itemsize)
        if len(data) != size:
            raise ValueError(f"short read from {self.handle.name}")
        return np.frombuffer(data, dtype=self.dtype)


@dataclass
class Sidecar:
    """An open, validated sidecar: the term table memory-mapped, postings read by slices."""

    path: Path
    doccount: int
    fields: dict[str, tuple[int, int, _Stored, bool]]  # field -> (lo, hi, weights, positions?)
    docs: _Stored
    hashes: np.ndarray
    starts: np.ndarray
    counts: np.ndarray
    key_ends: np.ndarray
    keys: np.ndarray
    pos_starts: np.ndarray | None = None
    positions_flat: _Stored | None = None

    def postings(self, field: str, tbytes: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """(document numbers as int64, weights as float64) of a term, or None when the segment
        does not hold it."""
        where = self._find(field, tbytes)
        if where is None:
            return None
        start, count = int(self.starts[where]), int(self.counts[where])
        lo, _hi, weights, _positions = self.fields[field]
        return (self.docs[start:start + count].astype(np.int64),
                weights[start - lo:start - lo + count].astype(np.float64))

    def has_positions(self, field: str) -> bool:
        found = self.fields.get(field)
        return bool(found and found[3] and self.positions_flat is not None)

    def positions(self, field: str, tbytes: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """(every posting's positions one after the other, how many each posting has) of a
        term, or None when the sidecar has no positions for it."""
        if not self.has_positions(field):
            return None
        where = self._find(field, tbytes)
        if where is None:
            return None
        start, count = int(self.starts[where]), int(self.counts[where])
        lo, _hi, weights, _positions = self.fields[field]
        counts = weights[start - lo:start - lo + count].astype(np.int64)
        first = int(self.pos_starts[where])
        return self.positions_flat[first:first + int(counts.sum())].astype(np.int64), counts

    def _find(self, field: str, tbytes: bytes) -> int | None:
        bounds = self.fields.get(field)
        if bounds is None:
            return None
        key = term_hash(field, tbytes)
        hashes, key_ends = self.hashes, self.key_ends
        where = int(hashes.searchsorted(np.uint64(key)))
        while where < len(hashes) and int(hashes[where]) == key:
            first = int(key_ends[where - 1]) if where else 0
            start = int(self.starts[where])
            if (self.keys[first:int(key_ends[where])].tobytes() == tbytes
                    and bounds[0] <= start < bounds[1]):
                return where
            where += 1
        return None


def open_sidecar(path: str | Path, doccount: int | None = None) -> Sidecar | None:
    """The sidecar at ``path``, or None when it is missing, incomplete or not for a segment of
    ``doccount`` documents."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            if handle.read(8) != MAGIC:
                return None
            length = int.from_bytes(handle.read(8), "little")
            if length > size:
                return None
            header = json.loads(handle.read(length))
            if header.get("size") != size or header.get("version") != 1:
                return None
            handle.seek(size - len(END))
            if handle.read(len(END)) != END:
                return None
        if doccount is not None and header["doccount"] != doccount:
            return None
        # a plain array over the map: slices of an np.memmap each pay for its bookkeeping
        mapped = np.memmap(path, dtype=np.uint8, mode="r").view(np.ndarray)
        handle = open(path, "rb")  # noqa: SIM115 - lives as long as the sidecar
    except (OSError, ValueError, KeyError, TypeError):
        return None

    def array(name: str) -> np.ndarray:
        offset, dtype, count = header["arrays"][name]
        dtype = np.dtype(dtype)
        return mapped[offset:offset + count * dtype.itemsize].view(dtype)

    def stored(name: str) -> _Stored:
        offset, dtype, count = header["arrays"][name]
        return _Stored(handle, offset, np.dtype(dtype), count)

    fields = {name: (b["lo"], b["hi"], stored(f"weights:{name}"), bool(b.get("positions")))
              for name, b in header["fields"].items()}
    positioned = "positions" in header["arrays"]
    return Sidecar(path, header["doccount"], fields, stored("docs"), array("hashes"),
                   array("starts"), array("counts"), array("key_ends"), array("keys"),
                   array("pos_starts") if positioned else None,
                   stored("positions") if positioned else None)


def for_leaf(leaf: Any) -> Sidecar | None:
    """The sidecar of a Whoosh segment reader's segment, if it has a readable one."""
    segment = getattr(leaf, "_segment", None)
    folder = getattr(getattr(leaf, "_storage", None), "folder", None)
    if segment is None or folder is None or segment.is_compound():
        return None
    return open_sidecar(Path(folder) / filename(segment), leaf.doc_count_all())


# --- converting a segment written without one ------------------------------------------------
def convert(leaf: Any, folder: str | Path | None = None) -> Path | None:
    """Write the sidecar of a live segment from its Whoosh postings (slow; one-off) into the
    segment's folder (or ``folder``). Adding a file does not disturb the index: Whoosh neither
    lists nor reads it, and deletes it with the segment."""
    segment = getattr(leaf, "_segment", None)
    folder = folder or getattr(getattr(leaf, "_storage", None), "folder", None)
    if segment is None or folder is None or segment.is_compound():
        return None
    builder = Builder(leaf.doc_count_all())
    fields: dict[str, list[Any]] = {}
    for (field, tbytes), info in leaf._terms.items():  # Whoosh's order: field, then term
        fields.setdefault(field, []).append((tbytes, info))
    for field, terms in fields.items():
        decode = _position_decoder(leaf.schema[field])
        builder.add_field(field, ((tbytes, *read_segment_postings(leaf, field, tbytes, info,
                                                                  decode is not None))
                                  for tbytes, info in terms), decode)
    return builder.write(folder, segment)


def _position_decoder(field: Any) -> Callable[[bytes], list[int]] | None:
    """The field's ``decode_positions`` when its postings hold positions."""
    form = getattr(field, "format", None)
    return form.decode_positions if form is not None and form.supports("positions") else None


def convert_index(index_dir: str | Path, name: str = "MAIN") -> list[Path]:
    """Sidecars for every segment of an index that lacks a readable one."""
    from whoosh import index as whoosh_index

    written = []
    reader = whoosh_index.open_dir(str(index_dir), indexname=name).reader()
    try:
        for leaf, _offset in reader.leaf_readers():
            if for_leaf(leaf) is None:
                path = convert(leaf)
                if path is not None:
                    written.append(path)
    finally:
        reader.close()
    return written


__all__ = [
    "EXTENSION",
    "Builder",
    "Sidecar",
    "convert",
    "convert_index",
    "filename",
    "for_leaf",
    "open_sidecar",
    "term_hash",
]
