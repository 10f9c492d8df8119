"""Where the benchmarks find the real public documents: ``../shared/corpus`` beside the checkout,
or the folder ``GONGWEN_CORPUS`` names (a checkout elsewhere, e.g. a git worktree)."""

from __future__ import annotations

import os
from pathlib import Path

CORPUS = Path(os.environ.get("GONGWEN_CORPUS")
              or Path(__file__).resolve().parents[2] / "shared" / "corpus")
