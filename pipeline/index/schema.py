"""The Whoosh schema: one record per document (``kind=doc``) and one per passage (``kind=passage``).

Text fields come in pairs: ``<name>`` holds jieba words, ``<name>_bg`` character bigrams. Document
records are what a search matches, counts and facets (their body holds every passage, so a document
matches whenever one of its passages does); passage records rank and supply snippets and excerpts.
"""

from __future__ import annotations

from whoosh import fields

from pipeline.index.analysis import bigram_analyzer, word_analyzer

SCHEMA_VERSION = 1

DOC, PASSAGE = "doc", "passage"


def build_schema() -> fields.Schema:
    words, bigrams = word_analyzer(), bigram_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        kind=fields.ID(stored=True),
        parent=fields.ID(stored=True),
        # analysed text, words + bigrams
        title=fields.TEXT(analyzer=words, stored=True, phrase=False),
        title_bg=fields.TEXT(analyzer=bigrams, phrase=True),
        body=fields.TEXT(analyzer=words, phrase=False),
        body_bg=fields.TEXT(analyzer=bigrams, phrase=True),
        issuer_bg=fields.TEXT(analyzer=bigrams, phrase=True),
        recipients_bg=fields.TEXT(analyzer=bigrams, phrase=True),
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
        # stored only
        path=fields.STORED(),
        section=fields.STORED(),
        text=fields.STORED(),  # passage text (snippets, excerpts)
        position=fields.STORED(),  # passage number within the document
    )
