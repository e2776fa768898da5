# The base image by digest, so a rebuild gets the same bytes (the tag moves with every Debian or
# Python patch release). Move it deliberately: `docker buildx imagetools inspect python:3.11-slim`.
# CI builds it on a stand-in where the registry is out of reach (scripts/check-container.sh).
ARG BASE_IMAGE=python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7

# Two stages on that one base. `build` installs into a venv (/opt/venv) and the project beside
# it (/srv/mysymbols); the image is the base plus those two folders, copied over: no pip cache,
# no build backend, no project source besides the installed package (docs/operations.md, "The
# image").
FROM ${BASE_IMAGE} AS build

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# A venv without a pip of its own: the base's pip installs into it (`pip --python`), so the image
# carries no pip beyond the base's.
RUN python -m venv --without-pip /opt/venv
WORKDIR /src

# The locked, hashed runtime set first (its own layer: rebuilt only when the lock changes), then
# the project itself without resolving anything (see docs/getting-started.md, Dependencies). The lock holds the
# build backend too (setuptools, wheel): the project is built with those, not with whatever an
# isolated build environment would fetch unpinned.
COPY requirements.lock ./
RUN pip --python /opt/venv/bin/python install --require-hashes -r requirements.lock

# Optional extras, each a hashed lock of what it adds to requirements.lock, installed with it in
# one resolution: `--build-arg EXTRAS=learned` (the learned scorer's scikit-learn, with SciPy and
# what they need; requirements-learned.lock). The default image has none.
ARG EXTRAS=
COPY requirements-learned.lock ./
RUN case "$EXTRAS" in \
      "") ;; \
      learned) pip --python /opt/venv/bin/python install --require-hashes \
          -r requirements.lock -r requirements-learned.lock ;; \
      *) echo "EXTRAS=$EXTRAS: the extras built are learned, or none" >&2; exit 1 ;; \
    esac

# The project, built with the lock's setuptools and wheel and installed as a package into
# /srv/mysymbols (on the venv's path through a .pth), beside alembic.ini and alembic/: the app
# finds the migration scripts next to its own package (app/platform/db/revisions.py).
COPY pyproject.toml README.md ./
COPY scripts/compile_bytecode.py ./scripts/
COPY app ./app
RUN pip --python /opt/venv/bin/python install --no-deps --no-build-isolation \
        --target /srv/mysymbols . \
 && site=$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))') \
 && echo /srv/mysymbols >"$site/mysymbols.pth"
COPY alembic.ini /srv/mysymbols/
COPY alembic /srv/mysymbols/alembic

# What the service does not run, removed: the build backend (setuptools, wheel: pip installed
# them from the lock), the packages' own test suites (numpy's, greenlet's, aiosqlite's; SciPy's,
# scikit-learn's and joblib's with EXTRAS=learned), which no module of theirs imports, and the C
# source Cython generated for an extension module shipped compiled beside it (TA-Lib's 20 MB
# _ta_lib.c). Then the bytecode of everything left, in place: the image runs as uid 10001, which
# cannot write it at start-up. The libraries' without their docstrings (scripts/compile_bytecode.py:
# 5 MB less in the service's process), replacing what pip compiled; the project's with its
# docstrings (they are its OpenAPI descriptions), anew where it lies, as pip compiled it in a
# temporary folder, and alembic/. A file that does not compile fails the build.
RUN pip --python /opt/venv/bin/python uninstall -y -q setuptools wheel \
 && site=$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))') \
 && for package in numpy greenlet aiosqlite scipy sklearn joblib; do \
        if [ -d "$site/$package" ]; then \
            find "$site/$package" -type d \( -name tests -o -name test \) -prune \
                -exec rm -rf {} +; \
        fi; \
    done \
 && find "$site" -name '*.c' | while read -r source; do \
        for compiled in "${source%.c}".cpython-*.so "${source%.c}".abi3.so; do \
            if [ -e "$compiled" ]; then rm "$source"; break; fi; \
        done; \
    done \
 && /opt/venv/bin/python scripts/compile_bytecode.py /opt/venv/lib \
 && /opt/venv/bin/python -m compileall -q -f /srv/mysymbols

FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
WORKDIR /srv/mysymbols
COPY --from=build /opt/venv /opt/venv
COPY --from=build /srv/mysymbols /srv/mysymbols

# The base's standard library compiled too, without docstrings like the libraries:
# python:3.11-slim ships it with no bytecode (its build deletes every .pyc), so the service, which
# cannot write it, would compile what it imports of it at every start (0.4 s and 1 MB of heap,
# measured on the same modules: docs/operations.md, "The image"). Test suites and the base's own
# site-packages (its pip) are left out. The script is read from the build stage, not copied.
RUN --mount=type=bind,from=build,source=/src/scripts,target=/mnt/scripts \
    python /mnt/scripts/compile_bytecode.py \
        --exclude '/(test|tests|idle_test|site-packages|dist-packages)/' \
        "$(python -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')"
ARG EXTRAS=
LABEL mysymbols.extras="$EXTRAS"

RUN useradd --system --uid 10001 mysymbols
USER mysymbols
EXPOSE 8000

# On SIGTERM uvicorn lets requests finish for 3 s (event streams and ?wait= callers are ended at
# once, see app/platform/runtime/shutdown.py), then the service aborts any run in flight (2 s more at most).
ENV UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN=3

# One JSON object per log line (the default off a terminal anyway; said here for the record).
ENV MYSYMBOLS_LOG_FORMAT=json

# Liveness for `docker run` and compose (Kubernetes probes instead, see deploy/k8s): the process
# answers. Python's urllib, as slim images have no curl; a non-2xx answer raises, exit 1.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/symbol-mgmt/health', timeout=2)"]

# The migration step runs on every start (app/cli/migrate.py): a database behind this release is
# upgraded (replicas take turns under an advisory lock on PostgreSQL, see alembic/env.py), or
# only checked with MYSYMBOLS_MIGRATE=check (deployments whose migration Job runs as the owner);
# one ahead of it (a newer release migrated it: a rollback, or an old pod during a rollout) is
# left alone with a warning, as code N runs on schema N+1. Then the API.
# --limit-concurrency 1024: beyond 1024 open connections (idle keep-alives included) or requests
# in flight, uvicorn answers 503 at once instead of queueing without bound. It has to sit above
# what a healthy replica holds: MYSYMBOLS_LIMITS__STREAMS_PER_PROCESS (200) event streams, the
# ingress's keep-alive pool towards the pod (keep it at 256 or fewer) and the requests in flight
# (about 40 at 7 500 req/s with a p99 of 28 ms); and below what one pod can buffer: 1024
# requests of the 256 KiB body limit are 256 MiB, within the 1280 MiB memory limit (deploy/k8s).
# --http app.platform.runtime.http_head:…: uvicorn's httptools protocol with a request head (line and
# headers) of at most 32 KiB; a larger one is answered 431 and its connection closed before more
# of it is read (docs/operations.md, "Limits and abuse").
CMD ["sh", "-c", "python -m app.cli migrate && exec uvicorn app.main:app --host 0.0.0.0 --port 8000 --proxy-headers --limit-concurrency 1024 --http app.platform.runtime.http_head:BoundedHttpToolsProtocol"]
