#!/usr/bin/env bash
# The log read by a second client written from the C2SP specs alone
# (c2sp_client.py): a real objector-intake with publish.dir and two real
# objector-witness processes (quorum: both), objections sent by
# objector-loadgen. The client checks the intake's HTTP endpoints and the
# published folder, then the folder again with every process stopped; each
# kind of damage must be caught with its exact message and exit code. Last,
# the folder after kill -9 of the sequencer while it publishes.
#
#   tests/interop/c2sp_client_test.sh BIN_DIR
set -uo pipefail
bin=$(cd "$1" && pwd)
client=$(cd "$(dirname "$0")" && pwd)/c2sp_client.py
python=/usr/bin/python3  # Debian's, with python3-cryptography (tools/setup)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
passed=0 failed=0

# check NAME EXIT STDOUT STDERR -- COMMAND...: exact exit status and output
# (STDOUT "*": any).
check() {
  local name=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 5
  local out err rc
  out=$("$@" 2>"$work/stderr")
  rc=$?
  err=$(cat "$work/stderr")
  if [[ $rc == "$want_rc" && ($want_out == "*" || $out == "$want_out") && $err == "$want_err" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL %s\n  exit:    %s (want %s)\n  stdout:  %s\n  want:    %s\n  stderr:  %s\n  want:    %s\n' \
      "$name" "$rc" "$want_rc" "$out" "$want_out" "$err" "$want_err"
  fi
}

# start NAME COMMAND...: runs a server on a port the system picks; sets $port.
# The old log goes first: the child truncates it only once it runs, and a
# restarted server's port must not be read from its predecessor's log.
start() {
  local name=$1
  shift
  rm -f "$name.log"
  "$@" --listen 127.0.0.1:0 2>"$name.log" &
  pids+=($!)
  for _ in $(seq 100); do
    port=$(sed -nE 's/.*event=listening address=127\.0\.0\.1:([0-9]+).*/\1/p' "$name.log" 2>/dev/null)
    [[ -n $port ]] && return
    sleep 0.05
  done
  echo "$name did not start" >&2
  cat "$name.log" >&2
  exit 1
}

# --- a log with two witnesses ---
origin=social.example/ai-training
"$bin/objector-intake" init --origin $origin --dir data >/dev/null
for w in 1 2; do
  "$bin/objector-witness" init --name "w$w.example/witness" --dir "witness-$w" >/dev/null
  "$bin/objector-witness" add-log --dir "witness-$w" --origin $origin --key data/log.vkey >/dev/null
  start "witness-$w" "$bin/objector-witness" serve --dir "witness-$w"
  eval "w${w}_port=$port"
done
python3 - "$w1_port" "$w2_port" <<'PY'
import json, sys
c = json.load(open("data/config.json"))
c["batch"]["interval_ms"] = 20
c["limits"]["rate_per_second"] = 0
c["publish"]["dir"] = "published"
vkeys = [open(f"witness-{w}/witness.vkey").read().strip() for w in (1, 2)]
c["witnesses"] = [{"name": f"w{i + 1}", "url": f"http://127.0.0.1:{p}", "key": k}
                  for i, (p, k) in enumerate(zip(sys.argv[1:], vkeys))]
log = open("data/log.vkey").read().strip()
open("data/policy.txt", "w").write(
    f"log {log}\nwitness w1 {vkeys[0]}\nwitness w2 {vkeys[1]}\ngroup both all w1 w2\nquorum both\n")
c["policy"] = "policy.txt"
json.dump(c, open("data/config.json", "w"))
PY
start intake "$bin/objector-intake" serve --dir data
url=http://127.0.0.1:$port
"$bin/objector-loadgen" --intake $url --dir data --once >first.json || exit 1    # tree size 1
"$bin/objector-loadgen" --intake $url --dir data --count 300 >/dev/null || exit 1
"$bin/objector-loadgen" --intake $url --dir data --once >second.json || exit 1   # tree size 302
"$bin/objector-loadgen" --intake $url --dir data --count 400 >/dev/null || exit 1 # 702: two full tiles, a partial
# A witness may still be answering for the last checkpoint: wait until it is on both.
for _ in $(seq 100); do
  [[ $(curl -s "$url/checkpoint" | grep -c '^— w[12]\.example/witness ') == 2 && \
     $(curl -s "$url/checkpoint" | sed -n 2p) == 702 ]] && break
  sleep 0.05
done

keys=(--log-key data/log.vkey --witness witness-1/witness.vkey --witness witness-2/witness.vkey)
receipts=(--receipt first.json --receipt second.json)
ok_line() { echo "$1: verified: $origin at tree size 702; 3 signatures, 4 tiles, 3 entry bundles, 2 receipts${2-}"; }

check "the intake's endpoints and the folder" 0 "$(ok_line "$url" ", 12 consistency proofs")
$(ok_line data/published)" "" -- "$python" "$client" "${keys[@]}" "${receipts[@]}" "$url" data/published

# --- every process stopped: the folder alone ---
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
pids=()
cp -a data/published published
check "the folder, every process stopped" 0 "$(ok_line published)" "" -- \
  "$python" "$client" "${keys[@]}" "${receipts[@]}" published

# --- damage the client must catch ---
damaged() {  # NAME: a fresh copy of the folder
  rm -rf "$1"
  cp -a published "$1"
}
damaged flipped
python3 -c "
import sys; p = 'flipped/tile/0/001'; b = bytearray(open(p, 'rb').read()); b[5 * 32] ^= 1; open(p, 'wb').write(b)"
check "a flipped bit in a full tile" 1 "" "c2sp_client: FAILED: flipped: tile/0/001: hash 5 is not what the level below gives" -- \
  "$python" "$client" "${keys[@]}" flipped

damaged entry
python3 -c "
p = 'entry/tile/entries/002.p/190'; b = bytearray(open(p, 'rb').read()); b[40] ^= 1; open(p, 'wb').write(b)"
check "a changed entry" 1 "" "c2sp_client: FAILED: entry: tile/0/002.p/190: hash 0 is not what the level below gives" -- \
  "$python" "$client" "${keys[@]}" entry

damaged old-partial
rm old-partial/tile/0/000.p/1
check "the partial tile of an older checkpoint removed" 1 "" "c2sp_client: FAILED: old-partial: tile/0/000.p/1: missing" -- \
  "$python" "$client" "${keys[@]}" "${receipts[@]}" old-partial

damaged cosig
python3 -c "
import base64
lines = open('cosig/checkpoint', encoding='utf-8').read().split('\n')
i = next(i for i, l in enumerate(lines) if l.startswith('— w2.example/witness '))
name, sig = lines[i].rsplit(' ', 1)
raw = bytearray(base64.b64decode(sig)); raw[20] ^= 1
lines[i] = name + ' ' + base64.b64encode(bytes(raw)).decode()
open('cosig/checkpoint', 'w', encoding='utf-8').write('\n'.join(lines))"
check "a forged cosignature" 1 "" "c2sp_client: FAILED: cosig: checkpoint: the cosignature of witness w2.example/witness does not verify" -- \
  "$python" "$client" "${keys[@]}" cosig

"$bin/objector-intake" init --origin $origin --dir other >/dev/null
check "another key of the same name" 1 "" "c2sp_client: FAILED: published: checkpoint: 0 signatures by the log key $origin, want one of 68 bytes" -- \
  "$python" "$client" --log-key other/log.vkey published

python3 -c "
import json, base64
r = json.load(open('second.json')); lines = r['proof'].split('\n')
h = bytearray(base64.b64decode(lines[2])); h[0] ^= 1; lines[2] = base64.b64encode(bytes(h)).decode()
r['proof'] = '\n'.join(lines); json.dump(r, open('bad-proof.json', 'w'))"
check "a changed proof hash" 1 "" "c2sp_client: FAILED: bad-proof.json: the inclusion proof of entry 301 does not lead to the root of tree size 302" -- \
  "$python" "$client" "${keys[@]}" --receipt bad-proof.json published

check "not a folder" 2 "" "c2sp_client: nowhere: neither a URL nor a folder" -- "$python" "$client" "${keys[@]}" nowhere

# --- kill -9 while the sequencer publishes ---
# Whenever it dies, the folder holds a checkpoint whose every tile is there and
# right, and the restarted intake's tree is not behind it (its next objection
# gets an index at least the folder's size).
"$bin/objector-intake" init --origin $origin --dir crash >/dev/null
python3 -c '
import json
c = json.load(open("crash/config.json"))
c["batch"].update(interval_ms=20, max_entries=16)
c["limits"]["rate_per_second"] = 0
c["publish"]["dir"] = "published"
json.dump(c, open("crash/config.json", "w"))'
for round in 1 2 3; do
  start crash-intake "$bin/objector-intake" serve --dir crash
  "$bin/objector-loadgen" --intake "http://127.0.0.1:$port" --dir crash --count 2000 --connections 8 >/dev/null 2>&1 &
  load=$!
  # Killed while it publishes: once this round's first checkpoint is in the
  # folder (a slow start, as under the sanitizers, must not make the kill come
  # before anything was logged), then at a random moment of the next 0-0.3 s.
  before=$(sed -n 2p crash/published/checkpoint 2>/dev/null)
  for _ in $(seq 400); do
    [[ $(sed -n 2p crash/published/checkpoint 2>/dev/null) -gt ${before:-0} ]] 2>/dev/null && break
    sleep 0.05
  done
  sleep "0.$((RANDOM % 4))"
  kill -9 "${pids[-1]}"
  wait "$load" "${pids[-1]}" 2>/dev/null
  unset 'pids[-1]'
  size=$(sed -n 2p crash/published/checkpoint)
  check "kill -9, round $round: the folder" 0 "*" "" -- "$python" "$client" --log-key crash/log.vkey crash/published
  start crash-intake "$bin/objector-intake" serve --dir crash
  index=$("$bin/objector-loadgen" --intake "http://127.0.0.1:$port" --dir crash --once |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["proof"].split("\n")[1].split(" ")[1])')
  kill "${pids[-1]}"
  wait "${pids[-1]}" 2>/dev/null
  unset 'pids[-1]'
  check "kill -9, round $round: the restarted intake is not behind the folder ($index >= $size > 0)" 0 "" "" -- \
    test "${index:-0}" -ge "${size:-1}" -a "${size:-0}" -gt 0
done

echo "c2sp client: $passed passed, $failed failed"
[[ $failed == 0 ]]
