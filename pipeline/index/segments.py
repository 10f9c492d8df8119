"""A leaner Whoosh segment writer: the same W3 segment, a fraction of the Python work.

Whoosh's ``SegmentWriter`` sends every posting through a sorting pool as a 5-tuple, sorts them
all, then feeds them one by one to the W3 postings writer, which looks up the document's field
length, type-checks the posting and buffers it (~10-20 µs per posting; a bulk ingest writes
millions). ``FastSegmentWriter`` groups the postings per field and term in plain dicts as the
documents arrive (their document numbers only ever grow, so no sort is needed) and writes each
term's blocks in one go with the same compression, block statistics and term info as
``W3PostingsWriter``. One difference: a block's data is pickled with protocol 3, not 2. Protocol 2
writes each position string (``bytes``) as a call to ``_codecs.encode`` on a latin-1 text, which
makes the pickle ~2.5× larger and zlib ~6× slower on it; protocol 3 writes the bytes as they are.
Whoosh unpickles either (``pickle.loads``), so stock Whoosh reads the segment; the other files are
byte for byte the stock writer's (tests/test_segment_writer.py compares both writers' files and
everything read back through stock readers).

Everything else is Whoosh's own: the write lock, deletions, merge policy, stored fields, field
lengths, columns (the per-document writer) and the TOC.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from collections.abc import Callable, Iterator
from hashlib import md5
from operator import itemgetter, sub
from pickle import dumps
from typing import Any, NamedTuple

from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3Codec
from whoosh.fields import FieldType
from whoosh.filedb.filetables import _lengths, md5_hash
from whoosh.system import emptybytes, pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from pipeline.index import sidecar
from pipeline.index.analysis import packed_count

# field name -> term bytes -> flat [docnum, weight, value, docnum, weight, value, ...]
Postings = dict[str, dict[bytes, list[Any]]]


class Columns(NamedTuple):
    """One field value's postings (``format.postings``) as columns: what an ingest worker sends
    the parent. Pickling 2 million little (term, freq, weight, value) tuples cost the workers
    ~1 s and the parent ~1.2 s on the 656-file benchmark; columns cost a fifth of that, and the
    terms arrive already encoded."""

    terms: bytes  # UTF-8 terms joined by NUL (no term holds one: ``of`` checks)
    counts: array  # each term's frequency ("I")
    values: list[bytes] | None  # each term's value bytes; None: the frequency's packed count

    @classmethod
    def of(cls, postings: list[tuple[str, int, float, bytes]], positions: bool) -> Columns | None:
        """The columns of ``postings`` from one of pipeline.index.analysis's formats (each weight
        is the frequency times the format's field boost; ``items`` computes it again), or None
        when a term holds a NUL."""
        terms = "\0".join(map(itemgetter(0), postings))
        if terms.count("\0") != max(len(postings) - 1, 0):
            return None
        values = list(map(itemgetter(3), postings)) if positions else None
        return cls(terms.encode("utf-8"), array("I", map(itemgetter(1), postings)), values)

    def items(self, field_boost: float) -> Iterator[tuple[bytes, int, float, bytes]]:
        """(term bytes, frequency, weight, value bytes) as ``FieldType.index`` gives them."""
        if not self.counts:
            return iter(())
        values = self.values if self.values is not None else map(packed_count, self.counts)
        weights = (count * field_boost for count in self.counts)
        return zip(self.terms.split(b"\0"), self.counts, weights, values)


class FastSegmentWriter(SegmentWriter):
    """A ``SegmentWriter`` whose postings bypass the sorting pool (see the module docstring)."""

    def __init__(self, ix: Any, preanalysed: Callable[[str, str], Columns | None] | None = None,
                 **kwargs: Any) -> None:
        """``preanalysed(fieldname, value)``: that value's postings as ``Columns`` when already
        known (analysed in another process), else None."""
        self._preanalysed = preanalysed
        for name, field in ix.schema.items():  # checked before the write lock is taken
            if field.vector or field.separate_spelling():
                raise ValueError(f"FastSegmentWriter does not write vectors or spelling ({name})")
        super().__init__(ix, **kwargs)
        if not isinstance(self.codec, W3Codec) or self.codec._inlinelimit > 1:
            self.cancel()
            raise ValueError("FastSegmentWriter writes W3 segments without inline postings only")
        self._postings: Postings = {}
        self._foreign: list[Callable[[], Any]] = []  # segments of other processes

    def add_segment(self, segment_of: Callable[[], Any]) -> None:
        """Another process writes a segment for this commit (without the lock, which this
        writer holds); ``segment_of()`` waits for it and returns it. It is called once this
        writer's own segment is written (so both are written at once) and joins the index in
        the same commit, before this writer's segment (its documents are numbered first). An
        exception it raises cancels the commit."""
        self._foreign.append(segment_of)

    def _commit_toc(self, segments: list[Any]) -> None:
        if self._foreign:  # the commit appended this writer's own segment last, if any
            own = segments[-1:] if self._added else []
            segments = segments[:len(segments) - len(own)]
            segments += [segment_of() for segment_of in self._foreign] + own
        super()._commit_toc(segments)

    # --- collecting ------------------------------------------------------------------------

    def add_document(self, **fields: Any) -> None:
        """Stock ``add_document`` (same stored values, lengths and columns), postings grouped."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    length = self._add_field_postings(fieldname, field, value, docnum, fieldboost)
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None,
                                       length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column,
                                                  field.to_column_value(customval))
        except ValueError:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_field_postings(self, fieldname: str, field: Any, value: Any, docnum: int,
                            fieldboost: float) -> int:
        """Group ``value``'s postings under their terms; the field length (sum of freqs)."""
        terms = self._postings.setdefault(fieldname, {})
        get = terms.get
        length = 0
        postings_of = getattr(field.format, "postings", None)  # pipeline.index.analysis formats
        items: Any = None
        if postings_of is not None and type(field).index is FieldType.index:
            columns = (self._preanalysed(fieldname, value)
                       if self._preanalysed is not None and isinstance(value, str) else None)
            if columns is not None:
                items = columns.items(field.format.field_boost)
            else:
                found = postings_of(value, field.analyzer)
                if found is not None:  # terms as str: encode them as FieldType.index does
                    items = [(w.encode("utf-8"), freq, weight, vbytes)
                             for w, freq, weight, vbytes in found]
        if items is None:
            items = field.index(value)
        for tbytes, freq, weight, vbytes in items:
            length += freq
            entry = get(tbytes)
            if entry is None:
                terms[tbytes] = [docnum, weight * fieldboost, vbytes]
            else:
                entry += (docnum, weight * fieldboost, vbytes)
        return length if field.scorable else 0

    def add_postings_to_pool(self, reader: Any, startdoc: int, docmap: Any) -> None:
        """Merged segments' postings (renumbered after this writer's documents) join the dicts."""
        postings = self._postings
        for fieldname, tbytes, docnum, weight, vbytes in self._process_posts(
                reader.iter_postings(), startdoc, docmap):
            terms = postings.setdefault(fieldname, {})
            entry = terms.get(tbytes)
            if entry is None:
                terms[tbytes] = [docnum, weight, vbytes]
            else:
                entry += (docnum, weight, vbytes)

    # --- writing ---------------------------------------------------------------------------

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        # the postings sidecar (pipeline.index.sidecar), written before the commit makes the
        # segment visible; only where it can be memory-mapped (a folder, not a RAM storage)
        folder = getattr(self.storage, "folder", None)
        arrays = sidecar.Builder(self.docnum) if folder is not None and sidecar.enabled() else None
        try:
            write_postings(self.fieldwriter, self.schema, self.codec, lengths, self._postings,
                           self.docnum, arrays)
        finally:
            if lengths is not None:
                lengths.close()
        self._postings = {}
        self.fieldwriter.close()
        if arrays is not None:
            arrays.write(folder, self.newsegment)


