"""``gongwen ingest --db`` killed (SIGKILL) while it writes to the database: the rerun finishes
the rest, nothing twice, and the database verifies clean."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from tests.postgres_cluster import pg_server, pg_url  # noqa: F401

DOCX = ("001_shenyi_minsheng.docx", "004_shenyi_huanbao.docx", "007_zhuren_huiyi_jiyao.docx",
        "010_jianghua_bimuhui.docx", "013_jueyi_jihua.docx", "016_tongzhi_lianhe.docx",
        "024_jianbao.docx", "028_gonggao.docx")


def test_a_killed_publish_is_finished_by_the_rerun(tmp_path: Path, sample_corpus: Path,
                                                    pg_url: str) -> None:  # noqa: F811
    source = tmp_path / "source"
    source.mkdir()
    for name in DOCX:
        shutil.copy(sample_corpus / "generated" / "docx" / name, source / name)
    home = tmp_path / "home"
    command = [sys.executable, "-m", "pipeline.cli.main", "--home", str(home), "--db", pg_url,
               "ingest", str(source), "--json", "--no-progress"]
    env = {**os.environ, "GONGWEN_PUBLISH_BATCH": "1"}  # one transaction per document
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        written = 0
        while child.poll() is None and written == 0:
            if conn.execute("SELECT to_regclass('documents')").fetchone()[0]:
                written = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            time.sleep(0.02)
        killed = child.poll() is None
        if killed:
            child.send_signal(signal.SIGKILL)
        child.wait()
        midway = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert killed and 0 < midway < len(DOCX)  # stopped between two of its transactions
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    with psycopg.connect(pg_url) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM documents")]
    assert len(ids) == len(set(ids)) == len(DOCX)  # every document once
    assert summary["database"]["documents"] == len(DOCX) - midway  # the rest, nothing again
    check = subprocess.run([*command[:5], "--db", pg_url, "verify", "--json", "--no-progress"],
                           capture_output=True, text=True, timeout=600, check=False)
    assert json.loads(check.stdout)["ok"], check.stdout
