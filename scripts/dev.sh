#!/usr/bin/env bash
# The three commands of README.md:
#   scripts/dev.sh serve   create .venv, install the runtime lock (unless it holds the dev
#                          lock's), check the port is free, migrate, run uvicorn on the embedded
#                          default (on $HOST:$PORT, 127.0.0.1:8000 unless set)
#   scripts/dev.sh test    create .venv, install the dev lock, run the whole test suite
#   scripts/dev.sh demo    create .venv with the dev lock, run the simulator and the service wired
#                          to it with a scored sample portfolio, until Ctrl-C (scripts/demo.py)
# while changing the code:
#   scripts/dev.sh fast [pytest args]   the fast tier, 22-58 s on two idle cores: tests/unit
#                          but its `slow` tests (the pure packages, core, the house rules) and one
#                          request per API route on SQLite (tests/api/test_every_route.py) and
#                          one hostile value per route (tests/api/test_hostile_input.py); no
#                          PostgreSQL needed. `test` (what CI runs) runs all of it too
# for CI: scripts/dev.sh install   create .venv with the dev lock, nothing else
# the docs site: scripts/dev.sh docs [mkdocs args]   serve it on 127.0.0.1:8001 (or run mkdocs
#                          with the arguments given, e.g. `build --strict`)
# after changing the API:
#   scripts/dev.sh client [--check]   regenerate clients/python from the OpenAPI document
#                          (`--check`: regenerate aside, fail when the checked-in one differs)
# and after changing pyproject.toml's dependencies:
#   scripts/dev.sh lock [uv options]   recompile requirements.lock, requirements-dev.lock and
#                          requirements-learned.lock (keeps every pin that still fits; `--upgrade`
#                          or `--upgrade-package X` to move pins)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
# The venv is installed without compiling (install_lock): Python compiles a module when first
# imported and keeps its bytecode. Where the environment says not to keep it, every process (each
# service, worker and CLI a test starts) compiled every module it imported again, each time.
unset PYTHONDONTWRITEBYTECODE
VENV=${VENV:-.venv}
LOCK=requirements.lock          # the service's dependencies (the Dockerfile installs this)
DEV_LOCK=requirements-dev.lock  # those and the dev extras, at the same versions
# What the `learned` extra (the learned scorer's scikit-learn) adds to the service's, at the same
# versions: `pip install --require-hashes -r requirements.lock -r requirements-learned.lock`
# (the image: `--build-arg EXTRAS=learned`). The dev lock holds it too.
LEARNED_LOCK=requirements-learned.lock
STAMP_LINE="# pyproject.toml dependencies sha256:"

# A digest of what the locks are compiled from: pyproject.toml's dependency lists (and, once
# the build's requirements are locked too, its build-system's).
deps_digest() {
    "$PYTHON" - <<'PY'
import hashlib, json, tomllib

with open("pyproject.toml", "rb") as f:
    pyproject = tomllib.load(f)
project = pyproject["project"]
inputs = [project["requires-python"], project["dependencies"],
          project.get("optional-dependencies", {}), pyproject["build-system"]["requires"]]
print(hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest())
PY
}

# The build backend's requirements (setuptools, wheel), one a line: locked beside the
# dependencies, so that installing the project builds it with pinned, hashed tools
# (`--no-build-isolation`) instead of fetching whatever is newest into an isolated environment.
build_requirements() {
    "$PYTHON" - <<'PY'
import tomllib

with open("pyproject.toml", "rb") as f:
    print("\n".join(tomllib.load(f)["build-system"]["requires"]))
PY
}

# A dependency added to pyproject.toml (say, on a merged branch) but not to the locks would
# install nothing and fail at import: refuse early instead.
check_locks() {
    local digest lock
    digest=$(deps_digest)
    for lock in "$LOCK" "$DEV_LOCK" "$LEARNED_LOCK"; do
        if ! grep -qxF "$STAMP_LINE $digest" "$lock"; then
            echo "$lock does not match pyproject.toml's dependencies: run scripts/dev.sh lock" >&2
            exit 1
        fi
    done
}

# The dev lock's own uv (pinned and hashed like everything else), installed by pip when the venv
# has none: it installs a lock in ~11 s where pip took 55-70 s, on CI's critical path.
ensure_uv() {
    [ -x "$VENV/bin/uv" ] && return
    local pin
    pin=$(mktemp)
    awk '/^uv==/ { found = 1 } found { print } found && !/\\$/ { exit }' "$DEV_LOCK" >"$pin"
    "$VENV/bin/python" -m pip install --quiet --no-deps --require-hashes -r "$pin"
    rm -f "$pin"
}

# Whether $VENV holds what the lock $1 (and pyproject.toml) say, as last installed from it.
installed() {
    [ "$(cat "$VENV/.installed-$1" 2>/dev/null)" = "$(cat "$1" pyproject.toml | sha256sum)" ]
}

# Install exactly the locked, hashed set, then the project itself without resolving anything.
install_lock() {
    local lock=$1 stamp="$VENV/.installed-$1" digest
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    # Reinstall only when the lock (or pyproject.toml) changed since the last install from it.
    digest=$(cat "$lock" pyproject.toml | sha256sum)
    if ! installed "$lock"; then
        # To stderr, so a caller that reads the command's own output reads only that.
        echo "dev.sh: installing $lock into $VENV (15-30 s on a fresh machine, once)..." >&2
        ensure_uv
        # Not compiled up front (uv's default): Python compiles a module when it is first
        # imported; compiling every file of every package was ~65 s of a ~90 s install.
        "$VENV/bin/uv" pip install --python "$VENV/bin/python" --quiet --require-hashes -r "$lock"
        "$VENV/bin/uv" pip install --python "$VENV/bin/python" --quiet --no-deps \
            --no-build-isolation -e .
        echo "$digest" >"$stamp"
        echo "dev.sh: installed" >&2
    fi
}

