#!/usr/bin/env bash
# Issue 15's fault run: the short regency simulation through Debian's nginx, round-robin over
# three rekap-central receivers on one PostgreSQL database. While the devices sync, one receiver
# at a time (at random) is killed with SIGKILL about every 1.5 s and started again, and
# PostgreSQL itself is restarted once. rekap-sim then checks that nothing acknowledged was lost
# or stored twice, that the tally equals the plain sums of the planned sheets, that verify
# replays the ledger, and that every receiver's own live tally equals the recount.
# Needs the throwaway cluster of scripts/test (REKAP_TEST_POSTGRES, REKAP_TEST_POSTGRES_DIR);
# without it the test fails, unless the run was told to leave PostgreSQL out
# (REKAP_TEST_SKIP_POSTGRES=1): then one line says so and ctest counts it as skipped (exit 77).
#   tests/deploy/scale_out.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1")
src=$(realpath "$2")
if [ -z "${REKAP_TEST_POSTGRES:-}" ] || [ -z "${REKAP_TEST_POSTGRES_DIR:-}" ]; then
    if [ "${REKAP_TEST_SKIP_POSTGRES:-}" = 1 ]; then
        echo "scale-out: skipped: no PostgreSQL test cluster (REKAP_TEST_SKIP_POSTGRES=1)"
        exit 77
    fi
    echo "scale-out: no PostgreSQL test cluster (REKAP_TEST_POSTGRES and REKAP_TEST_POSTGRES_DIR" \
         "are set by scripts/test when it can start one; REKAP_TEST_SKIP_POSTGRES=1 skips this)" >&2
    exit 1
fi

work=$(mktemp -d /tmp/rekap-scale.XXXXXX)
chmod 0711 "$work" # nginx (nobody, as root) enters it
database="rekap_scale_$$"
cleanup() {
    "$src/scripts/nginx-front" stop "$work/nginx" || true
    psql -q "$REKAP_TEST_POSTGRES" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" \
        >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { # below the kernel's ephemeral range (see tests/deploy/nginx_front.sh)
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 12000))
        ss -Hltn "sport = :$p" | grep -q . && continue
        case " ${taken:-} " in *" $p "*) continue ;; esac
        taken="${taken:-} $p"
        echo "$p"
        return
    done
    return 1
}
taken=""
front=$(free_port); taken="$taken $front"
r1=$(free_port); taken="$taken $r1"
r2=$(free_port); taken="$taken $r2"
r3=$(free_port); taken="$taken $r3"

psql -q "$REKAP_TEST_POSTGRES" -c "CREATE DATABASE $database"
url="${REKAP_TEST_POSTGRES%/*}/$database"

# nginx round-robin over the three receivers (scripts/nginx-front: deploy/nginx's upstream). A
# receiver that refuses the connection (killed, not yet back) is left out for a second; a request
# it took and did not answer fails back to the device as 503, and the device retries (the
# protocol is idempotent, so nginx need not guess).
REKAP_NGINX_FAIL_TIMEOUT=1s "$src/scripts/nginx-front" start "$work/nginx" "$front" "$r1" "$r2" "$r3"
echo "scale-out: nginx on 127.0.0.1:$front over receivers on $r1, $r2, $r3; store $url"

status=0
mkdir -p "$work/sim"
"$build/tests/sim/rekap-sim" --regency "$src/data/regencies/banyuasin-1607.json" --threads 4 \
    --tps "${REKAP_SCALE_TPS:-200}" --seed 15 --misread-rate 0.05 --correction-rate 0.15 \
    --conflict-rate 0.1 --workdir "$work/sim" --db "$url" \
    --receiver-ports "$r1,$r2,$r3" --device-url "http://127.0.0.1:$front" --kill-every 1500 \
    --restart-db-command "$src/scripts/pg-cluster restart $REKAP_TEST_POSTGRES_DIR >/dev/null" \
    --restart-db-after 3000 || status=$?
for r in $r1 $r2 $r3; do
    n=$(grep -c "127.0.0.1:$r" "$work/nginx/access.log" 2>/dev/null || true)
    echo "scale-out: receiver on $r answered or was tried for $n requests"
done
requests=$(wc -l < "$work/nginx/access.log")
echo "scale-out: nginx proxied $requests requests"
if [ "$requests" -lt 60 ]; then
    echo "scale-out: FAIL: the devices did not go through nginx"
    status=1
fi
exit "$status"
