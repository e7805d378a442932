"""A throw-away PostgreSQL server for the farm's tests: Debian's postgresql
binaries, a data directory and a Unix socket in a fresh temporary directory,
trust authentication, no TCP port (nothing to collide with on a shared host).

PostgreSQL refuses to run as root, and CI runs as root: then the server runs
as the `postgres` user Debian's package creates (or `nobody`), through
runuser, and the directory is handed to that user. The test process itself
(root or not) connects through the socket.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
TIMEOUT = 120


def missing():
    """Why a server cannot be started here (None: it can)."""
    for tool in ("initdb", "pg_ctl", "postgres", "createdb"):
        if not (PG_BIN / tool).exists():
            return f"{PG_BIN / tool} not installed: run `make deps` (Debian's postgresql-15)"
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "psycopg2 not installed: run `make deps` (Debian's python3-psycopg2)"
    if os.geteuid() == 0 and not _server_user():
        return "running as root and no unprivileged user (postgres, nobody) to run PostgreSQL"
    return None


def _server_user():
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    return None


class PgServer:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="farm-pg-"))
        self.data = self.dir / "data"
        self.sock = self.dir / "sock"
        self.log = self.dir / "server.log"
        self.user = _server_user() if os.geteuid() == 0 else None
        self.started = False
        self.databases = 0

    def _run(self, *cmd):
        if self.user is not None:
            cmd = ("runuser", "-u", self.user.pw_name, "--", *cmd)
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
        if proc.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)}: status {proc.returncode}: "
                               f"{proc.stdout}{proc.stderr}{log}")
        return proc.stdout

    def start(self):
        self.sock.mkdir()
        if self.user is not None:
            for p in (self.dir, self.sock):
                os.chown(p, self.user.pw_uid, self.user.pw_gid)
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "farm", "--auth=trust",
                  "-E", "UTF8", "--no-sync", "--no-instructions")
        opts = (f"-k {self.sock} -c listen_addresses='' -c max_connections=60 "
                f"-c shared_buffers=16MB")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", opts,
                  "-w", "-t", str(TIMEOUT), "start")
        self.started = True
        return self

    def new_database(self):
        """A fresh database: its URL (each test gets its own store)."""
        self.databases += 1
        name = f"farm{self.databases}"
        self._run(str(PG_BIN / "createdb"), "-h", str(self.sock), "-U", "farm", name)
        return f"postgresql:///{name}?host={self.sock}&user=farm"

    def stop(self):
        try:
            if self.started:
                self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                          "-t", "60", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