ensure_venv() {
    check_locks
    install_lock "$1"
}

# One lock for every platform and Python >= 3.11 (markers where they differ), with hashes.
compile_lock() {
    local out=$1
    shift
    build_requirements | "$VENV/bin/uv" pip compile pyproject.toml - --universal \
        --python-version 3.11 --generate-hashes --custom-compile-command "scripts/dev.sh lock" \
        --quiet -o "$out" "$@"
    sed -i "1i $STAMP_LINE $(deps_digest)" "$out"
}

# The lock $1 of what the extra $2 adds to the service's lock: the service's set with the extra,
# compiled whole at the dev lock's versions, less each requirement the service's lock holds as it
# is (the same version and markers). Installed after the service's lock, it installs nothing twice.
compile_extra_lock() {
    local out=$1 extra=$2 whole
    shift 2
    whole=$(mktemp)
    compile_lock "$whole" --extra "$extra" --constraint "$DEV_LOCK" "$@"
    "$PYTHON" - "$whole" "$LOCK" "$out" "$extra" <<'PY'
import sys

whole, base, out, extra = sys.argv[1:]


def blocks(path):
    """The lock's header lines, and each requirement's lines (its pin, hashes and `# via`)."""
    head, items = [], []
    with open(path) as f:
        for line in f:
            if line[:1].isalnum():  # a pin: `name==version ; markers \`
                items.append([line])
            elif items:
                items[-1].append(line)
            else:
                head.append(line)
    return head, items


def pin(block):
    return block[0].rstrip().removesuffix("\\").strip()


def name(block):
    return pin(block).split("==")[0]


held = blocks(base)[1]
head, items = blocks(whole)
pinned = {pin(h) for h in held}
added = [b for b in items if pin(b) not in pinned]
# One the service's lock pins otherwise (other markers): installing both would hold it twice.
clash = sorted({name(b) for b in added} & {name(h) for h in held})
if clash:
    sys.exit(f"{out}: {base} pins {', '.join(clash)} with other markers; not written")
note = f"# What the `{extra}` extra adds to {base}: pip install --require-hashes -r {base} -r {out}\n"
with open(out, "w") as f:
    f.writelines([head[0], note, *head[1:], *(line for b in added for line in b)])
PY
    rm -f "$whole"
}

case "${1:-}" in
    serve)
        shift
        # A venv with the dev set holds the service's set at the same versions: kept as it is.
        check_locks
        installed "$DEV_LOCK" || install_lock "$LOCK"
        HOST=${HOST:-127.0.0.1} PORT=${PORT:-8000}
        # The port first (uvicorn binds it only after the migrations and the service's start):
        # one another process holds is a sentence naming it and how to pick another.
        "$VENV/bin/python" -m scripts.serve_port --host "$HOST" --port "$PORT" "$@"
        # The image's migration step: a database that cannot be reached is a sentence naming
        # its address and what to do (MYSYMBOLS_DEBUG=1: the traceback), and serve stops there.
        "$VENV/bin/python" -m app.cli migrate --upgrade
        export UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN="${UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN:-3}"  # as deployed
        # The request head bounded as deployed (app/platform/runtime/http_head.py).
        exec "$VENV/bin/uvicorn" app.main:app --host "$HOST" --port "$PORT" \
            --http app.platform.runtime.http_head:BoundedHttpToolsProtocol "$@"
        ;;
    test)
        shift
        ensure_venv "$DEV_LOCK"
        # Every core, each worker with its own databases; a file's tests stay on one worker
        # (their module fixtures are shared). `-n 0` runs in this process.
        exec "$VENV/bin/python" -m pytest -n "${PYTEST_WORKERS:-auto}" --dist loadfile "$@"
        ;;
    fast)
        shift
        ensure_venv "$DEV_LOCK"
        # Two workers: each collects the whole tier (about 5 s of CPU once Python keeps its
        # bytecode), then they share its tests (about 20 s of CPU). The suite (`test`) runs them
        # all too.
        exec "$VENV/bin/python" -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadfile -m "not slow" \
            tests/unit tests/api/test_every_route.py tests/api/test_hostile_input.py "$@"
        ;;
    install)
        ensure_venv "$DEV_LOCK"
        ;;
    demo)
        shift
        ensure_venv "$DEV_LOCK"
        exec "$VENV/bin/python" -m scripts.demo "$@"
        ;;
    docs)
        shift
        ensure_venv "$DEV_LOCK"
        # Material for MkDocs prints its end-of-life notice (May 2027) on every build; it is
        # known and answered in docs/decisions.md ("The docs site"), so not shown each time.
        export NO_MKDOCS_2_WARNING=1
        if [ $# -eq 0 ]; then set -- serve -a 127.0.0.1:8001; fi
        exec "$VENV/bin/mkdocs" "$@"
        ;;
    client)
        shift
        ensure_venv "$DEV_LOCK"
        exec "$VENV/bin/python" -m scripts.generate_client "$@"
        ;;
    lock)
        shift
        install_lock "$DEV_LOCK"  # uv at its locked version (the locks may be out of date here)
        compile_lock "$DEV_LOCK" --extra dev "$@"
        # The runtime set is the dev set's versions less the dev tools: what CI tests is deployed.
        compile_lock "$LOCK" --constraint "$DEV_LOCK" "$@"
        compile_extra_lock "$LEARNED_LOCK" learned "$@"
        ;;
    *)
        echo "usage: $0 serve|test|fast|demo|install|docs|client|lock [extra args]" >&2
        exit 2
        ;;
esac
