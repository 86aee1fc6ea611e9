"""Load time and peak memory of a worker's speech models.

    .venv/bin/python -m bench.worker_memory [--model base|tiny.en|PATH] [--tts piper|hibari|espeak-ng]

Each configuration runs in a fresh child process doing what ``streams.deps.build_deps``
does for the speech side: ``make_stt`` / ``make_tts``, ``warm_up`` both (Whisper base
weights assembled and sha256-checked, piper voice checked), then one request of each (a
piper sentence transcribed, a reply synthesized).  The child reports RSS after imports,
after loading and its peak (VmHWM) after the requests; the parent prints a table and writes
``bench/results/worker_memory.json``.  The Kafka/Faust and graph parts of a worker are not
included (they are the streams engineer's; measure them with the whole worker).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

RESULTS = Path(__file__).parent / "results"

CHILD = r"""
import asyncio, json, os, sys, time
t0 = time.perf_counter()
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024  # MB
from speech.audio import decode_audio
from speech.stt import make_stt
from speech.tts import make_tts
from core.settings import Settings
imports_s = time.perf_counter() - t0
rss_imports = status("VmRSS:")
cfg = json.loads(sys.argv[1])
base = Settings(data_dir=cfg["data_dir"], stt_model=cfg["model"], stt_threads=cfg["threads"])
class Overlay:  # Settings plus fields it does not have yet (tts_engine)
    def __getattr__(self, name):
        return cfg["extra"][name] if name in cfg["extra"] else getattr(base, name)
settings = Overlay()

async def main():
    stt, tts = make_stt(settings), make_tts(settings)
    t = time.perf_counter(); await stt.warm_up(); stt_load = time.perf_counter() - t
    t = time.perf_counter(); await tts.warm_up(); tts_load = time.perf_counter() - t
    rss_loaded = status("VmRSS:")
    t = time.perf_counter()
    wav = await tts.synthesize("I would like some jollof rice in Lagos tonight.")
    tts_first = time.perf_counter() - t
    audio = decode_audio(wav, max_seconds=60, max_bytes=10_000_000)
    result = await stt.transcribe(audio)
    return dict(imports_s=imports_s, stt_load_s=stt_load, tts_load_s=tts_load,
                tts_first_s=tts_first, stt_first_s=result.compute_s, audio_s=audio.duration_s,
                text=result.text, rss_imports_mb=rss_imports, rss_loaded_mb=rss_loaded,
                rss_after_requests_mb=status("VmRSS:"), peak_rss_mb=status("VmHWM:"),
                total_s=time.perf_counter() - t0)
print(json.dumps(asyncio.run(main())))
"""


def measure(model: str, tts: str, data_dir: str, threads: int) -> dict:
    cfg = {"model": model, "threads": threads, "data_dir": data_dir, "extra": {"tts_engine": tts}}
    env = dict(os.environ, OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(cfg)], capture_output=True,
                         text=True, env=env, cwd=Path(__file__).resolve().parent.parent)
    if out.returncode != 0:
        return {"model": model, "tts": tts, "error": out.stderr.strip().splitlines()[-1]}
    return {"model": model, "tts": tts, **json.loads(out.stdout.strip().splitlines()[-1])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="base,tiny.en")
    parser.add_argument("--tts", default="piper,hibari,espeak-ng")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data-dir", default=os.environ.get("AURASENSE_DATA_DIR", ".aurasense"))
    parser.add_argument("--runs", type=int, default=2, help="runs per configuration (the first warms the page cache)")
    args = parser.parse_args(argv)

    rows = []
    print(f"{'stt':<10}{'tts':<11}{'stt load':>9}{'tts load':>9}{'total':>7}"
          f"{'RSS imp':>9}{'RSS load':>9}{'peak':>7}  first request")
    for model in args.model.split(","):
        for tts in args.tts.split(","):
            for run in range(args.runs):
                r = measure(model, tts, args.data_dir, args.threads)
                r["run"] = run
                rows.append(r)
                if "error" in r:
                    print(f"{model:<10}{tts:<11} unavailable: {r['error']}")
                    break
                print(f"{model:<10}{tts:<11}{r['stt_load_s']:>8.2f}s{r['tts_load_s']:>8.2f}s"
                      f"{r['total_s']:>6.1f}s{r['rss_imports_mb']:>7.0f}MB{r['rss_loaded_mb']:>7.0f}MB"
                      f"{r['peak_rss_mb']:>5.0f}MB  stt {r['stt_first_s']:.2f}s for {r['audio_s']:.1f}s,"
                      f" tts {r['tts_first_s']:.2f}s: {r['text']!r}", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "worker_memory.json"
    out.write_text(json.dumps({"cpu_count": os.cpu_count(), "threads": args.threads, "rows": rows}, indent=1))
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
