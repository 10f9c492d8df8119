"""The held-out bases of the seeded-error set: source texts the default set never reads.

``make_set.py OUT --bases heldout`` lays out these sources instead of the default ones, with the
same writer and the same seeding code, so that a checker whose rules were fixed after looking at
the default set can be measured on documents nobody has tuned it on.

The pool is chosen by a fixed rule, not by hand:

- every file of the pools the default set reads (``state_council/``, ``npc_resolutions/``,
  ``renda_more/resolutions_decisions/``, the project's ``corpus/sources/``) that the default set
  does not read, of a genre the default set lays out (通知 意见 函 批复 决定 通报 请示 报告 审议意见
  纪要 讲话稿 决议; a State Council file's genre from ``labels.tsv``);
- left out: joint documents (two issuing organs: the writer lays out one), sources that carry a
  份号 or 密级 (classified texts are not laid out), and ``renda_more`` texts that are page excerpts
  (``complete=no`` in its MANIFEST) or have no title line (which leaves none of them);
- where one pool holds more than ``CAP`` files of one genre, the ``CAP`` whose file names have the
  smallest MD5;
- in each of three groups (State Council 通知, State Council 意见, sources' 讲话稿) the chosen file with
  the smallest MD5 is filled into the GB/T 9704 Word template, as the default set does with three;
- thirteen documents written for this set (``heldout_sources/``, in the sources' front-matter
  form, key ``hw`` + the file's prefix), before the checker ran on it: every 请示 of
  ``corpus/sources`` is used by the default set and the pools hold no unused 报告, and the chosen
  通知 and 函 have too few dates to replace with a relative one, so 请示 3, 通知 2, 报告 2 (上行文
  with 签发人), 函 2 (信函格式: a 商请函 and a 复函), 决定 2 (one issued with a 文号, one as adopted)
  and 审议意见 2, from five fictional counties and districts (桐川 石溪 南屏 枫林 澄江) that
  neither the default set nor the project names.

Then, as for the default set, ``make_set.screen`` drops a text with a fault of a seeded kind.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CAP = 6
GENRES = {"通知", "意见", "函", "批复", "决定", "通报", "请示", "报告", "审议意见", "纪要", "讲话稿", "决议"}
TEMPLATE_GROUPS = [("state_council", "通知"), ("state_council", "意见"), ("sources", "讲话稿")]


@dataclass
class Base:
    key: str
    pool: str          # state_council | sources | npc_resolutions | written
    path: Path
    genre: str
    layout: str = ""   # state_council only: standard | letter
    template: bool = False


def md5(name: str) -> str:
    return hashlib.md5(name.encode("utf-8")).hexdigest()


def capped(bases: list[Base]) -> list[Base]:
    """At most CAP bases of each (pool, genre), the ones whose file names have the smallest MD5."""
    groups: dict[tuple[str, str], list[Base]] = {}
    for b in bases:
        groups.setdefault((b.pool, b.genre), []).append(b)
    out: list[Base] = []
    for (pool, genre), members in sorted(groups.items()):
        chosen = sorted(members, key=lambda b: md5(b.path.name))[:CAP]
        if (pool, genre) in TEMPLATE_GROUPS and chosen:
            chosen[0].template = True
            chosen[0].key = "tpl_" + chosen[0].key
        out += sorted(chosen, key=lambda b: b.path.name)
    return out


def state_council_bases(corpus: Path, used_prefixes: set[str]) -> list[Base]:
    with (corpus / "state_council" / "labels.tsv").open(encoding="utf-8") as fh:
        labels = list(csv.DictReader(fh, delimiter="\t"))
    out = []
    for row in labels:
        name, genre = row["file"], row["wenzhong"]
        if name[:4] in used_prefixes or genre not in GENRES or "、" in row["issuer"]:
            continue
        out.append(Base("hsc" + name[:3], "state_council", corpus / "state_council" / name, genre,
                        "letter" if genre == "函" else "standard"))
    return out


def front_matter(path: Path) -> dict[str, str]:
    _, front, _ = path.read_text(encoding="utf-8").split("---\n", 2)
    return {k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in front.splitlines())}


def source_bases(sources: Path, used_prefixes: set[str]) -> list[Base]:
    out = []
    for path in sorted(sources.glob("*.txt")):
        meta = front_matter(path)
        if path.name[:3] in used_prefixes or meta["genre"] not in GENRES:
            continue
        if "|" in meta.get("organ_mark", "") or meta.get("secrecy") or meta.get("copy_number"):
            continue
        out.append(Base("hsrc" + path.name[:3], "sources", path, meta["genre"]))
    return out


def npc_bases(corpus: Path, used_names: set[str]) -> list[Base]:
    return [Base(f"hnpc_{md5(p.name)[:6]}", "npc_resolutions", p, "决议")
            for p in sorted((corpus / "npc_resolutions").glob("*.txt")) if p.name not in used_names]


def renda_bases(corpus: Path, used_rels: set[str]) -> list[Base]:
    """Complete renda_more resolutions whose first line is a title; none qualify today (the
    complete ones open with the adoption note or the body), so this returns an empty list."""
    with (corpus / "renda_more" / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t")
                if r["path"].startswith("resolutions_decisions/") and r["complete"] == "yes"
                and r["path"] not in used_rels]
    out = []
    for r in rows:
        path = corpus / "renda_more" / r["path"]
        first = next(ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip())
        if first.startswith("关于") or ("关于" in first and first.endswith(("决议", "决定"))):
            out.append(Base("hrd_" + path.stem, "renda_more", path, r["genre"]))
    return out


def written_bases() -> list[Base]:
    return [Base("hw" + p.name.split("_")[0], "written", p, front_matter(p)["genre"])
            for p in sorted((HERE / "heldout_sources").glob("*.txt"))]


def plan(corpus: Path, sources: Path, used: dict[str, set[str]]) -> list[Base]:
    """The held-out bases; ``used`` names what the default set reads in each pool."""
    pool = (state_council_bases(corpus, used["state_council"])
            + source_bases(sources, used["sources"])
            + npc_bases(corpus, used["npc_resolutions"])
            + renda_bases(corpus, used["renda_more"]))
    return capped(pool) + written_bases()
