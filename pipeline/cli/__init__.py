"""Command-line interface: a thin layer over ``pipeline.Archive``."""
