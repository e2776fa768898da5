#!/usr/bin/env bash
# The image, run (CI: .ci/run). Builds the Dockerfile with podman and runs its own CMD against a
# throw-away PostgreSQL database and the KuCoin simulator, then checks:
#   ready      GET /api/symbol-mgmt/status answers 200 with ready: true (the readiness probe of
#              deploy/k8s: migrations at head and the first start's sync and scoring done), and
#              the image's HEALTHCHECK passes (podman healthcheck run)
#   jobs       a universe sync and a scoring run, each POST /jobs/{name}/run?wait= with the
#              bootstrap admin key, succeed (the scoring run scored symbols)
#   non-root   the running process's uid (podman exec id -u) and the image's User are not root
#   bytecode   a library's docstring is not in the image's bytecode, and GET /openapi.json is
#              clients/python/openapi.json (the project's docstrings are)
#   SIGTERM    `podman stop -t 10` with a scoring run in flight: the container is gone in < 10 s
#              and was not killed (exit code 137 means SIGKILL after the 10 s)
#   size       the image (the default one: no EXTRAS) is under 450 MB (podman image inspect .Size)
# and prints the time of each step.
#
# Base image: the Dockerfile's `ARG BASE_IMAGE` (its default, or $BASE_IMAGE when set). Used as is
# when present locally or when `podman pull` gets it; otherwise (no access to its registry, as on
# the CI machines) a stand-in for python:3.11-slim: Debian bookworm (which ships Python 3.11) by
# mmdebstrap from the machine's own Debian mirror, with pip, `python`, the machine's CA bundle
# (for pip to reach the package index) and PIP_BREAK_SYSTEM_PACKAGES=1 (Debian's pip refuses
# system installs otherwise). The stand-in is cached: a podman image tagged by a hash of its
# recipe, and its root filesystem as a tarball under $CACHE (re-imported if podman's storage was
# emptied). podman's own layer cache keeps the build stage's pip layer until requirements.lock or
# the base changes.
#
# Needs: root (apt-get, mmdebstrap, podman), PostgreSQL on 127.0.0.1:5432 with trust auth for
# $PG_USER, the project's venv ($VENV, for the simulator), port 8000 free (the CMD listens there,
# on the host's network).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
CACHE=${MYSYMBOLS_CI_CACHE:-$HOME/.cache/mysymbols-ci}
IMAGE=${MYSYMBOLS_CI_IMAGE:-localhost/mysymbols:ci}
PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=${PG_USER:-postgres}
APP_PORT=8000               # the CMD's uvicorn --port
READY_WITHIN_S=240          # migrations, then the first start's sync and scoring
STOP_WITHIN_S=10
MAX_SIZE_BYTES=450000000    # 450 MB: the default image, without EXTRAS (docs/operations.md)
UNIVERSE=${MYSYMBOLS_CI_UNIVERSE:-30}  # the simulator's contracts (generated: starts in ~1 s)
# On these machines: crun refuses their hybrid cgroup layout ("cgroups in hybrid mode not
# supported"), so runc runs the containers (the build's RUN steps too); and the sandbox cannot
# raise rlimits, so podman's defaults fail (runc: "error setting rlimit type 7").
PODMAN=(podman --runtime runc)
ULIMITS=(--ulimit nofile=1024:20000 --ulimit nproc=4096:4096)

API="http://127.0.0.1:$APP_PORT/api/symbol-mgmt"
CHECK=check-container
# shellcheck source=scripts/lib/steps.sh
. scripts/lib/steps.sh
# podman logs an error on every container with a HEALTHCHECK when there is no systemd to time it
# (the check itself is run by hand below): those lines only are dropped.
no_systemd_noise() { grep -v 'unable to get systemd connection' >&2 || true; }

