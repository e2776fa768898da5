ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/mysymbols

# The locked, hashed runtime set first (its own layer: rebuilt only when the lock changes), then
# the project itself without resolving anything (see README, Dependencies).
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install --no-deps .

COPY alembic.ini ./
COPY alembic ./alembic

RUN useradd --system --uid 10001 mysymbols
USER mysymbols
EXPOSE 8000

# On SIGTERM uvicorn lets requests finish for 3 s (event streams and ?wait= callers are ended at
# once, see app/runtime/shutdown.py), then the service aborts any run in flight (2 s more at most).
ENV UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN=3

# One JSON object per log line (the default off a terminal anyway; said here for the record).
ENV MYSYMBOLS_LOG_FORMAT=json

# Liveness for `docker run` and compose (Kubernetes probes instead, see deploy/k8s): the process
# answers. Python's urllib, as slim images have no curl; a non-2xx answer raises, exit 1.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/symbol-mgmt/health', timeout=2)"]

# Migrations run on every start (idempotent; replicas take turns under an advisory lock on
# PostgreSQL, see alembic/env.py); then the API.
CMD ["sh", "-c", "alembic upgrade head && exec uvicorn app.main:app --host 0.0.0.0 --port 8000 --proxy-headers"]
