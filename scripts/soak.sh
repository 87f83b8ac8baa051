#!/usr/bin/env bash
# Soak: five `bureau serve` peers on loopback take random CLI edits for
# SOAK_SECONDS (default 600) while peers are restarted at random (SIGTERM
# or SIGKILL, with offline edits while they are down). At the end every
# peer must export the same bytes, hold every task created, and show stock
# equal to the sum of every adjustment; serve RSS is sampled throughout and
# must not keep growing.
#
#   scripts/soak.sh [path/to/bureau]    (default target/release/bureau)
#   SOAK_SECONDS=60 SOAK_SEED=7 scripts/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-target/release/bureau}")
SECONDS_TOTAL=${SOAK_SECONDS:-600}
RANDOM=${SOAK_SEED:-1}
N=5
WORK=$(mktemp -d /tmp/bureau-soak.XXXXXX)
export BUREAU_NO_MDNS=1
PIDS=() PORTS=() TASKS=()
declare -A UP

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${SOAK_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "soak: FAILED: $*" >&2; echo "soak: logs kept in $WORK" >&2; SOAK_KEEP=1; exit 1; }

b() { local i=$1; shift; "$BIN" --offline --data-dir "$WORK/p$i" "$@" 2>>"$WORK/cli.err"; }

serve() {
    local i=$1
    "$BIN" --offline --data-dir "$WORK/p$i" --bind "127.0.0.1:${PORTS[$i]}" serve \
        >"$WORK/serve$i.out" 2>>"$WORK/serve$i.err" &
    PIDS[$i]=$!
    for _ in $(seq 1 600); do
        if [ "$(grep -c '^ready' "$WORK/serve$i.out" 2>/dev/null)" -ge 1 ]; then
            UP[$i]=1
            return 0
        fi
        kill -0 "${PIDS[$i]}" 2>/dev/null || fail "serve $i exited: $(tail -3 "$WORK/serve$i.err")"
        sleep 0.05
    done
    fail "serve $i never became ready"
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

for i in $(seq 1 $N); do PORTS[$i]=$((47000 + RANDOM % 1000 * 5 + i)); done
mkdir -p "$WORK/p1"
b 1 init --workspace "Soak Office" --name "Ana" >/dev/null
serve 1
ITEM=$(b 1 item add "Printer paper" --unit box --reorder-at 5 --site HQ --qty 1000)
for i in $(seq 2 $N); do
    b "$i" join "$(b 1 invite --expires 1h)" --name "Peer $i" >/dev/null
    serve "$i"
done
echo "soak: $N peers up; editing for $SECONDS_TOTAL s (seed ${SOAK_SEED:-1})"

expected_stock=1000
edits=0 restarts=0 kills=0 failures=0 unseen=0
start=$SECONDS
next_sample=$SECONDS
: >"$WORK/rss.tsv"
while ((SECONDS - start < SECONDS_TOTAL)); do
    i=$((RANDOM % N + 1))
    case $((RANDOM % 10)) in
    0 | 1 | 2 | 3)
        if id=$(b "$i" task add "task $edits from peer $i"); then TASKS+=("$id"); else failures=$((failures + 1)); fi ;;
    4 | 5 | 6)
        if ((${#TASKS[@]})); then
            task=${TASKS[RANDOM % ${#TASKS[@]}]}
            if ((RANDOM % 3)); then args=(set "$task" --title "edited $edits on $i"); else args=(done "$task"); fi
            if ! out=$("$BIN" --offline --data-dir "$WORK/p$i" task "${args[@]}" 2>&1 >/dev/null); then
                # A task made elsewhere may not have reached this peer yet.
                if [[ $out == *"no task with id"* ]]; then unseen=$((unseen + 1)); else failures=$((failures + 1)); echo "$out" >>"$WORK/cli.err"; fi
            fi
        fi ;;
    7 | 8)
        by=$((RANDOM % 7 - 3)); [ "$by" -eq 0 ] && by=1
        if b "$i" stock adjust "$ITEM" --site HQ --by "$by" >/dev/null; then
            expected_stock=$((expected_stock + by))
        else failures=$((failures + 1)); fi ;;
    9)
        # Restart a peer: graceful or SIGKILL, with edits made while it is down.
        if ((RANDOM % 3 == 0)); then
            if ((RANDOM % 2)); then kill -9 "${PIDS[$i]}"; kills=$((kills + 1)); else kill "${PIDS[$i]}"; fi
            wait "${PIDS[$i]}" 2>/dev/null || true
            UP[$i]=0
            for _ in 1 2 3; do
                if id=$(b "$i" task add "offline task on peer $i"); then TASKS+=("$id"); else failures=$((failures + 1)); fi
            done
            serve "$i"
            restarts=$((restarts + 1))
        fi ;;
    esac
    edits=$((edits + 1))
    if ((SECONDS >= next_sample)); then
        line="$((SECONDS - start))"
        for j in $(seq 1 $N); do line+=$'\t'"$(rss_kib "${PIDS[$j]}")"; done
        echo "$line" >>"$WORK/rss.tsv"
        next_sample=$((SECONDS + 10))
    fi
done
echo "soak: $edits operations ($restarts restarts, $kills SIGKILLs, $unseen edits of tasks not yet synced to that peer, $failures failed commands); converging"

converged=0
heal_start=$SECONDS
while ((SECONDS - heal_start < 300)); do
    for j in $(seq 1 $N); do b "$j" sync --timeout 20 >/dev/null 2>&1 || true; done
    for j in $(seq 1 $N); do b "$j" export --json >"$WORK/export$j.json"; done
    same=1
    for j in $(seq 2 $N); do cmp -s "$WORK/export1.json" "$WORK/export$j.json" || same=0; done
    if ((same)); then converged=1; break; fi
done
((converged)) || fail "exports still differ after 300 s of syncing"
((failures == 0)) || fail "$failures CLI commands failed (see $WORK/cli.err)"
tasks=$(b 1 task list --all --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
[ "$tasks" -eq "${#TASKS[@]}" ] || fail "expected ${#TASKS[@]} tasks, found $tasks"
stock=$(b 1 item show "$ITEM" | sed -nE 's/^HQ: (-?[0-9]+) on hand.*/\1/p')
[ "$stock" = "$expected_stock" ] || fail "expected stock $expected_stock, found '$stock'"
echo "soak: converged in $((SECONDS - heal_start)) s: $N identical exports, $tasks tasks, stock $stock"

python3 - "$WORK/rss.tsv" <<'EOF'
import sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
if len(rows) < 4:
    print("soak: too few RSS samples to judge growth"); sys.exit(0)
q = max(1, len(rows) // 4)
first = [max(r[j] for r in rows[:q]) for j in range(1, len(rows[0]))]
last = [max(r[j] for r in rows[-q:]) for j in range(1, len(rows[0]))]
peak = [max(r[j] for r in rows) for j in range(1, len(rows[0]))]
print("soak: serve RSS MiB (first quarter max / last quarter max / peak):")
for j, (f, l, p) in enumerate(zip(first, last, peak), 1):
    print(f"  peer {j}: {f/1024:.0f} / {l/1024:.0f} / {p/1024:.0f}")
grown = [j for j, (f, l) in enumerate(zip(first, last), 1) if l > 2 * f + 64 * 1024]
if grown:
    print(f"soak: FAILED: RSS more than doubled on peers {grown}"); sys.exit(1)
EOF