# --- cleanup: only what this run started ------------------------------------------------------
CONTAINER="mysymbols-ci-check-$$"
DB_NAME="mysymbols_container_$(date +%s)_$$"
SIM_PID=
DB_CREATED=
WORK=$(mktemp -d)
psql_admin() { psql -v ON_ERROR_STOP=1 -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres "$@"; }
cleanup() {
    local code=$?
    set +e
    if [ "$code" -ne 0 ] && podman container exists "$CONTAINER" 2>/dev/null; then
        echo "---- the container's log (last 60 lines)"
        podman logs --tail 60 "$CONTAINER" 2>&1
    fi
    if [ "$code" -ne 0 ] && [ -s "$WORK/simulator.log" ]; then
        echo "---- the simulator's log (last 20 lines)"
        tail -n 20 "$WORK/simulator.log"
    fi
    podman container exists "$CONTAINER" 2>/dev/null \
        && podman rm -f -t 0 "$CONTAINER" >/dev/null 2> >(no_systemd_noise)
    if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
        kill "$SIM_PID" && wait "$SIM_PID" 2>/dev/null
    fi
    [ -n "$DB_CREATED" ] && psql_admin -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)"
    rm -rf "$WORK"
    exit "$code"
}
trap cleanup EXIT

# --- 1. tools ---------------------------------------------------------------------------------
step "tools (podman, runc, mmdebstrap)"
missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || [ -x /usr/sbin/runc ] || missing+=(runc)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -q  # (another apt-get on the machine: wait for its lock rather than fail)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 "${missing[@]}"
fi
podman --version
[ -x "$VENV/bin/python" ] || die "no venv at $VENV (scripts/dev.sh install builds it)"

# --- 2. base image ----------------------------------------------------------------------------
step "base image"
default_base=$(sed -n 's/^ARG BASE_IMAGE=\(.*\)$/\1/p' Dockerfile | head -n 1)
[ -n "$default_base" ] || die "the Dockerfile has no ARG BASE_IMAGE=<default>"
BASE=${BASE_IMAGE:-$default_base}

debian_mirror() {  # the machine's own mirror for bookworm (deb822 sources or sources.list)
    if [ -n "${MYSYMBOLS_CI_DEBIAN_MIRROR:-}" ]; then echo "$MYSYMBOLS_CI_DEBIAN_MIRROR"; return; fi
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'BEGIN { RS = ""; FS = "\n" }
             /(^|\n)Suites:[^\n]*[[:space:]]bookworm([[:space:]]|$)/ {
                 for (i = 1; i <= NF; i++) if ($i ~ /^URIs:/) { split($i, u, " "); print u[2]; exit }
             }' "$f"
    done | head -n 1 | grep . && return
    awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | grep . && return
    die "no Debian bookworm mirror in /etc/apt (set MYSYMBOLS_CI_DEBIAN_MIRROR)"
}

build_stand_in() {  # build_stand_in TAG TARBALL: mmdebstrap, trim, CA bundle, import
    local tag=$1 tarball=$2 root mirror
    mirror=$(debian_mirror)
    root="$CACHE/rootfs.$$"
    rm -rf "$root"
    say "mmdebstrap bookworm from $mirror (minbase + ${STAND_IN_PACKAGES})"
    local t0=$SECONDS
    # mmdebstrap, not debootstrap: apt downloads and installs in one pass (about 30 s here,
    # against debootstrap's 240 s, most of it the CI run's critical path). Its merged-usr hook
    # lays out /usr as debootstrap does (without it apt pulls usrmerge, and perl with it).
    if ! mmdebstrap --variant=minbase --include="$STAND_IN_PACKAGES" \
        --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr bookworm "$root" "$mirror" >"$WORK/mmdebstrap.log" 2>&1; then
        tail -n 30 "$WORK/mmdebstrap.log"
        rm -rf "$root"
        die "mmdebstrap"
    fi
    # As the slim image: no package lists, downloaded .debs, docs, man pages or translations.
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
        "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/* \
        "$root"/var/log/*.log "$root"/var/cache/debconf/*-old
    # The machine's CA bundle (pip reaches the package index through this machine's TLS setup).
    cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
    if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    fi
    say "mmdebstrap took $((SECONDS - t0)) s"
    tar -C "$root" --numeric-owner -czf "$tarball.part.$$" .
    mv "$tarball.part.$$" "$tarball"
    rm -rf "$root"
    import_stand_in "$tag" "$tarball"
}
import_stand_in() {
    podman import "${STAND_IN_CHANGES[@]}" "$2" "$1" >/dev/null
}

