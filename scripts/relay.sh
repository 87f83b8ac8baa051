#!/usr/bin/env bash
# Two laptops that cannot reach each other directly sync through the team's
# own relay: a real `iroh-relay` process on h1 of a LAN of network
# namespaces (../shared/tools/lan.sh); h2 and h3 each have a blackhole route
# to the other, so only the relay connects them. Without `--relay` the
# laptop cannot reach the office at all; with it, join, edits on both sides
# and a sync end in identical exports. Needs root and iproute2; CI runs it
# from .ci/run (which installs iroh-relay).
#
#   scripts/relay.sh path/to/bureau path/to/iroh-relay
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-target/debug/bureau}")
RELAY_BIN=$(realpath "${2:?path to the iroh-relay binary}")
LAN=$(realpath ../shared/tools/lan.sh)
export LAN_PREFIX="br$$"
WORK=$(mktemp -d /tmp/bureau-relay.XXXXXX)
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    "$LAN" down 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
    echo "relay: FAILED: $*" >&2
    for f in "$WORK"/*.err; do echo "--- $f" >&2; tail -5 "$f" >&2 || true; done
    exit 1
}

"$LAN" up 3
# h2 and h3 cannot reach each other; both reach h1.
ip -n "$LAN_PREFIX-h2" route add blackhole 10.77.0.3/32
ip -n "$LAN_PREFIX-h3" route add blackhole 10.77.0.2/32

"$LAN" run 1 "$RELAY_BIN" --dev >"$WORK/relay.out" 2>"$WORK/relay.err" &
PIDS+=($!)
URL="http://10.77.0.1:3340"
for _ in $(seq 1 100); do
    "$LAN" run 2 bash -c 'exec 3<>/dev/tcp/10.77.0.1/3340' 2>/dev/null && break
    sleep 0.1
done

# Office on h2, laptop on h3; both use the team relay.
office() { "$LAN" run 2 "$BIN" --offline --relay "$URL" --data-dir "$WORK/office" "$@" 2>>"$WORK/office.err"; }
laptop() { "$LAN" run 3 "$BIN" --offline --relay "$URL" --data-dir "$WORK/laptop" "$@" 2>>"$WORK/laptop.err"; }

office init --workspace "Acme Office" --name "Ana" --no-recovery-kit >/dev/null
TICKET=$(office --bind 10.77.0.2:7000 invite)
"$LAN" run 2 "$BIN" --offline --relay "$URL" --data-dir "$WORK/office" --bind 10.77.0.2:7000 serve \
    >"$WORK/serve.out" 2>"$WORK/serve.err" &
PIDS+=($!)
for _ in $(seq 1 300); do grep -q '^ready' "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
grep -q '^ready' "$WORK/serve.out" || fail "serve never became ready"

started=$SECONDS
laptop join "$TICKET" --name "Ben" >/dev/null || fail "join through the relay"
laptop task add "From the laptop" >/dev/null
office task add "From the office" >/dev/null
laptop sync --timeout 30 >/dev/null || fail "sync through the relay"
took=$((SECONDS - started))

# The direct path really is closed: without the relay the laptop is alone.
if "$LAN" run 3 "$BIN" --offline --data-dir "$WORK/laptop" sync --timeout 4 >/dev/null 2>&1; then
    fail "the laptop reached the office without the relay"
fi

office export --json >"$WORK/office.json"
laptop export --json >"$WORK/laptop.json"
cmp -s "$WORK/office.json" "$WORK/laptop.json" || fail "exports differ"
grep -q "From the laptop" "$WORK/office.json" || fail "the laptop's task is missing"
grep -q "From the office" "$WORK/laptop.json" || fail "the office's task is missing"
echo "relay: two devices with no direct route joined and synced through the team's iroh-relay in ${took}s; identical exports"
