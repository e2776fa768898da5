#!/usr/bin/env bash
# The compose stack, run (CI: .ci/run, after scripts/check-container.sh, whose image it runs).
# docker-compose.yml under podman-compose, unchanged but for an override file that names the
# images (the project's image as check-container.sh built it, and PostgreSQL) and sets the
# machine's ulimits; then checks:
#   order      db healthy (the file's healthcheck), then `migrate` ran as the owner and exited 0,
#              then `app` started (see below for why this script keeps the order)
#   ready      GET /api/symbol-mgmt/status on the published 127.0.0.1:8000 answers ready: true
#   jobs       a universe sync and a scoring run over HTTP succeed (scripts/lib/jobs_over_http.py)
#   roles      the app is connected as mysymbols_app (db's init script made it), which owns no
#              table and may not create one
#   stop       `podman-compose stop -t 10` stops app and db on their own stop signals (neither
#              killed after the 10 s); `down -v` then leaves nothing behind
# and prints the time of each step.
#
# PostgreSQL: docker-compose.yml's `postgres:16` when podman has it or can pull it; otherwise (no
# access to its registry, as on the CI machines) a stand-in: Debian bookworm's PostgreSQL 15 on
# the Debian base the project's image was built from, behind an entrypoint with the official
# image's contract (scripts/postgres-stand-in/). podman's layer cache keeps it between runs.
#
# Debian bookworm's podman (4.3) cannot wait for a container to be healthy (podman-compose ignores
# `condition: service_healthy` there, and says so), and cannot start a container whose
# requirement has exited (its dependency graph fails: "depends on container ... not found in
# input list"). So this script follows docker-compose.yml's depends_on itself, after checking
# that the file still says what it follows: each service is brought up alone (`up --no-deps`),
# db until the file's own healthcheck passes, migrate until it has exited 0, then app.
#
# The KuCoin simulator listens on the compose network's gateway, which the containers reach;
# nothing listens beyond this machine.
#
# Needs: root, podman (scripts/check-container.sh installs it), the image check-container.sh
# built ($MYSYMBOLS_CI_IMAGE), the project's venv ($VENV: podman-compose and the simulator),
# port 8000 free on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
IMAGE=${MYSYMBOLS_CI_IMAGE:-localhost/mysymbols:ci}
PROJECT="mysymbols-ci-compose-$$"
APP_PORT=8000               # docker-compose.yml publishes 127.0.0.1:8000
DB_READY_WITHIN_S=60
READY_WITHIN_S=240          # after migrate: the app's first start's sync and scoring
STOP_WITHIN_S=10
UNIVERSE=${MYSYMBOLS_CI_UNIVERSE:-30}
API="http://127.0.0.1:$APP_PORT/api/symbol-mgmt"
CHECK=check-compose
# shellcheck source=scripts/lib/steps.sh
. scripts/lib/steps.sh

WORK=$(mktemp -d)
SIM_PID=
COMPOSE_UP=
NETWORK="${PROJECT}_default"
# Random per run, URL-safe (they go into the database URLs as they are).
POSTGRES_PASSWORD=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
MYSYMBOLS_APP_DB_PASSWORD=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
ADMIN_KEY="ci-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
MYSYMBOLS_API_KEYS="admin:$ADMIN_KEY"
export POSTGRES_PASSWORD MYSYMBOLS_APP_DB_PASSWORD MYSYMBOLS_API_KEYS API ADMIN_KEY CHECK

compose() {
    # --runtime runc: crun refuses these machines' hybrid cgroup layout (see check-container.sh).
    "$VENV/bin/podman-compose" --podman-args="--runtime runc" -p "$PROJECT" \
        -f docker-compose.yml -f "$WORK/compose.ci.yml" "$@"
}
container_of() {  # container_of SERVICE: the name of the stack's container for SERVICE
    podman ps -a --filter "label=io.podman.compose.project=$PROJECT" \
        --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | head -n 1
}
# podman logs an error on every container with a HEALTHCHECK when there is no systemd to time it
# (the checks are run by hand here): those lines only are dropped.
no_systemd_noise() { grep -v 'unable to get systemd connection' >&2 || true; }

