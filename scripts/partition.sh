#!/usr/bin/env bash
# Five `bureau serve` peers on a private LAN of network namespaces
# (../shared/tools/lan.sh): they join, split into three partitions
# ({h1,h2,h3}, {h4}, {h5}) and keep working, heal while h2 is SIGKILLed and
# restarted mid-sync and h4's link is cut again during the heal sync, then
# must converge: identical exports, every task present, stock equal to the
# sum of every adjustment. Needs root and iproute2; CI runs it from .ci/run.
#
#   scripts/partition.sh [path/to/bureau]     (default target/debug/bureau)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-target/debug/bureau}")
LAN=$(realpath ../shared/tools/lan.sh)
export LAN_PREFIX="bp$$"
WORK=$(mktemp -d /tmp/bureau-partition.XXXXXX)
declare -A PIDS

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    "$LAN" down 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "partition: FAILED: $*" >&2; exit 1; }
dir() { echo "$WORK/h$1"; }
# CLI on host i (commands are forwarded to that host's running serve).
b() { local i=$1; shift; "$LAN" run "$i" "$BIN" --offline --data-dir "$(dir "$i")" "$@" 2>>"$WORK/cli.err"; }

serve() {
    local i=$1
    "$LAN" run "$i" "$BIN" --offline --data-dir "$(dir "$i")" --bind "10.77.0.$i:7000" serve \
        >"$WORK/serve$i.out" 2>"$WORK/serve$i.err" &
    PIDS[$i]=$!
    for _ in $(seq 1 300); do
        grep -q '^ready' "$WORK/serve$i.out" 2>/dev/null && return 0
        kill -0 "${PIDS[$i]}" 2>/dev/null || fail "serve on h$i exited: $(cat "$WORK/serve$i.err")"
        sleep 0.1
    done
    fail "serve on h$i never became ready"
}

# Runs `sync` everywhere until every export is identical (or the deadline).
converge() {
    local deadline=$((SECONDS + $1))
    while ((SECONDS < deadline)); do
        for i in 1 2 3 4 5; do b "$i" sync --timeout 20 >/dev/null 2>&1 || true; done
        for i in 1 2 3 4 5; do b "$i" export --json >"$WORK/export$i.json"; done
        local same=1
        for i in 2 3 4 5; do cmp -s "$WORK/export1.json" "$WORK/export$i.json" || same=0; done
        ((same)) && return 0
    done
    return 1
}

"$LAN" up 5
mkdir -p "$(dir 1)"
b 1 init --workspace "Acme Office" --name "Ana" >/dev/null
serve 1
ITEM=$(b 1 item add "Printer paper" --unit box --reorder-at 5 --site HQ --qty 100)
SHARED=$(b 1 task add "Book the quarterly fire drill")
for i in 2 3 4 5; do
    ticket=$(b 1 invite --expires 1h)
    b "$i" join "$ticket" --name "Person $i" >/dev/null
    serve "$i"
done
converge 120 || fail "the five peers did not converge after joining"
echo "partition: 5 peers joined and in sync"

# Partition: h4 and h5 lose the network; everyone keeps working.
"$LAN" cut 4
"$LAN" cut 5
expected_tasks=1
expected_stock=100
for i in 1 2 3 4 5; do
    for n in $(seq 1 40); do b "$i" task add "h$i partition task $n" >/dev/null; done
    expected_tasks=$((expected_tasks + 40))
    b "$i" stock adjust "$ITEM" --site HQ --by "-$i" --reason "used on h$i" >/dev/null
    expected_stock=$((expected_stock - i))
    b "$i" task set "$SHARED" --title "Fire drill (edited on h$i)" >/dev/null
done
b 1 sync --timeout 30 >/dev/null || fail "h1 could not sync with h2/h3 during the partition"
echo "partition: 200 tasks, 5 stock adjustments and 5 concurrent title edits made in 3 partitions"

# Heal, with a crash and a second outage in the middle of the heal sync.
"$LAN" heal 4
"$LAN" heal 5
healed_at=$SECONDS
b 4 sync --timeout 5 >/dev/null 2>&1 &
sleep 0.3
kill -9 "${PIDS[2]}"
wait "${PIDS[2]}" 2>/dev/null || true # reports "Killed": that is the point
"$LAN" cut 4
sleep 0.5
"$LAN" heal 4
serve 2
converge 180 || fail "peers did not converge after the partition healed"

tasks=$(b 1 task list --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
[ "$tasks" -eq "$expected_tasks" ] || fail "expected $expected_tasks tasks, found $tasks"
stock=$(b 1 item show "$ITEM" | sed -nE 's/^HQ: (-?[0-9]+) on hand.*/\1/p')
[ "$stock" = "$expected_stock" ] || fail "expected $expected_stock boxes at HQ, found '$stock'"
echo "partition: healed in $((SECONDS - healed_at)) s; 5 identical exports, $tasks tasks, stock $stock (sum of every adjustment)"