def write_postings(fieldwriter: Any, schema: Any, codec: W3Codec, lengths: Any,
                   postings: Postings, doccount: int, arrays: sidecar.Builder | None = None) -> None:
    """Write every field's terms, in Whoosh's order (field name, then term bytes); ``arrays``
    also receives each term's document numbers and weights."""
    terms_out = _TermIndex(fieldwriter._tindex)
    for fieldname in sorted(postings):
        fieldobj = schema[fieldname]
        fieldwriter.start_field(fieldname, fieldobj)
        terms = postings[fieldname]
        blocks = _BlockWriter(codec, fieldobj.format.fixed_value_size(),
                              _field_lengths(lengths, fieldname, doccount))
        postfile = fieldwriter._postfile
        offset = postfile.tell()
        chunks: list[bytes] = []
        records: list[tuple[bytes, bytes]] = []
        prefix = pack_ushort(fieldwriter._fieldid)
        collected: list[tuple[bytes, list[int], list[float], list[Any] | None]] = []
        positions = fieldobj.format.supports("positions")
        for tbytes in sorted(terms):
            flat = terms[tbytes]
            ids, weights, values = flat[0::3], flat[1::3], flat[2::3]
            data, info = blocks.term(ids, weights, values, offset)
            chunks.append(data)
            offset += len(data)
            records.append((prefix + tbytes, info))
            if arrays is not None:
                collected.append((tbytes, ids, weights, values if positions else None))
        postfile.write(emptybytes.join(chunks))
        terms_out.add_sorted(records)
        fieldwriter.finish_field()
        if arrays is not None:
            arrays.add_field(fieldname, collected,
                             fieldobj.format.decode_positions if positions else None)