# The stand-in's recipe; its hash names the cached image, so a changed recipe builds anew.
STAND_IN_PACKAGES="python3,python3-pip,python-is-python3,ca-certificates"
STAND_IN_CHANGES=(
    --change "ENV PIP_BREAK_SYSTEM_PACKAGES=1"
    --change "ENV LANG=C.UTF-8"
    --change 'CMD ["python3"]'
)
if podman image exists "$BASE"; then
    say "base: $BASE, present locally"
elif podman pull -q "$BASE" >"$WORK/pull.log" 2>&1; then
    say "base: $BASE, pulled from its registry"
else
    say "base: $BASE is not available ($(tail -n 1 "$WORK/pull.log" | cut -c1-160))"
    key=$({ echo "bookworm minbase $STAND_IN_PACKAGES ${STAND_IN_CHANGES[*]} v3"
            sha256sum /etc/ssl/certs/ca-certificates.crt; } | sha256sum | cut -c1-12)
    stand_in="localhost/mysymbols-ci-base:py311-bookworm-$key"
    tarball="$CACHE/stand-in-$key.tar.gz"
    mkdir -p "$CACHE"
    if podman image exists "$stand_in"; then
        say "base: STAND-IN for $BASE, cached image $stand_in (reused)"
    elif [ -s "$tarball" ]; then
        import_stand_in "$stand_in" "$tarball"
        say "base: STAND-IN for $BASE, re-imported from the cached $tarball as $stand_in"
    else
        build_stand_in "$stand_in" "$tarball"
        say "base: STAND-IN for $BASE, built now (mmdebstrap) as $stand_in; cached in $tarball"
    fi
    BASE=$stand_in
fi

# --- 3. the image -----------------------------------------------------------------------------
step "podman build"
# --format docker keeps the Dockerfile's HEALTHCHECK (OCI images have no such field). The label
# names the base for scripts/check-compose.sh (its PostgreSQL stand-in is built on it).
"${PODMAN[@]}" build --network=host "${ULIMITS[@]}" --format docker \
    --build-arg "BASE_IMAGE=$BASE" --label "mysymbols.ci.base=$BASE" -t "$IMAGE" \
    -f Dockerfile . >"$WORK/build.log" 2>&1 \
    || { tail -n 40 "$WORK/build.log"; die "podman build"; }
grep -E '^(\[[0-9]+/[0-9]+\] )?STEP|^--> Using cache' "$WORK/build.log" | sed 's/^/  /' || true
say "built $IMAGE from $BASE"

# --- 4. database and simulator ----------------------------------------------------------------
step "database and simulator"
psql_admin -c "CREATE DATABASE \"$DB_NAME\""
DB_CREATED=1
say "database $DB_NAME"
start_simulator 127.0.0.1
say "simulator $SIM_URL ($UNIVERSE contracts, pid $SIM_PID)"

# --- 5. the image's own CMD -------------------------------------------------------------------
step "start until ready"
if (exec 3<>"/dev/tcp/127.0.0.1/$APP_PORT") 2>/dev/null; then
    die "port $APP_PORT is taken on this machine (the image's CMD listens there, host network)"
