"""The web app (``gongwen serve``): search, a document's page, batch ingest with a live counter.

A thin layer over ``pipeline.Archive`` like the CLI: pages are rendered on the server (Jinja2),
the JSON endpoints return what the CLI's ``--json`` prints.
"""

from __future__ import annotations

from pipeline.web.app import create_app

__all__ = ["create_app"]
