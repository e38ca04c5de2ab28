"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb and pg_ctl in a temp dir, on a free port.

Run as root, the cluster belongs to the `postgres` user (initdb refuses root). Debian's binaries live in
/usr/lib/postgresql/<version>/bin; scripts/setup-debian.sh installs them.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory, or None when there is none."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One initdb'd cluster; `url` reaches its `newsgraph` database over TCP on 127.0.0.1."""

    def __init__(self, bin_dir: Path | None = None):
        self.bin = bin_dir or pg_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (sh scripts/setup-debian.sh)")
        self.dir = Path(tempfile.mkdtemp(prefix="newsgraph-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, cwd=self.dir)

    @property
    def db_user(self) -> str:
        return self.user or os.environ.get("USER") or "postgres"

    def url(self, db: str = "newsgraph") -> str:
        return f"postgresql://{self.db_user}@127.0.0.1:{self.port}/{db}"

    def start(self) -> Cluster:
        if self.user:
            shutil.chown(self.dir, self.user)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", self.db_user, "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        # Throwaway data: durability off makes the suite several times faster. In the config file, so a restart
        # keeps the port.
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as f:
            f.write(f"port = {self.port}\nunix_socket_directories = '{self.dir}'\nlisten_addresses = '127.0.0.1'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n")
        self.start_again()
        self.create_db("newsgraph")
        return self

    def create_db(self, name: str, *options: str) -> str:
        """A new database; `options` go to createdb (e.g. "--template=template0", "--locale-provider=icu")."""
        self._run("createdb", "-h", str(self.dir), "-p", str(self.port), "-U", self.db_user, *options, name)
        return self.url(name)

    def restart(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "restart")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def start_again(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "start")

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
