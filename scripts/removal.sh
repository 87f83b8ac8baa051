#!/usr/bin/env bash
# Removal that sticks, with real processes on a LAN of network namespaces
# (../shared/tools/lan.sh), playing the two findings of issue "Membership
# you can trust" exactly as they were found:
#
#  1. Eve's site (Eve, Dan) is cut off; Ana removes Eve; Eve adds a task;
#     Dan, who has not heard, syncs with Eve; the link returns and Dan syncs.
#  2. Ana's old laptop is removed on her new one while the new one is cut
#     off; the old laptop adds a task and removes the office peer, and syncs
#     with Cleo; then the removal reaches Cleo.
#
# Each ends with identical exports on every peer that knows the removal and
# none of the removed device's later records. Needs root and iproute2; CI
# runs it from .ci/run.
#
#   scripts/removal.sh [path/to/bureau]     (default target/debug/bureau)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-target/debug/bureau}")
LAN=$(realpath ../shared/tools/lan.sh)
export LAN_PREFIX="bx$$"
WORK=$(mktemp -d /tmp/bureau-removal.XXXXXX)
declare -A PIDS

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    "$LAN" down 2>/dev/null || true
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
    echo "removal: FAILED: $*" >&2
    tail -20 "$WORK/cli.err" >&2 || true
    exit 1
}

# CLI on host i, its own data dir and port (commands go to its serve, if any).
b() { local i=$1; shift; "$LAN" run "$i" "$BIN" --offline --data-dir "$WORK/$ROUND/h$i" --bind "10.77.0.$i:7000" "$@" 2>>"$WORK/cli.err"; }
serve() {
    local i=$1
    "$LAN" run "$i" "$BIN" --offline --data-dir "$WORK/$ROUND/h$i" --bind "10.77.0.$i:7000" serve \
        >"$WORK/serve$i.out" 2>>"$WORK/serve$i.err" &
    PIDS[$i]=$!
    for _ in $(seq 1 300); do
        grep -q '^ready' "$WORK/serve$i.out" 2>/dev/null && return 0
        sleep 0.1
    done
    fail "serve on h$i never became ready"
}
stop() { kill "${PIDS[$1]}" 2>/dev/null || true; wait "${PIDS[$1]}" 2>/dev/null || true; unset "PIDS[$1]"; }
# Hosts in $1 and hosts in $2 cannot reach each other (or can again).
split() { for a in $1; do for c in $2; do
    ip -n "$LAN_PREFIX-h$a" route add blackhole "10.77.0.$c/32"
    ip -n "$LAN_PREFIX-h$c" route add blackhole "10.77.0.$a/32"
done; done; }
join() { for a in $1; do for c in $2; do
    ip -n "$LAN_PREFIX-h$a" route del blackhole "10.77.0.$c/32"
    ip -n "$LAN_PREFIX-h$c" route del blackhole "10.77.0.$a/32"
done; done; }
# Syncs host $1 until its export holds $2 (a few tries: it may be in sync
# with one peer before another answers).
sync_until() {
    for _ in $(seq 1 5); do
        b "$1" sync --timeout 10 >/dev/null || true
        b "$1" export --json | grep -q "$2" && return 0
    done
    return 1
}
# Syncs `syncer` until the exports of every host listed are identical and
# none holds `text` (or gives up).
settle() {
    local syncer=$1 hosts=$2 text=$3
    # Every round is a full sync by $syncer: each peer's sweep of the
    # removed device's change is a change of its own that must spread too,
    # so a busy machine can need more rounds than a quiet one.
    for _ in $(seq 1 20); do
        b "$syncer" sync --timeout 10 >/dev/null || true
        local same=1 first=""
        for i in $hosts; do
            b "$i" export --json >"$WORK/export$i.json"
            grep -q "$text" "$WORK/export$i.json" && same=0
            if [ -z "$first" ]; then first=$i; else cmp -s "$WORK/export$first.json" "$WORK/export$i.json" || same=0; fi
        done
        ((same)) && return 0
    done
    # Say what was still wrong.
    for i in $hosts; do
        grep -q "$text" "$WORK/export$i.json" && echo "removal: h$i still has \"$text\"" >&2
        cmp -s "$WORK/export$first.json" "$WORK/export$i.json" || echo "removal: h$i differs from h$first" >&2
    done
    return 1
}

