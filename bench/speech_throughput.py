"""Both cores on speech (issue 18): the pipeline against the raw models, in one run.

    python -m bench.speech_throughput [--n 10] [--warmup 2] [--uploads 16] [--stt-parallel 2 1]

1. The pipeline on a local stack (``aurasense.ops.sandbox.local_pipeline``, one worker; once per
   ``--stt-parallel`` value): ~3 s piper utterances one at a time (end to end, stage compute,
   pipeline overhead: ``aurasense.ops.latency``), each followed at once by the raw models in
   this process on its audio and its reply (a pair under the same load, the stack idle); then
   ``--uploads`` sent at once (sustained throughput: completions per second after the first;
   the worker's CPU use; how long transcribe and respond ran side by side).
2. Right after each pipeline (no stack running), the raw models' throughput on the same audio
   and replies (STT then TTS per utterance) for each setting of threads per inference x
   inferences at once; the best is what the pipeline is held to.  Whisper as ``speech.stt``
   configures it (``OfflineWhisper.transcribe_blocking``: prompt, hotwords, language probe,
   beam 5), piper as ``speech.tts`` does (``PiperTTS.synthesize_blocking``).
3. The ratios against issue 18's targets, printed and written to
   bench/results/speech_throughput.json.

Every upload's bytes are unique (``unique_wav``): the transcription cache never answers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import orjson

from aurasense.ops import loadgen
from aurasense.ops.latency import breakdown
from aurasense.ops.sandbox import local_pipeline
from aurasense.ops.speech import UTTERANCES, synthesize, unique_wav
from aurasense.ops.stats import format_table, summarize
from core.settings import Settings

RESULTS = Path(__file__).resolve().parent / "results" / "speech_throughput.json"
LIMITS = dict(max_seconds=60.0, max_bytes=10 * 1024 * 1024)
# Issue 18's targets.
E2E_OVER_RAW_MAX = 1.15  # end to end p50 <= 1.15 x (raw STT + raw TTS) p50
THROUGHPUT_OF_RAW_MIN = 0.85  # one worker >= 85 % of the raw models' best throughput
OVERHEAD_P50_MS_MAX = 30.0
# (threads per inference, inferences at once) tried for the raw throughput.
RAW_SETTINGS = ((2, 1), (1, 2), (2, 2))


# --------------------------------------------------------------------------- pipeline

def pipeline_side(root: Path, base: Settings, clips: list[bytes], n: int, warmup: int,
                  uploads: int, raw_models) -> dict:
    with local_pipeline(root, base) as box:
        latency = one_at_a_time(box.client, clips, n, warmup, raw_models)
        throughput = sustained(box, clips, uploads, root)
        settings = {"stt_threads": box.settings.stt_threads, "stt_parallel": box.settings.stt_parallel}
    return {"settings": settings, "latency": latency, "throughput": throughput}


def one_at_a_time(client, clips: list[bytes], n: int, warmup: int, raw_models) -> dict:
    """Each upload waited for, then the raw models on the same audio and the reply it got, right
    after it in this process (``raw_models``: Whisper and piper): a pair measured under the same
    load, whatever else the shared machine runs."""
    from speech.audio import decode_audio

    stt, tts = raw_models
    user, rows = f"bench-{uuid.uuid4().hex[:6]}", []
    salt = uuid.uuid4().int & 0xFFFF_FFFF
    for i in range(n + warmup):
        clip = clips[i % len(clips)]
        upload = client.create_upload(user)
        client.put(upload, unique_wav(clip, salt + i))
        sent_at = time.time()
        status = client.wait_done(upload.session_id, poll_s=0.1)  # e2e is server-side: completed_at
        row = breakdown(status, sent_at)
        reply = status.get("response_text") or ""
        raw_stt = timed(stt.transcribe_blocking, decode_audio(clip, **LIMITS))
        raw_tts = timed(tts.synthesize_blocking, reply) if reply else None
        print(f"bench: {'warm' if i < warmup else 'run '} {status['status']:<9} e2e "
              f"{row['end_to_end'] or 0:6.0f} ms  transcribe {row['compute_transcribe'] or 0:5.0f}  "
              f"respond {row['compute_respond'] or 0:5.0f}  overhead {row['overhead'] or 0:4.0f}  "
              f"raw {raw_stt:4.0f} + {raw_tts or 0:4.0f}  {status.get('transcription')!r}", flush=True)
        if i >= warmup:
            rows.append({**row, "clip": i % len(clips), "status": status["status"],
                         "reply_text": reply, "raw_stt": raw_stt, "raw_tts": raw_tts,
                         "raw_stt_plus_tts": raw_stt + raw_tts if raw_tts is not None else None})
    done = [r for r in rows if r["status"] == "completed"]
    columns = ("end_to_end", "raw_stt_plus_tts", "raw_stt", "raw_tts", "compute", "overhead",
               "compute_transcribe", "compute_route", "compute_respond", "notify",
               "q_ingest_transcribe", "q_transcribe_route", "q_route_respond", "in_stage", "tail")
    return {"n": n, "completed": len(done), "summary_ms": {c: summarize(r[c] for r in done) for c in columns},
            "samples": rows}


def sustained(box, clips: list[bytes], uploads: int, root: Path, timeout_s: float = 600.0) -> dict:
    """``uploads`` sent at once; throughput from the first completion to the last (the queue
    never runs dry in between), the worker's CPU seconds over that span.

    Statuses are read once a second: the times come from the status (``completed_at``), so
    polling faster measures nothing better and only loads the worker (``loadgen.run_load``
    polls each unfinished session ten times a second: with 16 in flight that is 160 requests
    a second to the worker's gateway, CPU taken from the stages).
    """
    sender = loadgen.S3Sender(box.worker.gateway_url, f"tput-{uuid.uuid4().hex[:6]}", clips)
    run = loadgen.new_run_id()
    todo = [loadgen.Upload(i, f"{run}-{i:04d}") for i in range(uploads)]
    stack_before = stack_cpu_s(root)
    cpu_before, started = process_cpu_s(box.worker.process.pid), time.time()
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(sender.send, todo))
    finally:
        sender.close()
    statuses = finished(box.client, [u.session_id for u in todo], timeout_s)
    cpu_after, wall_after = process_cpu_s(box.worker.process.pid), time.time()
    stack_cores = (stack_cpu_s(root) - stack_before) / (wall_after - started)
    done = [s for s in statuses.values() if s.get("status") == "completed"]
    ends = sorted(s["completed_at"] for s in done)
    span = ends[-1] - ends[0] if len(ends) > 1 else None
    return {"uploads": uploads, "completed": len(done), "lost": uploads - len(statuses),
            "failed": sum(s.get("status") == "failed" for s in statuses.values()),
            "per_s": (len(ends) - 1) / span if span else None,
            "per_s_from_first_send": len(ends) / (ends[-1] - started) if ends else None,
            "worker_cores_busy": ((cpu_after - cpu_before) / (wall_after - started)
                                  if cpu_before is not None and cpu_after is not None else None),
            "stack_cores_busy": stack_cores,
            "transcribe_respond_overlap": overlap(done),
            "stage_compute_ms": {s: summarize(st["timings"][s]["compute_ms"] for st in done
                                              if s in (st.get("timings") or {}))
                                 for s in ("transcribe", "route", "respond")}}


def finished(client, session_ids: list[str], timeout_s: float) -> dict[str, dict]:
    """The final status of each session that completed or failed within ``timeout_s``."""
    out: dict[str, dict] = {}
    deadline = time.monotonic() + timeout_s
    while len(out) < len(session_ids) and time.monotonic() < deadline:
        for sid in session_ids:
            status = None if sid in out else client.status(sid)
            if status and status.get("status") in ("completed", "failed"):
                out[sid] = status
        if len(out) < len(session_ids):
            time.sleep(1.0)
    return out


def process_cpu_s(pid: int | None) -> float | None:
    """User + system CPU seconds of ``pid`` and its threads (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stack_cpu_s(root: Path) -> float:
    """CPU seconds of the stack's processes: those whose command line names the sandbox's
    directory (Kafka, the S3 server, FalkorDB, the notifier; the worker is counted apart)."""
    marker, total = str(root).encode(), 0.0
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker in (proc / "cmdline").read_bytes():
                total += process_cpu_s(int(proc.name)) or 0.0
        except OSError:  # gone meanwhile
            continue
    return total


def overlap(statuses: list[dict]) -> dict:
    """Seconds during which some transcribe ran, some respond ran, and both at once."""
    def spans(stage: str) -> list[tuple[float, float]]:
        return [(t[stage]["started_at"], t[stage]["finished_at"])
                for t in (s.get("timings") or {} for s in statuses) if stage in t]
    transcribe, respond = union(spans("transcribe")), union(spans("respond"))
    both = sum(max(0.0, min(a1, b1) - max(a0, b0)) for a0, a1 in transcribe for b0, b1 in respond)
    busy_t, busy_r = (sum(b - a for a, b in s) for s in (transcribe, respond))
    return {"transcribe_s": busy_t, "respond_s": busy_r, "both_s": both,
            "respond_share_overlapped": both / busy_r if busy_r else None}


def union(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


# --------------------------------------------------------------------------- raw models

def raw_side(base: Settings, clips: list[bytes], replies: list[str], items: int) -> dict:
    from speech.audio import decode_audio
    from speech.tts import PiperTTS

    audio = [decode_audio(c, **LIMITS) for c in clips]
    tts = PiperTTS(base)
    tts.synthesize_blocking("Warming up.")
    work = [(audio[i % len(audio)], replies[i % len(replies)]) for i in range(items)]
    settings, single = {}, None
    for threads, parallel in RAW_SETTINGS:
        stt = whisper(base, threads, parallel, audio[0])
        if (threads, parallel) == (base.stt_threads, 1):
            single = single_latency(stt, tts, audio, replies)
        settings[f"{threads}x{parallel}"] = throughput(stt, tts, work, parallel)
        print(f"raw: {threads} thread(s) x {parallel} at once: "
              f"{settings[f'{threads}x{parallel}']['per_s']:.2f} utterances/s", flush=True)
    if single is None:
        single = single_latency(whisper(base, base.stt_threads, 1, audio[0]), tts, audio, replies)
    return {"single": single, "throughput": settings}


def with_best(window: dict) -> dict:
    best = max(window["throughput"], key=lambda k: window["throughput"][k]["per_s"])
    return {**window, "best": best, "best_per_s": window["throughput"][best]["per_s"]}


def whisper(base: Settings, threads: int, parallel: int, warm_up):
    """Offline Whisper with these threads and replicas, loaded and run once."""
    from speech.stt import OfflineWhisper

    stt = OfflineWhisper(base.with_(stt_threads=threads, stt_parallel=parallel))
    stt.transcribe_blocking(warm_up)
    return stt


def single_latency(stt, tts, audio, replies: list[str]) -> dict:
    """One utterance at a time: STT of each clip, TTS of each reply (ms, p50 over them)."""
    stt_ms = [timed(stt.transcribe_blocking, a) for a in audio for _ in range(2)]
    tts_ms = [timed(tts.synthesize_blocking, r) for r in replies]
    return {"stt_ms": summarize(stt_ms), "tts_ms": summarize(tts_ms),
            "stt_plus_tts_p50_ms": statistics.median(stt_ms) + statistics.median(tts_ms)}


def throughput(stt, tts, work: list, parallel: int) -> dict:
    def one(item) -> None:
        stt.transcribe_blocking(item[0])
        tts.synthesize_blocking(item[1])
    started, cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        list(pool.map(one, work))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    # CPU seconds per utterance: what a setting costs, whatever else the machine runs.
    return {"items": len(work), "seconds": elapsed, "per_s": len(work) / elapsed,
            "cpu_s_per_item": cpu / len(work)}


def timed(fn, arg) -> float:
    t0 = time.perf_counter()
    fn(arg)
    return (time.perf_counter() - t0) * 1000


# --------------------------------------------------------------------------- report

def ratios(pipe: dict, raw: dict) -> dict:
    """``pipe`` against the raw models: latency against the pairs measured right after each
    upload, throughput against the raw window measured right after this pipeline."""
    lat = pipe["latency"]["summary_ms"]
    e2e, overhead = lat["end_to_end"]["p50"], lat["overhead"]["p50"]
    raw_sum = lat["raw_stt_plus_tts"]["p50"]
    worker = pipe["throughput"]["per_s"]
    return {
        "stt_parallel": pipe["settings"]["stt_parallel"], "end_to_end_p50_ms": e2e,
        "raw_stt_plus_tts_p50_ms": raw_sum,
        "e2e_over_raw": e2e / raw_sum if e2e and raw_sum else None,
        "e2e_over_raw_max": E2E_OVER_RAW_MAX,
        "worker_per_s": worker, "raw_best_per_s": raw["best_per_s"], "raw_best_setting": raw["best"],
        "throughput_of_raw": worker / raw["best_per_s"] if worker else None,
        "throughput_of_raw_min": THROUGHPUT_OF_RAW_MIN,
        "overhead_p50_ms": overhead, "overhead_p50_ms_max": OVERHEAD_P50_MS_MAX,
    }


def render(r: dict) -> str:
    rows = [
        ["end to end p50 / (raw STT + raw TTS)", f"{r['end_to_end_p50_ms']:.0f} ms",
         f"{r['raw_stt_plus_tts_p50_ms']:.0f} ms", _fmt(r["e2e_over_raw"], "x"),
         f"<= {E2E_OVER_RAW_MAX:.2f}x", _verdict(r["e2e_over_raw"], E2E_OVER_RAW_MAX, below=True)],
        ["one worker / raw best throughput", _fmt(r["worker_per_s"], "/s"),
         f"{r['raw_best_per_s']:.2f}/s ({r['raw_best_setting']})", _pct(r["throughput_of_raw"]),
         f">= {THROUGHPUT_OF_RAW_MIN:.0%}", _verdict(r["throughput_of_raw"], THROUGHPUT_OF_RAW_MIN, below=False)],
        ["pipeline overhead p50", _fmt(r["overhead_p50_ms"], " ms"), "-", "-",
         f"<= {OVERHEAD_P50_MS_MAX:.0f} ms", _verdict(r["overhead_p50_ms"], OVERHEAD_P50_MS_MAX, below=True)],
    ]
    return format_table(["", "pipeline", "raw models", "ratio", "target", ""], rows)


def _fmt(v, unit: str) -> str:
    return "-" if v is None else (f"{v:.2f}{unit}" if unit in ("x", "/s") else f"{v:.0f}{unit}")


def _pct(v) -> str:
    return "-" if v is None else f"{v:.0%}"


def _verdict(v, limit: float, below: bool) -> str:
    if v is None:
        return "?"
    return "met" if (v <= limit if below else v >= limit) else "NOT met"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.speech_throughput", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=10, help="utterances one at a time (default 10)")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--uploads", type=int, default=16, help="uploads sent at once (default 16)")
    p.add_argument("--raw-items", type=int, default=12, help="utterances per raw setting (default 12)")
    p.add_argument("--stt-parallel", type=int, nargs="+", default=None,
                   help="run the pipeline once per value of stt_parallel (default: the setting's)")
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    base = Settings.from_env()
    print("bench: synthesizing utterances with piper", flush=True)
    clips = synthesize(UTTERANCES[:6], base)
    root = Path(".aurasense") / f"bench-speech-{time.strftime('%Y%m%d-%H%M%S')}"
    load_at_start = os.getloadavg()
    # Each pipeline is followed at once by the raw models' throughput (the machine is shared:
    # what it gives changes by the minute), and each upload of it by the raw models on its audio.
    from speech.audio import decode_audio
    from speech.tts import PiperTTS

    raw_models = (whisper(base, base.stt_threads, 1, decode_audio(clips[0], **LIMITS)), PiperTTS(base))
    pipes, windows = [], []
    for v in args.stt_parallel or [base.stt_parallel]:
        pipes.append(pipeline_side(root / f"parallel-{v}", base.with_(stt_parallel=v), clips,
                                   args.n, args.warmup, args.uploads, raw_models))
        replies = [s["reply_text"] for s in pipes[-1]["latency"]["samples"] if s["reply_text"]]
        windows.append(with_best(raw_side(base, clips, replies or list(UTTERANCES), args.raw_items)))
    result = {"pipelines": pipes, "raw_windows": windows,
              "ratios": [ratios(p, w) for p, w in zip(pipes, windows)],
              "machine": {"cpus": os.cpu_count(), "loadavg_at_start": load_at_start,
                          "loadavg_at_end": os.getloadavg()},
              "at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")
    for pipe, window, ratio in zip(pipes, windows, result["ratios"]):
        lat, tput, single = pipe["latency"]["summary_ms"], pipe["throughput"], window["single"]
        print(f"\npipeline, stt_threads {pipe['settings']['stt_threads']} x stt_parallel "
              f"{pipe['settings']['stt_parallel']}: transcribe p50 {lat['compute_transcribe']['p50']:.0f} ms "
              f"(raw STT beside it {lat['raw_stt']['p50']:.0f}), route {lat['compute_route']['p50']:.0f}, "
              f"respond {lat['compute_respond']['p50']:.0f} (raw TTS {lat['raw_tts']['p50']:.0f}); under "
              f"load the worker used {tput['worker_cores_busy'] or 0:.2f} cores and the stack "
              f"{tput['stack_cores_busy']:.2f}, respond ran beside "
              f"transcribe {(tput['transcribe_respond_overlap']['respond_share_overlapped'] or 0):.0%} of its time")
        print(f"raw models right after: STT p50 {single['stt_ms']['p50']:.0f} ms, TTS p50 "
              f"{single['tts_ms']['p50']:.0f} ms; utterances/s (threads x at once): "
              + ", ".join(f"{k}: {v['per_s']:.2f}" for k, v in window["throughput"].items()))
        print(render(ratio))
    print(f"results in {args.out}")
    ok = all(p["throughput"]["lost"] == 0 and p["latency"]["completed"] == args.n for p in pipes)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
