#!/usr/bin/env bash
# Tile reads/s on loopback from one log three ways, same run, medians of
# three alternating rounds: from the store through the intake (no
# publish.dir), from publish.dir through the intake, and from publish.dir
# through nginx (INTEGRATION.md's config) with every intake stopped.
#
#   tile_reads.sh BIN_DIR [--quick]
set -euo pipefail
bin=$1
quick=${2:-}
reads=60000 rounds=3
[[ $quick == --quick ]] && reads=5000 rounds=1
work=$(mktemp -d)
intake_pid=''
trap '[[ -n $intake_pid ]] && kill $intake_pid 2>/dev/null; [[ -f $work/nginx/nginx.pid ]] && /usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -s stop 2>/dev/null; rm -rf "$work"' EXIT
chmod 755 "$work"
data=$work/data pub=$work/pub
"$bin/objector-intake" init --origin bench.example/log --dir "$data" >/dev/null
set_publish() {  # on|off
  python3 - "$data/config.json" "$1" "$pub" <<'PY'
import json, sys
path, on, pub = sys.argv[1:]
c = json.load(open(path))
c["batch"]["interval_ms"] = 50
c["limits"].update(rate_per_second=0, read_rate_per_second=0, max_connections_per_client=0)
if on == "on":
    c["publish"] = {"dir": pub}
else:
    c.pop("publish", None)
json.dump(c, open(path, "w"), indent=2)
PY
}
serve() {
  "$bin/objector-intake" serve --dir "$data" --listen 127.0.0.1:18311 --quiet 2>>"$work/serve.log" &
  intake_pid=$!
  for _ in $(seq 50); do
    "$bin/objector-loadgen" --intake http://127.0.0.1:18311 --read /healthz --count 1 --connections 1 >/dev/null 2>&1 &&
      return
    sleep 0.1
  done
}
stop() { kill -TERM "$intake_pid"; wait "$intake_pid" || true; intake_pid=''; }
read_rate() {  # PORT -> reads/s of a full hash tile
  "$bin/objector-loadgen" --intake "http://127.0.0.1:$1" --read /tile/0/000 --count $reads --connections 32 --json |
    sed -E 's/.*"per_second":([0-9.]+).*/\1/'
}

set_publish on
serve
"$bin/objector-loadgen" --intake http://127.0.0.1:18311 --dir "$data" --count 600 --connections 32 --presign >/dev/null
stop
chmod -R a+rX "$pub"
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
daemon on;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
worker_processes auto;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:18312;
    root $pub;
    location = /checkpoint { default_type text/plain; add_header Cache-Control "max-age=2"; }
    location /tile/ { default_type application/octet-stream; }
  }
}
CONF

store=() folder=() nginx=()
for _ in $(seq $rounds); do
  set_publish off; serve; store+=("$(read_rate 18311)"); stop
  set_publish on; serve; folder+=("$(read_rate 18311)"); stop
  /usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
  nginx+=("$(read_rate 18312)")
  /usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -s stop 2>/dev/null
  sleep 0.3
done
python3 - "${store[*]}" "${folder[*]}" "${nginx[*]}" <<'PY'
import statistics, sys
store, folder, nginx = (statistics.median(map(float, a.split())) for a in sys.argv[1:])
print(f"  GET /tile/0/000, 32 keep-alive connections: from the store via the intake {store:8.0f}/s (1.00)")
print(f"    from publish.dir via the intake {folder:8.0f}/s ({folder / store:.2f}); via nginx, intakes stopped {nginx:8.0f}/s ({nginx / store:.2f})")
PY
