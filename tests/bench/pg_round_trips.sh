#!/usr/bin/env bash
# The receiver's statements to PostgreSQL per sheet, counted by PostgreSQL itself, and its round
# trips (statements sent and waited for), counted by the receiver (/metrics,
# rekap_db_round_trips_total): since the integrator's batches are pipelined (issue 30), most of
# a batch's statements share one round trip. A throwaway cluster (scripts/pg-cluster) with
# pg_stat_statements, one `rekap-central serve`, and rekap-ingest-load pushing Banyuasin's sheets
# (docs/benchmarks.md, "Ceilings of ingest on this machine"). The counts are taken from when the
# load has enrolled its devices (it waits with --wait-for) to when it ends, per revision inserted.
#
#   tests/bench/pg_round_trips.sh [BUILD_DIR]
# Environment (defaults in brackets): DEVICES [64], BATCH revisions per push [1], TPS [0 = all].
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
central=$build/server-stub/rekap-central
load=$build/tests/bench/rekap-ingest-load
for f in "$central" "$load"; do
    [[ -x $f ]] || { echo "missing $f: build rekap-central and rekap-ingest-load" >&2; exit 2; }
done
regency=$here/data/regencies/banyuasin-1607.json

work=$(mktemp -d /tmp/rekap-round-trips.XXXXXX)
pgdir=$(mktemp -d) # its own: PostgreSQL's user must be able to enter its parent
serve=""
cleanup() {
    [[ -n $serve ]] && { kill "$serve" 2>/dev/null || true; wait "$serve" 2>/dev/null || true; }
    "$here/scripts/pg-cluster" stop "$pgdir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

url=$("$here/scripts/pg-cluster" start "$pgdir")
# pg_stat_statements must be loaded at start; utility statements (BEGIN, COMMIT) counted too.
printf "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = all\n" \
    >>"$pgdir/data/postgresql.conf"
"$here/scripts/pg-cluster" restart "$pgdir" >/dev/null
# The cluster's superuser is whoever ran initdb: postgres when run as root (pg-cluster).
super=$([[ $(id -u) -eq 0 ]] && echo postgres || id -un)
admin="postgresql://$super@127.0.0.1:$(cat "$pgdir/port")/postgres"
psql -q "$admin" -c "CREATE EXTENSION pg_stat_statements"
db=${url%/*}/rekap

args=(--db "$db" --signing-key "$work/receiver.key" --photos "$work/photos")
"$central" "${args[@]}" init --regency "$regency" >/dev/null
"$central" "${args[@]}" serve --port 0 --no-access-log >"$work/serve.out" 2>"$work/serve.err" &
serve=$!
for _ in $(seq 200); do
    grep -q '^listening on' "$work/serve.out" && break
    sleep 0.1
done
rurl=$(sed -n 's/^listening on //p' "$work/serve.out")
[[ -n $rurl ]] || { echo "receiver did not start:" >&2; cat "$work/serve.err" >&2; exit 1; }

snapshot() { # pg_stat_statements of the receiver's database into table $1 of the admin database
    psql -q "$admin" -c "CREATE TABLE $1 AS SELECT s.queryid, s.calls, s.total_exec_time, s.query
        FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'rekap'"
}
"$load" --db "$db" --signing-key "$work/receiver.key" --url "${rurl/0.0.0.0/127.0.0.1}" \
    --devices "${DEVICES:-64}" --batch "${BATCH:-1}" --tps "${TPS:-0}" --wait-for "$work/go" \
    >"$work/load.out" 2>"$work/load.err" &
loader=$!
# Enrolment (in-process, before the pushes) is not ingest: count from when it is done; the
# load waits for the file go before its first push.
until grep -qs '^enrolled' "$work/load.err"; do
    kill -0 "$loader" 2>/dev/null || { cat "$work/load.err" >&2; exit 1; }
    sleep 0.05
done
trips() { curl -s "${rurl/0.0.0.0/127.0.0.1}/metrics" | awk '/^rekap_db_round_trips_total/ {t += $2} END {print t+0}'; }
snapshot before
tripsBefore=$(trips)
touch "$work/go"
wait "$loader" || { cat "$work/load.err" >&2; exit 1; }
snapshot after
tripsAfter=$(trips)
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg): $(cat "$work/load.out")"
psql -q "$admin" -P footer=off -c "
    WITH d AS (SELECT a.query, a.calls - COALESCE(b.calls, 0) AS calls,
                      a.total_exec_time - COALESCE(b.total_exec_time, 0) AS ms
               FROM after a LEFT JOIN before b USING (queryid)),
         n AS (SELECT sum(calls) AS revisions FROM d WHERE query LIKE 'INSERT INTO revisions%')
    SELECT round(d.calls / n.revisions, 2) AS per_sheet, d.calls,
           round((1000 * d.ms / n.revisions)::numeric, 1) AS exec_us_per_sheet,
           left(regexp_replace(d.query, '\s+', ' ', 'g'), 90) AS statement
    FROM d, n WHERE d.calls > 0 ORDER BY d.calls DESC, d.query"
psql -q "$admin" -At -c "
    WITH d AS (SELECT a.query, a.calls - COALESCE(b.calls, 0) AS calls
               FROM after a LEFT JOIN before b USING (queryid))
    SELECT 'statements per sheet: ' || round(sum(calls) /
           (SELECT sum(calls) FROM d WHERE query LIKE 'INSERT INTO revisions%'), 2) ||
           ', round trips per sheet: ' || round(($tripsAfter - $tripsBefore)::numeric /
           (SELECT sum(calls) FROM d WHERE query LIKE 'INSERT INTO revisions%'), 2) FROM d"
