"""The version check of the modules that reach into a library's private names (one per library):
they refuse to import on a version their reaches were not tested with."""

from __future__ import annotations

from importlib.metadata import version
from typing import Callable, Mapping


class UntestedLibraryVersion(RuntimeError):
    """An installed library is not the version a compatibility module's private reaches were tested on."""


def require_tested(tested: Mapping[str, str], module: str, installed: Callable[[str], str] = version) -> None:
    """Raise ``UntestedLibraryVersion`` naming ``module`` when an installed version is not in ``tested``."""
    wrong = {name: installed(name) for name in tested if installed(name) != tested[name]}
    if wrong:
        found = ", ".join(f"{n} {v} (tested: {tested[n]})" for n, v in wrong.items())
        raise UntestedLibraryVersion(
            f"{module} reaches into private names of {found}; re-test it and "
            f"update TESTED before running on these versions")
