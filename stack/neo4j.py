"""The optional graph store: Neo4j 5.26 community, an embedded DBMS with Bolt on 127.0.0.1.

``stack/java/neo4j/Launcher.java`` runs as a single-file Java program over the jars that
``make`` fetched (``stack.jars.classpath("neo4j")``; never a download here). The store, Neo4j's
own logs (``debug.log``) and the password live under ``data_dir/neo4j``, so data survives
stop/start; our log of the process is ``data_dir/logs/neo4j.log``.

Auth stays on, with a password generated on the first start (``data_dir/neo4j/password``, mode
600; the launcher gives it to user ``neo4j`` when the DBMS is new). Why not auth off because
it binds only 127.0.0.1: a loopback port is open to every local user and process, unlike
FalkorDB's unix socket (mode 700); with the password only the data dir's owner gets in. It
also keeps the production shape (Neo4j with credentials) exercised.

Startup is mostly class loading (~200 jars, the Cypher planner), so the first start records a
class-data-sharing archive at exit (``.cache/neo4j-cds``) and later starts map it: about half
the time-to-ready on a 2-core machine. A stale or missing archive only costs that speed-up.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import time
from pathlib import Path

from stack import jars
from stack.processes import ManagedProcess, free_port, port_open

REPO_ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = REPO_ROOT / "stack" / "java" / "neo4j" / "Launcher.java"
CDS_DIR = REPO_ROOT / ".cache" / "neo4j-cds"
READY_LINE = b"NEO4J READY"
USER = "neo4j"

# What Neo4j's own start script passes to the JVM that matters embedded: its off-heap buffers
# and Netty reach into java.nio; JMX for log4j is not wanted.
_JVM_FLAGS = (
    "-XX:+ExitOnOutOfMemoryError",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Xlog:cds*=error",  # a dump lists every class it skips, as warnings
)


class Neo4jServer:
    """One embedded Neo4j with Bolt on ``127.0.0.1:port``, data under ``data_dir/neo4j``."""

    def __init__(self, data_dir: Path, port: int | None = None, *, heap: str = "512m",
                 cds: bool = True) -> None:
        self.data_dir = Path(data_dir)
        self.home = self.data_dir / "neo4j"
        self.port = port or free_port()
        self.password_file = self.home / "password"
        self.heap = heap
        self._cds = cds
        self._cds_dump: tuple[Path, Path] | None = None  # (what the JVM writes, where it goes)
        self._log_offset = 0
        log = self.data_dir / "logs" / "neo4j.log"
        # argv is filled in by start(): the classpath and the CDS flags are read then.
        self.process = ManagedProcess("neo4j", [], log, ready=self._ready,
                                      start_timeout=180, stop_grace=60)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def user(self) -> str:
        return USER

    @property
    def password(self) -> str:
        return self.password_file.read_text().strip()

    def settings_fields(self) -> dict:
        """What ``core.settings.Settings`` needs to use this server."""
        return {"neo4j_uri": self.uri, "neo4j_user": USER, "neo4j_password": self.password}

    def start(self) -> float:
        """Start and wait until the default database is available on Bolt; return seconds."""
        if self.process.running():
            return 0.0
        self._ensure_password()
        classpath = jars.classpath("neo4j")  # JarsMissing (run `make`) rather than a download
        self.process.argv = [_java(), "-Xms128m", f"-Xmx{self.heap}", *_JVM_FLAGS,
                             *self._cds_flags(classpath), "-cp", classpath, str(LAUNCHER),
                             str(self.home), str(self.port)]
        log = self.process.log_path
        self._log_offset = log.stat().st_size if log.exists() else 0  # earlier runs' READY lines
        return self.process.start()

    def stop(self) -> None:
        """SIGTERM: the launcher's shutdown hook checkpoints and closes the stores."""
        self.process.stop()
        self._keep_cds_dump()

    def kill(self) -> None:
        """SIGKILL (crash simulation): the next start recovers from the transaction log."""
        self.process.kill()
        self._keep_cds_dump()

    # --- internals ------------------------------------------------------------------------
    def _ready(self) -> bool:
        try:
            with open(self.process.log_path, "rb") as f:
                f.seek(self._log_offset)
                seen = READY_LINE in f.read()
        except OSError:
            return False
        return seen and port_open(self.port)

    def _ensure_password(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        if not self.password_file.exists():
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(24) + "\n")

    def _cds_flags(self, classpath: str) -> list[str]:
        self._cds_dump = None
        if not self._cds:
            return []
        archive = _cds_archive(classpath)
        if archive.exists():
            return [f"-XX:SharedArchiveFile={archive}"]
        CDS_DIR.mkdir(parents=True, exist_ok=True)
        for stale in CDS_DIR.glob("*.tmp"):  # left by a run that never stopped its server
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink(missing_ok=True)
        dump = archive.with_name(f"{archive.stem}.{os.getpid()}-{self.port}.tmp")
        self._cds_dump = (dump, archive)
        return [f"-XX:ArchiveClassesAtExit={dump}"]

    def _keep_cds_dump(self) -> None:
        """Publish the archive the JVM wrote at exit, only after a clean exit (not SIGKILLed)."""
        if self._cds_dump is None:
            return
        (dump, archive), self._cds_dump = self._cds_dump, None
        code = self.process.proc.returncode if self.process.proc else None
        if code is not None and code >= 0 and dump.exists():
            os.replace(dump, archive)
            for old in CDS_DIR.glob("neo4j-*.jsa"):  # made for jars or a JDK no longer here
                if old != archive:
                    old.unlink(missing_ok=True)
        else:
            dump.unlink(missing_ok=True)


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise FileNotFoundError("java (17+) is not installed: the local Neo4j runs on it")
    return java


def _cds_archive(classpath: str) -> Path:
    """The archive for these jar files and this JVM: a re-fetch or a JDK update makes a new one
    (the JVM would ignore an archive whose jars changed)."""
    java = Path(_java()).resolve()
    files = [java, *(Path(p) for p in classpath.split(":"))]
    digest = hashlib.sha256()
    for f in files:
        st = f.stat()
        digest.update(f"{f}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return CDS_DIR / f"neo4j-{digest.hexdigest()[:16]}.jsa"
