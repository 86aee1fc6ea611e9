"""Operator tooling shared by the ``aurasense`` CLI and the benchmarks.

stats (percentiles, tables) · latency (end-to-end split into compute and overhead) ·
log (reading and writing the topics) · records (decoding, session matching) ·
sandbox (a local stack + worker for benchmarks and ``--local``) · speech (test utterances).
"""