cleanup() {
    local code=$?
    set +e
    if [ "$code" -ne 0 ] && [ -n "$COMPOSE_UP" ]; then
        for service in db migrate app; do
            name=$(container_of "$service")
            [ -n "$name" ] || continue
            echo "---- $service's log (last 40 lines)"
            podman logs --tail 40 "$name" 2>&1
        done
    fi
    if [ "$code" -ne 0 ] && [ -s "$WORK/simulator.log" ]; then
        echo "---- the simulator's log (last 20 lines)"
        tail -n 20 "$WORK/simulator.log"
    fi
    [ -n "$COMPOSE_UP" ] && compose down -v -t 0 >/dev/null 2>&1
    podman network exists "$NETWORK" 2>/dev/null && podman network rm -f "$NETWORK" >/dev/null
    if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
        kill "$SIM_PID" && wait "$SIM_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
    exit "$code"
}
trap cleanup EXIT

# --- 1. tools and images ----------------------------------------------------------------------
step "images (the project's, PostgreSQL)"
[ -x "$VENV/bin/podman-compose" ] || die "no podman-compose in $VENV (scripts/dev.sh install)"
"$VENV/bin/podman-compose" version 2>/dev/null | tail -n 1
podman image exists "$IMAGE" || die "no image $IMAGE: scripts/check-container.sh builds it"
db_image=$(sed -n 's/^ *image: *\(postgres:.*\)$/\1/p' docker-compose.yml | head -n 1)
[ -n "$db_image" ] || die "docker-compose.yml names no postgres image"
if podman image exists "$db_image" || podman pull -q "$db_image" >"$WORK/pull.log" 2>&1; then
    say "PostgreSQL: $db_image, as docker-compose.yml says"
else
    say "PostgreSQL: $db_image is not available ($(tail -n 1 "$WORK/pull.log" | cut -c1-160))"
    base=$(podman image inspect --format '{{index .Config.Labels "mysymbols.ci.base"}}' "$IMAGE")
    [ -n "$base" ] && [ "$base" != "<no value>" ] \
        || die "$IMAGE has no mysymbols.ci.base label (built by another check-container.sh?)"
    wanted=$db_image
    db_image=localhost/mysymbols-ci-postgres:15-bookworm
    podman --runtime runc build --network=host --ulimit nofile=1024:20000 \
        --ulimit nproc=4096:4096 --build-arg "BASE_IMAGE=$base" -t "$db_image" \
        scripts/postgres-stand-in >"$WORK/build.log" 2>&1 \
        || { tail -n 30 "$WORK/build.log"; die "building the PostgreSQL stand-in"; }
    grep -q -- '--> Using cache' "$WORK/build.log" && reused=" (podman's cache)" || reused=""
    say "PostgreSQL: STAND-IN for $wanted: $db_image, Debian's PostgreSQL 15 on $base$reused"
fi
limits='    ulimits: {nofile: {soft: 1024, hard: 20000}, nproc: {soft: 4096, hard: 4096}}'
cat >"$WORK/compose.ci.yml" <<EOF
# check-compose.sh's override: the images, and the ulimits these machines allow.
services:
  db:
    image: $db_image
$limits
  migrate:
    image: $IMAGE
$limits
  app:
    image: $IMAGE
$limits
EOF

