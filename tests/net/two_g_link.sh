#!/usr/bin/env bash
# One TPS's five sheets over an emulated 2G link, end to end through the real programs.
#
# The tablet (rekap-field) runs in a network namespace this script creates, joined to the host
# by a veth pair. The link gets what a bad 2G cell gives:
#   - rate: 20 kbit/s each way (tc tbf on both ends of the veth);
#   - loss: 10 % of packets dropped each way (nftables "numgen random mod 10 0 drop" on the
#     namespace's input and output hooks; this kernel has no netem);
#   - delay: 500 ms each way, added by a relay (rekap-faultproxy --delay-ms) on the host side
#     that holds every chunk of the TCP stream before passing it to the receiver or back.
# The receiver (rekap-central) and relay run on the host. Enrolment happens first on the clean
# link, as it would at the KPU office before election day; then the link degrades, the five
# sheets are recorded offline and synced. Checks: all five accepted, stored exactly once; then
# one more PPWP correction on its own. Prints the time of the five-sheet sync and the bytes on
# the wire (the veth's counters: IP packets with headers and retransmissions, both ways).
#
# Needs root (CAP_NET_ADMIN) for namespaces, tc and nftables; exits 77 (skipped) if refused.
# Usage: two_g_link.sh BUILD_DIR DATA_DIR
set -euo pipefail
build=$1
data=$2
central="$build/server-stub/rekap-central"
field="$build/sync/rekap-field"
proxy="$build/tests/support/rekap-faultproxy"
sim="$build/tests/sim/rekap-sim"

skip() {
    echo "SKIPPED: $*"
    exit 77
}
ns="rk2g$$"
host_if="rk2g$$h"
ns_if="rk2g$$n"
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    ip link del "$host_if" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

command -v ip >/dev/null || skip "iproute2 (ip) is not installed"
command -v nft >/dev/null || skip "nftables (nft) is not installed"
ip netns add "$ns" 2>/dev/null || skip "cannot create a network namespace (needs root)"
ip link add "$host_if" type veth peer name "$ns_if" 2>/dev/null || skip "cannot create a veth pair"
ip link set "$ns_if" netns "$ns"
ip addr add 10.77.0.1/30 dev "$host_if"
ip link set "$host_if" up
ip -n "$ns" addr add 10.77.0.2/30 dev "$ns_if"
ip -n "$ns" link set "$ns_if" up
ip -n "$ns" link set lo up

# The receiver on the host's loopback, the relay on the host end of the veth.
"$central" --db "$work/central.db" init --regency "$data/regencies/hss-6306.json" >/dev/null
tps=$("$sim" --regency "$data/regencies/hss-6306.json" --emit-sheets "$work/sheets")
code=$("$central" --db "$work/central.db" mint --area "$tps" | head -1)
"$central" --db "$work/central.db" serve --host 127.0.0.1 --port 0 >"$work/central.out" \
    2>"$work/central.log" &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/central.out" && break; sleep 0.1; done
central_port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/central.out")
[ -n "$central_port" ] || { cat "$work/central.log"; exit 1; }
"$proxy" --listen-host 10.77.0.1 --listen-port 0 --target-port "$central_port" \
    --delay-ms 500 >"$work/proxy.out" &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/proxy.out" && break; sleep 0.1; done
relay=$(sed -n 's/^listening on //p' "$work/proxy.out")

device() { ip netns exec "$ns" "$field" --store "$work/device.db" "$@"; }
device enrol --server "http://$relay" --code "$code" --name "tablet TPS $tps" >/dev/null

# Now the link degrades.
tc qdisc add dev "$host_if" root tbf rate 20kbit burst 1600 latency 5s 2>/dev/null ||
    skip "tc tbf is refused here"
ip netns exec "$ns" tc qdisc add dev "$ns_if" root tbf rate 20kbit burst 1600 latency 5s
ip netns exec "$ns" nft -f - <<'NFT' || skip "nftables rules are refused here"
table inet lossy {
    chain in { type filter hook input priority 0; policy accept; numgen random mod 10 0 drop; }
    chain out { type filter hook output priority 0; policy accept; numgen random mod 10 0 drop; }
}
NFT

for contest in ppwp pdpr pdpd pdprdp pdprdk; do
    device record "$work/sheets/$contest.json" --operator "KPPS 1" >/dev/null
done
wire() { echo $(($(cat /sys/class/net/"$host_if"/statistics/rx_bytes) + \
    $(cat /sys/class/net/"$host_if"/statistics/tx_bytes))); }
before=$(wire)
start=$(date +%s.%N)
device --json sync --timeout-ms 120000 --attempts 20 >"$work/sync.json"
end=$(date +%s.%N)
five_bytes=$(($(wire) - before))
five_secs=$(awk "BEGIN { print $end - $start }")

# A correction of the PPWP sheet alone: the wire cost of one PPWP sheet's sync. (JSON is read
# and edited with sqlite3's JSON functions: no other tool is assumed.)
json() { sqlite3 :memory: "$1"; }
json "SELECT writefile('$work/ppwp-fixed.json', json_set(readfile('$work/sheets/ppwp.json'),
    '$.disabled_voters.l', json_extract(readfile('$work/sheets/ppwp.json'), '$.disabled_voters.l') + 1,
    '$.disabled_voters.total', json_extract(readfile('$work/sheets/ppwp.json'), '$.disabled_voters.total') + 1))" >/dev/null
device correct "$work/ppwp-fixed.json" --operator "KPPS 1" --reason "salah tulis" >/dev/null
before=$(wire)
device --json sync --timeout-ms 120000 --attempts 20 >"$work/sync1.json"
one_bytes=$(($(wire) - before))

# Everything arrived, once.
device --json status >"$work/status.json"
queued=$(json "SELECT json_extract(readfile('$work/status.json'), '$.queue_depth')")
stored=$(sqlite3 "$work/central.db" "SELECT COUNT(*) || ' ' || COUNT(DISTINCT id) FROM revisions")
accepted=$(sqlite3 "$work/central.db" "SELECT COUNT(*) FROM revisions WHERE status = 'accepted'")
echo "sync of five sheets: $(cat "$work/sync.json")"
echo "device queue $queued; receiver stores $stored (rows, distinct ids), $accepted accepted"
if [ "$queued" != 0 ] || [ "$stored" != "6 6" ] || [ "$accepted" != 6 ]; then
    echo "FAILED: expected 6 revisions stored once and accepted, nothing queued"
    exit 1
fi
printf '2G link (20 kbit/s, 500 ms each way, 10 %% loss each way): five sheets in %.1f s, %d bytes on the wire (%d per sheet); one PPWP sheet alone: %d bytes\n' \
    "$five_secs" "$five_bytes" $((five_bytes / 5)) "$one_bytes"
