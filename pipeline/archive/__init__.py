"""The archive: catalog (SQLite), stored originals, ingest runs, versions, archival codes.

The stages here take the home (``pipeline.home.Home``); ``pipeline.facade.Archive`` above them is
the one object the CLI and the web app talk to.
"""
