#!/usr/bin/env bash
# Debian's nginx in front of the receiver, configured from deploy/nginx/rekap.conf, with a
# self-signed certificate made here: the short regency simulation syncs through it over HTTPS.
# nginx runs unprivileged (as nobody when this runs as root), on free ports, in a temp folder.
#   tests/deploy/nginx_front.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1")
src=$(realpath "$2")
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx_bin" ] || { echo "nginx_front: nginx is not installed (scripts/packages.txt)"; exit 1; }

work=$(mktemp -d /tmp/rekap-nginx.XXXXXX)
nginx_pid=""
cleanup() {
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { # a port nothing listens on, below the kernel's ephemeral range (32768-60999):
    # a port from that range can be handed to another test's "port 0" or to an outgoing
    # connection between this check and nginx binding it (the likely cause of one failure
    # under the full suite)
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 12000))
        ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
    done
    return 1
}
front=$(free_port)
receiver=$(free_port)
while [ "$receiver" = "$front" ]; do receiver=$(free_port); done

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# The site as shipped, with only the local values changed.
sed -e '/# BEGIN http-redirect/,/# END http-redirect/d' \
    -e '/listen \[::\]/d' \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$front ssl http2;|" \
    -e "s|server_name rekap.example.go.id;|server_name 127.0.0.1;|" \
    -e "s|/etc/letsencrypt/live/rekap.example.go.id/fullchain.pem|$work/cert.pem|" \
    -e "s|/etc/letsencrypt/live/rekap.example.go.id/privkey.pem|$work/key.pem|" \
    -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$receiver;|" \
    "$src/deploy/nginx/rekap.conf" > "$work/rekap.conf"
grep -q "127.0.0.1:$receiver" "$work/rekap.conf" || { echo "nginx_front: template changed"; exit 1; }
mkdir -p "$work/temp"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
    access_log $work/access.log;
    client_body_temp_path $work/temp/body;
    proxy_temp_path $work/temp/proxy;
    fastcgi_temp_path $work/temp/fastcgi;
    uwsgi_temp_path $work/temp/uwsgi;
    scgi_temp_path $work/temp/scgi;
    include $work/rekap.conf;
}
CONF

run_as=()
if [ "$(id -u)" -eq 0 ]; then
    # Unprivileged, as in production: nginx then cannot switch users and keeps this one.
    chown -R nobody "$work"
    chmod 0755 "$work"
    run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
"${run_as[@]}" "$nginx_bin" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" -t
"${run_as[@]}" "$nginx_bin" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" \
    -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 50); do
    ss -Hltn "sport = :$front" | grep -q . && break
    sleep 0.1
done
echo "nginx_front: nginx on https://127.0.0.1:$front, receiver on 127.0.0.1:$receiver"

status=0
"$build/tests/sim/rekap-sim" --regency "$src/data/regencies/banyuasin-1607.json" --threads 4 \
    --tps 30 --misread-rate 0.05 --correction-rate 0.15 --conflict-rate 0.1 \
    --workdir "$work/sim" --receiver-port "$receiver" --device-url "https://127.0.0.1:$front" --ca "$work/cert.pem" ||
    status=$?
requests=$(wc -l < "$work/access.log")
echo "nginx_front: nginx proxied $requests requests"
if [ "$requests" -lt 30 ]; then
    echo "nginx_front: FAIL: the devices did not go through nginx"
    status=1
fi
if grep -q "\[emerg\]\|\[crit\]" "$work/error.log"; then
    cat "$work/error.log"
    status=1
fi
exit "$status"