fi
ADMIN_KEY="ci-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# --health-interval=disable: no systemd here to time the image's HEALTHCHECK; it is run once below.
# REQUEST_GAP_S=0: the SIGTERM step requests a scoring run right after step 6's (30 s apart by
# default, a 429 without a run to stop).
"${PODMAN[@]}" run -d --name "$CONTAINER" --network=host "${ULIMITS[@]}" --health-interval=disable \
    -e "MYSYMBOLS_DATABASE_URL=postgresql+asyncpg://$PG_USER@$PG_HOST:$PG_PORT/$DB_NAME" \
    -e "MYSYMBOLS_KUCOIN__FUTURES_URL=$SIM_URL" \
    -e "MYSYMBOLS_API_KEYS=admin:$ADMIN_KEY" \
    -e "MYSYMBOLS_SCHEDULER__REQUEST_GAP_S=0" \
    "$IMAGE" >/dev/null 2> >(no_systemd_noise)
export API ADMIN_KEY CHECK
wait_ready "$CONTAINER"
say "ready: $READY_BODY"
"${PODMAN[@]}" healthcheck run "$CONTAINER" >/dev/null || die "the image's HEALTHCHECK failed"
say "the image's HEALTHCHECK passes"

# --- 6. a sync and a scoring run over HTTP ----------------------------------------------------
step "universe sync + scoring run (HTTP)"
python3 scripts/lib/jobs_over_http.py

# --- 7. not root ------------------------------------------------------------------------------
step "not root"
uid=$(podman exec "$CONTAINER" id -u)
user=$(podman image inspect --format '{{.Config.User}}' "$IMAGE")
say "the process runs as uid $uid; the image's User is '$user'"
[ "$uid" != 0 ] || die "the container runs as root"
case "$user" in "" | root | 0 | 0:* | root:*) die "the image's User is root ('$user')" ;; esac

# --- 7b. bytecode -----------------------------------------------------------------------------
step "bytecode"
# The libraries' bytecode has no docstrings, the project's has (scripts/compile_bytecode.py): the
# image serves the very OpenAPI document the checkout does, descriptions and all.
podman exec "$CONTAINER" python -c \
    'import sqlalchemy.sql.selectable as s, sys; sys.exit(s.Select.__doc__ is not None)' \
    || die "a library's docstrings are in the image's bytecode (SQLAlchemy's Select has one)"
curl -sS --fail "http://127.0.0.1:$APP_PORT/openapi.json" >"$WORK/openapi.json" \
    || die "GET /openapi.json failed"
python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' \
    "$WORK/openapi.json" clients/python/openapi.json \
    || die "the image's OpenAPI document differs from clients/python/openapi.json"
say "no library docstrings; the OpenAPI document is the checkout's"

# --- 8. SIGTERM -------------------------------------------------------------------------------
step "SIGTERM stop"
# A scoring run in flight (202 at once: no ?wait=), so the stop has a run to abort.
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H "X-API-Key: $ADMIN_KEY" \
    "$API/jobs/score_refresh/run")
[ "$code" = 202 ] || die "POST /jobs/score_refresh/run answered $code, not 202: no run to stop"
say "a scoring run started (POST: $code); podman stop -t $STOP_WITHIN_S (SIGTERM, SIGKILL after)"
t0=$(now)
podman stop -t "$STOP_WITHIN_S" "$CONTAINER" >/dev/null 2> >(no_systemd_noise)
took=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$CONTAINER")
say "stopped in $took s, exit code $exit_code"
[ "$exit_code" != 137 ] || die "SIGTERM did not stop it: killed after $STOP_WITHIN_S s"
awk -v t="$took" -v m="$STOP_WITHIN_S" 'BEGIN { exit !(t < m) }' \
    || die "stopping took $took s (at most $STOP_WITHIN_S s)"

# --- 9. size ----------------------------------------------------------------------------------
step "image size"
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
say "image $IMAGE: $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.0f", s / 1e6 }') MB)"
[ "$size" -lt "$MAX_SIZE_BYTES" ] || die "the image is $size bytes (at most $MAX_SIZE_BYTES)"

print_times
echo "check-container: all passed (ready; sync and scoring over HTTP; uid $uid; stopped in" \
     "$took s; $size bytes)"