echo "removal: finding 1 (a removed member's edits through a peer who had not heard)"
ROUND=finding1
"$LAN" up 3
b 1 init --workspace "Acme Office" --name "Ana" --no-recovery-kit >/dev/null
TICKET=$(b 1 invite)
serve 1
b 2 join "$TICKET" --name "Dan" >/dev/null || fail "Dan joins"
b 3 join "$(b 1 invite)" --name "Eve" >/dev/null || fail "Eve joins"
b 2 sync --timeout 20 >/dev/null || fail "Dan syncs"
split "1" "2 3"
b 1 member remove Eve >/dev/null || fail "Ana removes Eve"
b 3 task add "Eve's task after her removal" >/dev/null || fail "Eve adds a task"
serve 3
b 2 sync --timeout 20 >/dev/null || fail "Dan syncs with Eve"
b 2 export --json | grep -q "Eve's task after her removal" || fail "Dan should have Eve's task before he hears"
join "1" "2 3"
settle 2 "1 2" "Eve's task after her removal" || fail "Ana's and Dan's exports differ or hold Eve's task"
stop 3
b 3 status | grep -q "You were removed from Acme Office by Ana" || fail "Eve was not told"
# Ana sees what was undone and keeps it: back everywhere.
b 1 member after-removal | grep -q "by Eve's device" || fail "Ana does not see Eve's later changes"
EVE=$(b 1 member after-removal --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["device"][:12])')
b 1 member keep "$EVE" >/dev/null || fail "Ana keeps Eve's changes"
b 1 export --json | grep -q "Eve's task after her removal" || fail "kept task missing on Ana"
sync_until 2 "Eve's task after her removal" || fail "kept task missing on Dan"
stop 1
echo "removal: finding 1 ok: identical exports on Ana and Dan, without Eve's task; Eve was told; Ana kept it afterwards and Dan has it too"
"$LAN" down

echo "removal: finding 2 (a stale laptop slips in a task and a removal through Cleo)"
ROUND=finding2
"$LAN" up 4
# h2: Ana's old laptop (made the workspace); h1: her new laptop (admin);
# h3: Cleo; h4: the office peer.
b 2 init --workspace "Acme Office" --name "Ana" --no-recovery-kit >/dev/null
TICKET=$(b 2 invite --role admin)
serve 2
b 1 join "$TICKET" --name "Ana (new laptop)" >/dev/null || fail "new laptop joins"
b 3 join "$(b 2 invite)" --name "Cleo" >/dev/null || fail "Cleo joins"
b 4 join "$(b 2 invite)" --name "Office Peer" >/dev/null || fail "office peer joins"
# Everyone meets everyone once (so each knows every device and address).
for i in 1 3 4; do b "$i" sync --timeout 20 >/dev/null || fail "h$i syncs"; done
stop 2
serve 4
OLD=$(b 2 member list --json | python3 -c 'import json,sys; print([m for m in json.load(sys.stdin) if m["name"]=="Ana"][0]["devices"][0])')
split "1" "2 3 4"
b 1 member remove-device "$OLD" >/dev/null || fail "the new laptop removes the old one"
b 2 task add "Slipped in by the old laptop" >/dev/null || fail "the old laptop adds a task"
b 2 member remove "Office Peer" >/dev/null || fail "the old laptop removes the office peer"
serve 2
# Cleo may be in sync with the office peer before the old laptop answers.
sync_until 3 "Slipped in by the old laptop" || fail "Cleo should have the old laptop's task before she hears"
stop 2
join "1" "2 3 4"
serve 1
settle 3 "1 3 4" "Slipped in by the old laptop" || fail "exports differ or hold the old laptop's task"
b 3 member list | grep -q "Office Peer" || fail "the stale removal of the office peer counted"
echo "removal: finding 2 ok: identical exports on the new laptop, Cleo and the office peer, without the old laptop's task; the office peer is still a member"
