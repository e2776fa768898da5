# Sourced by scripts/check-container.sh and scripts/check-compose.sh: their messages, their
# failure, and the time of each step. The sourcing script sets CHECK (its name, the prefix).

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