def _field_lengths(lengths: Any, fieldname: str, doccount: int) -> list[int]:
    """Each document's (byte-quantised) length of ``fieldname``, 0 when none — what the stock
    writer reads per posting, read once per field."""
    if lengths is None:
        return [0] * doccount
    dfl = lengths.doc_field_length_reader(fieldname)
    return [dfl(docnum) or 0 for docnum in range(doccount)]


DATA_PICKLE_PROTOCOL = 3  # see the module docstring; the block info keeps Whoosh's protocol 2
_TERM_INFO = struct.Struct("!BfIBBfII")  # W3TermInfo's layout (flags 0: not inlined)


class _LengthBytes(dict):
    """``length_to_byte`` memoised (two calls per block; None -> 0 as in ``W3TermInfo``)."""

    def __missing__(self, length: int | None) -> int:
        self[length] = value = length_to_byte(length)
        return value


_LENGTH_BYTE = _LengthBytes()


class _BlockWriter:
    """Writes one field's posting blocks exactly as ``W3PostingsWriter`` does (but for the
    same term info."""

    def __init__(self, codec: W3Codec, fixed_size: int | None, doc_lengths: list[int]) -> None:
        self.blocklimit = codec._blocklimit
        self.compression = codec._compression
        self.fixed_size = -1 if fixed_size is None else fixed_size
        self.doc_lengths = doc_lengths

    def term(self, ids: list[int], weights: list[float], values: list[Any],
             offset: int) -> tuple[bytes, bytes]:
        """(postings bytes, term info bytes) of a term's postings."""
        count, limit = len(ids), self.blocklimit
        if count == 1:  # half the terms of a segment: rare words and bigrams
            block, total, minlength, maxlength, maxweight = self._single(ids[0], weights[0],
                                                                         values[0])
            data = WHOOSH3_HEADER_MAGIC + block
        elif count <= limit:
            block, total, minlength, maxlength, maxweight = self._block(ids, weights, values, True)
            data = WHOOSH3_HEADER_MAGIC + block
        else:
            chunks = [WHOOSH3_HEADER_MAGIC]
            total, minlength, maxlength, maxweight = 0, None, 0, 0
            for start in range(0, count, limit):
                end = start + limit
                block, btotal, bmin, bmax, bweight = self._block(
                    ids[start:end], weights[start:end], values[start:end], end >= count)
                chunks.append(block)
                total += btotal
                if minlength is None:
                    minlength = bmin
                elif bmin is not None:
                    minlength = min(minlength, bmin)
                maxlength, maxweight = max(maxlength, bmax), max(maxweight, bweight)
            data = emptybytes.join(chunks)
        info = _TERM_INFO.pack(0, total, count, _LENGTH_BYTE[minlength], _LENGTH_BYTE[maxlength],
                               maxweight, ids[0], ids[-1])
        return data, info + pack_long(offset) + pack_int(len(data))

    def _block(self, ids: list[int], weights: list[float], values: list[Any],
               last: bool) -> tuple[bytes, float, int | None, int, float]:
        """One block's bytes and its statistics (sum of 32-bit weights, min/max length, max
        weight) as ``W3PostingsWriter._write_block`` and ``W3TermInfo.add_block`` keep them."""
        count = len(ids)
        nonzero = list(filter(None, map(self.doc_lengths.__getitem__, ids)))
        minlength = min(nonzero) if nonzero else None
        maxlength = max(nonzero) if nonzero else 0
        deltas = tuple(map(sub, ids, [0, *ids]))  # each id minus the one before (the first: 0)
        stored = array("f", weights)  # the block keeps 32-bit floats
        if stored.count(1.0) == count:
            mini_weights: Any = None
        elif stored.count(stored[0]) == count:
            mini_weights = stored[0]
        else:
            mini_weights = tuple(stored)
        fixed = self.fixed_size
        if fixed < 0:
            mini_values: Any = tuple(filter(None, values))  # the stock writer skips empties
        elif fixed == 0:
            mini_values = None
        else:
            mini_values = emptybytes.join(filter(None, values))
        maxweight = max(0, max(weights))
        block = self._bytes(count, ids[-1], maxweight, minlength, maxlength,
                            (deltas, mini_weights, mini_values), last)
        return block, sum(stored), minlength, maxlength, maxweight

    def _single(self, docnum: int, weight: float, value: Any
                ) -> tuple[bytes, float, int | None, int, float]:
        """``_block`` of a term's only posting (the same bytes and statistics, less work)."""
        length = self.doc_lengths[docnum]
        minlength = length or None
        stored = array("f", (weight,))[0]  # the 32-bit float the block keeps
        fixed = self.fixed_size
        if fixed < 0:
            mini_values: Any = (value,) if value else ()
        elif fixed == 0:
            mini_values = None
        else:
            mini_values = value or emptybytes
        maxweight = max(0, weight)
        block = self._bytes(1, docnum, maxweight, minlength, length,
                            ((docnum,), None if stored == 1.0 else stored, mini_values), True)
        return block, stored, minlength, length, maxweight

    def _bytes(self, count: int, last_id: int, maxweight: float, minlength: int | None,
               maxlength: int, data: tuple[Any, Any, Any], last: bool) -> bytes:
        """A block as ``W3PostingsWriter._write_block`` lays it out: its size (negative for a
        term's last block), the pickled block info, the (compressed) pickled data."""
        databytes = dumps(data, DATA_PICKLE_PROTOCOL)
        comp = self.compression if len(databytes) >= COMPRESSION_MIN_SIZE else 0
        if comp:
            databytes = zlib.compress(databytes, comp)
        infobytes = dumps((count, last_id, maxweight, comp, _LENGTH_BYTE[minlength],
                           _LENGTH_BYTE[maxlength]), 2)
        size = len(infobytes) + len(databytes)
        return pack_int(-size if last else size) + infobytes + databytes


