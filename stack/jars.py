"""The Java parts of the local stack (Kafka, Neo4j): their jars, fetched once by ``make``.

Each part has a pinned pom at ``stack/java/<part>/pom.xml``. ``python -m stack.jars fetch``
(run by ``make``) copies its whole dependency tree into ``.cache/jars/<part>/lib`` with Maven
and writes a stamp holding the pom's sha256. At run time ``classpath(part)`` only reads that
cache: a missing or stale stamp is an error that says to run ``make``, never a download.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
POM_ROOT = REPO_ROOT / "stack" / "java"
CACHE_ROOT = REPO_ROOT / ".cache" / "jars"
PARTS = ("kafka", "neo4j")


class JarsMissing(RuntimeError):
    """The jars of a part are not fetched, or were fetched for another pom."""


def _pom(part: str) -> Path:
    return POM_ROOT / part / "pom.xml"


def _pom_digest(part: str) -> str:
    return hashlib.sha256(_pom(part).read_bytes()).hexdigest()


def _lib(part: str) -> Path:
    return CACHE_ROOT / part / "lib"


def _stamp(part: str) -> Path:
    return CACHE_ROOT / part / "stamp"


def is_fetched(part: str) -> bool:
    """True when the cache holds the jars of the part's current pom."""
    stamp = _stamp(part)
    return stamp.exists() and stamp.read_text().strip() == _pom_digest(part)


def classpath(part: str) -> str:
    """The part's classpath from the cache; raises ``JarsMissing`` rather than downloading."""
    if not is_fetched(part):
        raise JarsMissing(f"the {part} jars are not fetched (or its pom changed): run `make jars`")
    return ":".join(str(p) for p in sorted(_lib(part).glob("*.jar")))


def fetch(part: str) -> bool:
    """Fetch the part's jars with Maven unless the stamp is current; True if it fetched."""
    if is_fetched(part):
        return False
    mvn = shutil.which("mvn")
    if mvn is None:
        raise JarsMissing("Maven (mvn) is not installed: it fetches the Kafka and Neo4j jars")
    lib = _lib(part)
    shutil.rmtree(lib, ignore_errors=True)
    print(f"[jars] fetching {part} (pom {_pom(part).relative_to(REPO_ROOT)}) into {lib}", flush=True)
    subprocess.run(
        [mvn, "-q", "-B", "-f", str(_pom(part)), "dependency:copy-dependencies",
         f"-DoutputDirectory={lib}", f"-Dmaven.repo.local={CACHE_ROOT / 'm2'}"],
        check=True,
    )
    _stamp(part).write_text(_pom_digest(part) + "\n")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stack.jars", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["fetch", "check"])
    parser.add_argument("parts", nargs="*", default=list(PARTS))
    args = parser.parse_args(argv)
    for part in args.parts:
        if args.command == "fetch":
            try:
                fetched = fetch(part)
            except subprocess.CalledProcessError as err:
                print(f"[jars] Maven could not fetch the {part} jars (exit {err.returncode})",
                      file=sys.stderr)
                return 1
            if not fetched:
                print(f"[jars] {part}: up to date", flush=True)
        elif not is_fetched(part):
            print(f"[jars] {part}: missing or stale", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
