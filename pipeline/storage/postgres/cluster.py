"""A throwaway PostgreSQL cluster in a folder: ``initdb`` + ``pg_ctl`` on a Unix socket.

Tests, benchmarks and a first trial start one with ``start_cluster(folder)``; it listens on a
socket in a short-named temporary folder (no TCP port is opened), trusts local connections and
is stopped and deleted by ``Cluster.stop()``. Run as root (CI), the server runs as the
``postgres`` user (PostgreSQL refuses to run as root) through ``runuser``. Durability is switched
off (``fsync=off``): a throwaway cluster holds nothing that must survive a power cut.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SUPERUSER = "gongwen"
DATABASE = "gongwen"
SERVER_OPTIONS = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                  " -c listen_addresses='' -c max_connections=40 -c shared_buffers=128MB")


def bin_dir() -> Path | None:
    """The newest PostgreSQL server binaries on this machine (Debian's layout), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name.split(".")[0]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    """A port number for the socket's name (.s.PGSQL.PORT); nothing listens on TCP."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    data: Path
    sockets: Path
    port: int
    binaries: Path
    owner: str | None  # the OS user the server runs as when started by root

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@/{DATABASE}?host={self.sockets}&port={self.port}"

    def run(self, *command: str) -> subprocess.CompletedProcess:
        argv = [str(self.binaries / command[0]), *command[1:]]
        if self.owner:
            argv = ["runuser", "-u", self.owner, "--", *argv]
        return subprocess.run(argv, check=True, capture_output=True, text=True)

    def stop(self) -> None:
        """Stop the server and delete its folders."""
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.data.parent, ignore_errors=True)
        shutil.rmtree(self.sockets, ignore_errors=True)


def start_cluster(folder: str | Path | None = None) -> Cluster:
    """Create and start a cluster under ``folder`` (a new temporary folder by default), with a
    database ``gongwen`` owned by the superuser ``gongwen``. Raises ``RuntimeError`` when no
    PostgreSQL binaries are installed."""
    binaries = bin_dir()
    if binaries is None:
        raise RuntimeError("未找到 PostgreSQL 程序（initdb）：请安装 postgresql")
    root = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="gongwen-pg-"))
    root.mkdir(parents=True, exist_ok=True)
    sockets = Path(tempfile.mkdtemp(prefix="gwpg-"))  # short: a socket path has ~100 bytes
    owner = "postgres" if os.geteuid() == 0 else None
    if owner:
        for path in (root, sockets):
            shutil.chown(path, owner, owner)
    cluster = Cluster(root / "data", sockets, _free_port(), binaries, owner)
    cluster.run("initdb", "-D", str(cluster.data), "-A", "trust", "-U", SUPERUSER,
                "-E", "UTF8", "--locale=C", "--no-sync")
    cluster.run("pg_ctl", "-D", str(cluster.data), "-l", str(root / "server.log"), "-w",
                "-o", f"{SERVER_OPTIONS} -k {sockets} -p {cluster.port}", "start")
    cluster.run("createdb", "-h", str(sockets), "-p", str(cluster.port), "-U", SUPERUSER, DATABASE)
    return cluster


def create_database(server: str) -> str:
    """A new, empty database on the server ``server`` (a URL whose user may create databases);
    its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