class _TermIndex:
    """Adds sorted (key, term info) records to the segment's ``OrderedHashWriter`` in one write
    each, keeping its bookkeeping (key positions, hash buckets, last key) as ``add`` would."""

    def __init__(self, tindex: Any) -> None:
        self.tindex = tindex
        self.hashfn = _md5_low32 if tindex.hashfn is md5_hash else tindex.hashfn

    def add_sorted(self, records: list[tuple[bytes, bytes]]) -> None:
        if not records:
            return
        tindex = self.tindex
        if records[0][0] <= tindex.lastkey:
            raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{records[0][0]!r}")
        dbfile, hashfn, buckets = tindex.dbfile, self.hashfn, tindex.buckets
        pos = dbfile.tell()
        positions, pieces = [], []
        pack_lengths = _lengths.pack
        for key, value in records:
            positions.append(pos)
            h = hashfn(key)
            buckets[h & 255].append((h, pos))
            piece = pack_lengths(len(key), len(value)) + key + value
            pieces.append(piece)
            pos += len(piece)
        tindex.index.extend(positions)
        dbfile.write(emptybytes.join(pieces))
        tindex.lastkey = records[-1][0]


def _md5_low32(key: bytes) -> int:
    """``filetables.md5_hash`` (the low 32 bits of the MD5 digest) without the hex round trip."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")


__all__ = ["FastSegmentWriter", "write_postings"]
