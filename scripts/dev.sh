#!/usr/bin/env bash
# The three commands of README.md:
#   scripts/dev.sh serve   create .venv, install, migrate, run uvicorn on the embedded default
#   scripts/dev.sh test    create .venv, install with dev extras, run the whole test suite
#   scripts/dev.sh demo    create .venv with dev extras, run the simulator and the service wired
#                          to it with a scored sample portfolio, until Ctrl-C (scripts/demo.py)
# and, for CI: scripts/dev.sh install   create .venv with dev extras, nothing else
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

ensure_venv() {
    local extras=$1 stamp="$VENV/.installed${1:+-dev}"
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
    fi
    # Reinstall only when pyproject.toml changed since the last install.
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        "$VENV/bin/python" -m pip install --quiet -e ".$extras"
        touch "$stamp"
    fi
}

case "${1:-}" in
    serve)
        shift
        ensure_venv ""
        "$VENV/bin/alembic" upgrade head
        export UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN="${UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN:-3}"  # as deployed
        exec "$VENV/bin/uvicorn" app.main:app --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" "$@"
        ;;
    test)
        shift
        ensure_venv "[dev]"
        exec "$VENV/bin/python" -m pytest "$@"
        ;;
    install)
        ensure_venv "[dev]"
        ;;
    demo)
        shift
        ensure_venv "[dev]"
        exec "$VENV/bin/python" -m scripts.demo "$@"
        ;;
    *)
        echo "usage: $0 serve|test|demo|install [extra args]" >&2
        exit 2
        ;;
esac
