"""The Whoosh schema: one record per document, its passages stored (not indexed) with it.

Text fields come in pairs: ``<name>`` holds jieba words, ``<name>_bg`` character bigrams. Only the
document records are indexed — the body once as words and once as bigrams (with positions for
phrases). Passages (sections or paragraphs grouped to ~400 characters) are stored as a list in the
record; a search scores the passages of its top candidates only, in Python, from the query's terms
(``pipeline.index.passages``), and takes snippets from them. An index with a different
``SCHEMA_VERSION`` is rebuilt from the catalog (``pipeline.archive.sync``).
"""

from __future__ import annotations

from whoosh import fields

from pipeline.index.analysis import FastFrequency, FastPositions, bigram_analyzer, word_analyzer

SCHEMA_VERSION = 6  # 3: near-copy signatures (pipeline.index.nearcopy); 4: access (内部); 5: title_derived stored;
# 6: adoption notes indexed

DOC = "doc"
# ``access`` of every record: a search for someone not granted 内部 documents keeps only "open"
# (a filter term inside the query, so totals, facets and suggestions never count the others)
ACCESS_OPEN, ACCESS_RESTRICTED = "open", "restricted"


def _text(analyzer, phrase: bool, stored: bool = False) -> fields.TEXT:
    field = fields.TEXT(analyzer=analyzer, stored=stored, phrase=phrase)
    field.format = (FastPositions if phrase else FastFrequency)(field_boost=1.0)
    return field


def build_schema() -> fields.Schema:
    words, bigrams = word_analyzer(), bigram_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        kind=fields.ID(stored=True),
        # analysed text, words + bigrams
        title=_text(words, phrase=False, stored=True),
        title_bg=_text(bigrams, phrase=True),
        body=_text(words, phrase=False),
        body_bg=_text(bigrams, phrase=True),
        issuer_bg=_text(bigrams, phrase=True),
        recipients_bg=_text(bigrams, phrase=True),
        # exact keys
        doc_number=fields.STORED(),
        doc_key=fields.ID(stored=True),
        issuer=fields.KEYWORD(stored=True, commas=True, lowercase=False),
        issuer_facet=fields.ID(sortable=True),  # "A|B" for joint documents, split when counting
        genre=fields.ID(stored=True, sortable=True),
        date=fields.ID(stored=True, sortable=True),
        year=fields.ID(stored=True, sortable=True),
        topics=fields.KEYWORD(stored=True, commas=True, lowercase=False),
        keys=fields.KEYWORD(commas=True, lowercase=False),  # session keys (届12次3)
        access=fields.ID(),  # ACCESS_OPEN | ACCESS_RESTRICTED
        # stored only
        path=fields.STORED(),
        passages=fields.STORED(),  # [[section, text, folded text or None], ...]
        nearsig=fields.STORED(),  # bytes: pipeline.index.nearcopy.signature of the body
        title_derived=fields.STORED(),  # True when the title was composed from the text
    )
