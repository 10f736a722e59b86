#!/usr/bin/env bash
# Start-up of `rekap-central serve` to listening, with whatever checkpoint of derived state the
# store holds (docs/benchmarks.md, "Start-up from a checkpoint"):
#   tests/bench/startup_from_checkpoint.sh DB KEY LABEL [BUILD_DIR]
# Prints the seconds from launch to the "listening on" line and the resident peak (VmHWM) at that
# moment, then stops the receiver with SIGTERM (a clean stop writes a checkpoint) and, once the
# checkpoint is logged, with SIGKILL: the start-up verification, which runs after listening, is
# not waited for. Run it once after `DELETE FROM derived_checkpoint` for the figure without one;
# the clean stop leaves the checkpoint for the next run.
set -u
db=$1
key=$2
label=$3
bin=${4:-build}/server-stub/rekap-central
out=$(mktemp -d)/$label
start=$(date +%s.%N)
"$bin" --db "$db" --signing-key "$key" --photos "$out.photos" serve --port 0 --no-access-log \
    --checkpoint-every 0 > "$out.out" 2> "$out.err" &
pid=$!
while ! grep -q listening "$out.out" 2> /dev/null; do
    kill -0 $pid 2> /dev/null || { cat "$out.err"; exit 1; }
    sleep 0.1
done
now=$(date +%s.%N)
echo "$label: listening after $(echo "$now - $start" | bc) s;" \
    "$(grep -E 'VmHWM|VmRSS' /proc/$pid/status | tr -s ' \n\t' ' ')"
kill -TERM $pid
while ! grep -q "checkpoint of derived state at\|not written" "$out.err" 2> /dev/null; do
    kill -0 $pid 2> /dev/null || break
    sleep 0.1
done
kill -KILL $pid 2> /dev/null
grep -E "checkpoint|tally loaded|ignored" "$out.err"
