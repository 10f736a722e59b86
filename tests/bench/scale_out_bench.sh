#!/usr/bin/env bash
# Durable ingest over HTTP, same command, same machine, same run: the receiver on SQLite (one
# `rekap-central serve`), then on PostgreSQL with 1, 2 and 3 `serve` processes sharing one
# database (a fresh store for each), loaded by rekap-ingest-load round-robin over them.
# Prints a table (docs/benchmarks.md, "Scale-out on PostgreSQL").
#
#   tests/bench/scale_out_bench.sh [BUILD_DIR]
# Environment (defaults in brackets):
#   PG_ADMIN_URL  a role that may CREATE DATABASE [postgresql://rekap@127.0.0.1:25432/rekap]
#   REGENCY       master data [data/regencies/banyuasin-1607.json]
#   DEVICES       devices pushing at once [64]
#   BATCH         revisions per push [1]
#   TPS           TPS (devices) pushed, 0 = every TPS of the regency [0]
#   CONFIGS       which runs [sqlite:1 pg:1 pg:2 pg:3]
#   ASYNC         1: pushes ask to be answered when stored (Prefer: respond-async) and the run
#                 ends when every sheet is integrated; the table's rate is the integrated one [0]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build-bench}
central=$build/server-stub/rekap-central
load=$build/tests/bench/rekap-ingest-load
admin=${PG_ADMIN_URL:-postgresql://rekap@127.0.0.1:25432/rekap}
regency=${REGENCY:-$here/data/regencies/banyuasin-1607.json}
devices=${DEVICES:-64}
batch=${BATCH:-1}
tps=${TPS:-0}
configs=${CONFIGS:-sqlite:1 pg:1 pg:2 pg:3}
async=()
[[ ${ASYNC:-0} == 1 ]] && async=(--async)
for f in "$central" "$load"; do
    [[ -x $f ]] || { echo "missing $f: build rekap-central and rekap-ingest-load" >&2; exit 2; }
done

work=$(mktemp -d /tmp/rekap-scale-out.XXXXXX)
pids=()
dbname=""
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
    if [[ -n $dbname ]]; then
        psql -q "$admin" -c "DROP DATABASE IF EXISTS $dbname" >/dev/null || true
        dbname=""
    fi
}
trap 'cleanup; rm -rf "$work"' EXIT

base=${admin%/*}
rows=()
echo "scale-out ingest: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, regency $(basename "$regency"), $devices devices at once, $batch revision(s) per push"
for config in $configs; do
    kind=${config%%:*}
    n=${config##*:}
    dir=$work/$kind-$n
    mkdir -p "$dir"
    if [[ $kind == sqlite ]]; then
        db=$dir/central.db
    else
        dbname=rekap_scale_${n}_$$
        psql -q "$admin" -c "CREATE DATABASE $dbname" >/dev/null
        db=$base/$dbname
    fi
    args=(--db "$db" --signing-key "$dir/receiver.key" --photos "$dir/photos")
    "$central" "${args[@]}" init --regency "$regency" >/dev/null
    urls=()
    # One after another: receivers started at the same instant on a fresh photo directory race
    # to create its photos.db ("table uploads already exists"; seen 2026-12-03).
    for ((i = 0; i < n; i++)); do
        "$central" "${args[@]}" serve --port 0 --no-access-log >"$dir/serve$i.out" 2>"$dir/serve$i.err" &
        pids+=($!)
        for _ in $(seq 200); do
            grep -q '^listening on' "$dir/serve$i.out" && break
            sleep 0.1
        done
        url=$(sed -n 's/^listening on //p' "$dir/serve$i.out")
        [[ -n $url ]] || { echo "receiver $i did not start:" >&2; cat "$dir/serve$i.err" >&2; exit 1; }
        urls+=(--url "${url/0.0.0.0/127.0.0.1}")
    done
    line=$("$load" --db "$db" --signing-key "$dir/receiver.key" "${urls[@]}" \
        --devices "$devices" --batch "$batch" --tps "$tps" "${async[@]}" 2>"$dir/load.err") || {
        echo "load failed ($config):" >&2; cat "$dir/load.err" "$dir"/serve*.err >&2; exit 1; }
    loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
    echo "$config: $line (load average after: $loadavg)"
    # sheets N seconds S sheets/s R ... push p50 A ms p99 B ms
    read -r sheets secs rate p50 p99 < <(awk '{for (i=1;i<=NF;i++) {
        if ($i=="sheets") s=$(i+1); if ($i=="seconds") t=$(i+1); if ($i=="sheets/s") r=$(i+1);
        if ($i=="after") t=$(i+1); if ($i=="integrated" && $(i+1)=="sheets/s") r=$(i+2);
        if ($i=="p50") a=$(i+1); if ($i=="p99") b=$(i+1) } } END { print s, t, r, a, b }' <<<"$line")
    # The integrator's batches, from the receiver that held the role: how many, how many
    # revisions each, how long each held the ledger's writer lock.
    batches=""
    trips=0
    for u in "${urls[@]}"; do
        [[ $u == --url ]] && continue
        m=$(curl -s "$u/metrics" || true)
        trips=$((trips + $(awk '/^rekap_db_round_trips_total/ {t += $2} END {print t+0}' <<<"$m")))
        grep '^rekap_db_round_trips_total' <<<"$m" | sed "s|^|$config: $u: |" || true
        [[ $(sed -n 's/^rekap_integrator //p' <<<"$m") == 1 ]] || continue
        batches=$(awk '/^rekap_integrator_batch_seconds_sum/ {s=$2} /^rekap_integrator_batch_seconds_count/ {n=$2}
            /^rekap_group_commit_revisions_sum/ {r=$2}
            END { if (n > 0) printf "%d batches, %.1f revisions and %.1f ms of writer lock each", n, r/n, 1000*s/n }' <<<"$m")
    done
    echo "$config: integrator: ${batches:-no figures}"
    # Every receiver's round trips to PostgreSQL (enrolment and the load's reads included).
    perSheet=$(awk -v t="$trips" -v s="$sheets" 'BEGIN { if (s > 0 && t > 0) printf "%.2f", t/s }')
    echo "$config: PostgreSQL round trips per sheet: ${perSheet:-none}"
    rows+=("| $kind | $n | $sheets | $secs | $rate | $p50 | $p99 | ${batches:-} | ${perSheet:-} | $loadavg |")
    cleanup
done
echo
echo "| store | receivers | sheets | seconds | sheets/s | push p50 ms | push p99 ms | integrator | round trips per sheet | load average after |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