# The order this script follows (see above) is the file's own.
order=$(compose config 2>/dev/null | "$VENV/bin/python" -c '
import sys, yaml
services = yaml.safe_load(sys.stdin)["services"]
print(" ".join(name + ":" + dep + ":" + str(spec.get("condition"))
               for name in ("migrate", "app")
               for dep, spec in services[name]["depends_on"].items()))')
[ "$order" = "migrate:db:service_healthy app:migrate:service_completed_successfully" ] \
    || die "docker-compose.yml's depends_on changed ($order): update this script's order"

# --- 2. PostgreSQL, then the simulator on its network's gateway ---------------------------------
step "db up and healthy"
if (exec 3<>"/dev/tcp/127.0.0.1/$APP_PORT") 2>/dev/null; then
    die "port $APP_PORT is taken on this machine (docker-compose.yml publishes it)"
fi
podman network create "$NETWORK" >/dev/null
COMPOSE_UP=1
compose up -d --no-build --no-deps db >"$WORK/up-db.log" 2>&1 || { cat "$WORK/up-db.log"; die "up db"; }
db=$(container_of db)
deadline=$((SECONDS + DB_READY_WITHIN_S))
until podman healthcheck run "$db" >/dev/null 2> >(no_systemd_noise); do
    [ "$SECONDS" -lt "$deadline" ] || die "db not healthy within $DB_READY_WITHIN_S s"
    [ "$(podman inspect --format '{{.State.Running}}' "$db")" = true ] || die "db exited"
    sleep 0.5
done
podman logs "$db" 2>&1 | grep '^stand-in:' | sed 's/^/  /' || true
say "db healthy (docker-compose.yml's healthcheck: pg_isready)"

step "simulator"
gateway=$(podman network inspect --format '{{range .Subnets}}{{.Gateway}}{{end}}' "$NETWORK")
[ -n "$gateway" ] || die "no gateway on $NETWORK"
start_simulator "$gateway"
export MYSYMBOLS_KUCOIN__FUTURES_URL=$SIM_URL
say "simulator $SIM_URL ($UNIVERSE contracts), on $NETWORK's gateway"

# --- 3. migrate, then app ---------------------------------------------------------------------
step "migrate, then app until ready"
compose up -d --no-build --no-deps migrate >"$WORK/up-migrate.log" 2>&1 \
    || { cat "$WORK/up-migrate.log"; die "up migrate"; }
migrate=$(container_of migrate)
migrate_code=$(podman wait "$migrate")
[ "$migrate_code" = 0 ] || die "migrate exited $migrate_code"
say "migrate exited 0 ($(podman logs "$migrate" 2>&1 | grep -c 'Running upgrade') migrations run)"
compose up -d --no-build --no-deps app >"$WORK/up-app.log" 2>&1 \
    || { cat "$WORK/up-app.log"; die "up app"; }
app=$(container_of app)
wait_ready "$app"
say "ready on 127.0.0.1:$APP_PORT: $READY_BODY"

# --- 4. a sync and a scoring run over HTTP ----------------------------------------------------
step "universe sync + scoring run (HTTP)"
python3 scripts/lib/jobs_over_http.py

# --- 5. the app's role ------------------------------------------------------------------------
step "roles"
sql() { podman exec "$db" psql -v ON_ERROR_STOP=1 -Atq -U mysymbols -d mysymbols -c "$1"; }
app_sessions=$(sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 'mysymbols_app'")
tables_of() {  # tables_of ROLE: how many of the public schema's tables ROLE owns
    sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = '$1'"
}
owned=$(tables_of mysymbols_app)
tables=$(tables_of mysymbols)
may_create=$(sql "SELECT has_schema_privilege('mysymbols_app', 'public', 'CREATE')")
say "sessions of mysymbols_app: $app_sessions; tables owned by mysymbols: $tables, by" \
    "mysymbols_app: $owned; mysymbols_app may create in public: $may_create"
[ "$app_sessions" -gt 0 ] || die "the app is not connected as mysymbols_app"
[ "$tables" -gt 0 ] && [ "$owned" = 0 ] || die "the tables' owner is not the migration role"
[ "$may_create" = f ] || die "mysymbols_app may create tables"

# --- 6. stop and down -------------------------------------------------------------------------
step "stop and down"
t0=$(now)
compose stop -t "$STOP_WITHIN_S" >"$WORK/stop.log" 2>&1 || { cat "$WORK/stop.log"; die "stop"; }
took=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
app_code=$(podman inspect --format '{{.State.ExitCode}}' "$app")
db_code=$(podman inspect --format '{{.State.ExitCode}}' "$db")
say "stopped in $took s: app exited $app_code, db $db_code (137: killed after $STOP_WITHIN_S s)"
[ "$app_code" != 137 ] && [ "$db_code" != 137 ] || die "a container did not stop on its signal"
compose down -v >"$WORK/down.log" 2>&1 || { cat "$WORK/down.log"; die "down"; }
COMPOSE_UP=
left=$(podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}')
[ -z "$left" ] || die "containers left after down: $left"

print_times
echo "check-compose: all passed (db, migrate then app, ready; sync and scoring over HTTP; the" \
     "app as mysymbols_app; stopped in $took s)"
