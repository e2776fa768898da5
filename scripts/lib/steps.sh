# Sourced by scripts/check-container.sh and scripts/check-compose.sh: their messages, their
# failure, the time of each step, and the simulator and readiness waits both make. The sourcing
# script sets CHECK (its name, the prefix).

now() { date +%s.%N; }
say() { echo "$CHECK: $*"; }
die() { echo "$CHECK: FAILED: $*" >&2; exit 1; }

T_ALL=$(now)
T_STEP=
STEP=
TIMES=()
step() {  # step NAME: ends the step under way (its time printed), starts NAME
    step_end
    STEP=$1
    T_STEP=$(now)
    echo "== $CHECK: $STEP"
}
step_end() {
    [ -n "$STEP" ] || return 0
    local took
    took=$(awk -v a="$T_STEP" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
    say "$STEP took $took s"
    TIMES+=("$(printf '%-34s %7s s' "$STEP" "$took")")
    STEP=
}
print_times() {  # the step under way ended, then every step's time and the total
    step_end
    echo "$CHECK: step times"
    printf '  %s\n' "${TIMES[@]}"
    local total
    total=$(awk -v a="$T_ALL" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
    printf '  %-34s %7s s\n' total "$total"
}

# The two things both checks wait for. Callers set VENV, UNIVERSE, WORK, API and READY_WITHIN_S.
start_simulator() {  # start_simulator HOST: the simulator on HOST (any port); sets SIM_PID, SIM_URL
    # The log exists before the loop reads it: the background job's own redirection may come
    # after the first read on a busy machine, and a failed read ends the script (set -e).
    : >"$WORK/simulator.log"
    PYTHONUNBUFFERED=1 "$VENV/bin/python" -m tests.kucoin_sim --port 0 --host "$1" \
        --universe "$UNIVERSE" >"$WORK/simulator.log" 2>&1 &
    SIM_PID=$!
    SIM_URL=
    for _ in $(seq 1 300); do
        SIM_URL=$(sed -n 's/^KuCoin simulator on \([^ ]*\) .*/\1/p' "$WORK/simulator.log")
        [ -n "$SIM_URL" ] && return 0
        kill -0 "$SIM_PID" 2>/dev/null || die "the simulator exited"
        sleep 0.1
    done
    die "the simulator did not start"
}
wait_ready() {  # wait_ready CONTAINER: until $API/status says ready (dies if CONTAINER exits)
    local deadline=$((SECONDS + READY_WITHIN_S))
    READY_BODY=
    while [ "$SECONDS" -lt "$deadline" ]; do
        [ "$(podman inspect --format '{{.State.Running}}' "$1")" = true ] \
            || die "$1 exited ($(podman inspect --format '{{.State.ExitCode}}' "$1"))"
        if READY_BODY=$(curl -fsS --max-time 3 "$API/status" 2>/dev/null) \
            && grep -q '"ready":true' <<<"$READY_BODY"; then
            return 0
        fi
        sleep 0.5
    done
    die "not ready within $READY_WITHIN_S s (last: ${READY_BODY:-no answer})"
}
