#!/usr/bin/env bash
# CLI tests of objector-verify in the style of age's and signify's: commands
# with their exact output and exit status, on receipts, exports, mirrors and
# manifests made by the real objector-intake during this run.
#
#   tests/cli/verify_test.sh BIN_DIR
set -uo pipefail
bin=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
passed=0 failed=0

# check NAME EXIT STDOUT [STDERR] -- COMMAND...: exact exit status and output.
check() {
  local name=$1 want_rc=$2 want_out=$3 want_err=${4-}
  shift 4
  [[ ${1-} == -- ]] && shift
  local out err rc
  out=$("$@" 2>"$work/stderr")
  rc=$?
  err=$(cat "$work/stderr")
  if [[ $rc == "$want_rc" && $out == "$want_out" && ($want_err == "*" || $err == "$want_err") ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL %s\n  command: %s\n  exit:    %s (want %s)\n  stdout:  %s\n  want:    %s\n  stderr:  %s\n  want:    %s\n' \
      "$name" "$*" "$rc" "$want_rc" "$out" "$want_out" "$err" "$want_err"
  fi
}

# Starts an intake on a port the system picks (a fixed one may be another
# test's, under ctest -j): sets $served_port.
serve() {  # DATA_DIR
  rm -f "$1.log"  # the child truncates it only once it runs: no stale port
  "$bin/objector-intake" serve --dir "$1" --listen "127.0.0.1:0" 2>"$1.log" &
  pids+=($!)
  for _ in $(seq 100); do
    served_port=$(sed -nE 's/.*event=listening address=127\.0\.0\.1:([0-9]+).*/\1/p' "$1.log" 2>/dev/null)
    [[ -n $served_port ]] && curl -sf "http://127.0.0.1:$served_port/checkpoint" >/dev/null && return
    sleep 0.05
  done
  echo "intake for $1 did not start" >&2; cat "$1.log" >&2
  exit 1
}
fast() {  # DATA_DIR: no rate limit, 20 ms batches
  python3 - "$1/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["batch"]["interval_ms"] = 20; c["limits"]["rate_per_second"] = 0
json.dump(c, open(sys.argv[1], "w"))
PY
}

# --- Fixtures from a real intake ---
"$bin/objector-intake" init --origin social.example/ai-training --dir data >/dev/null
fast data
serve data
port=$served_port
url=http://127.0.0.1:$port
"$bin/objector-loadgen" --intake $url --dir data --once >first.json
"$bin/objector-loadgen" --intake $url --dir data --count 300 >/dev/null
curl -s $url/checkpoint >old-checkpoint  # tree size 301
"$bin/objector-loadgen" --intake $url --dir data --once >second.json
"$bin/objector-loadgen" --intake $url --dir data --count 98 >/dev/null
"$bin/objector-intake" export --dir data --out export >/dev/null
vkey=$(cat data/log.vkey)

# --- receipt ---
check "one receipt" 0 "first.json: verified: objection 0 in social.example/ai-training (tree size 1)" "" -- \
  "$bin/objector-verify" receipt --log-key data/log.vkey first.json
check "key as text, receipt on stdin" 0 "stdin: verified: objection 301 in social.example/ai-training (tree size 302)" "" -- \
  sh -c "\"$bin/objector-verify\" receipt --log-key '$vkey' - <second.json"
cat first.json second.json >both.jsonl
check "JSONL" 0 "both.jsonl:1: verified: objection 0 in social.example/ai-training (tree size 1)
both.jsonl:2: verified: objection 301 in social.example/ai-training (tree size 302)
2 of 2 receipts verified" "" -- "$bin/objector-verify" receipt --log-key data/log.vkey both.jsonl
check "JSON report" 0 '{"failed":0,"malformed":0,"results":[{"checkpoint":{"origin":"social.example/ai-training","root":"'"$(sed -n 3p <(python3 -c "import json;print(json.load(open('first.json'))['proof'].split('\n\n')[1])"))"'","size":1},"cosignatures":[],"index":0,"leaf_hash":"'"$(python3 -c "
import json,hashlib,base64
e=json.load(open('first.json'))['entry']
print(base64.b64encode(hashlib.sha256(b'\x00'+json.dumps(e,sort_keys=True,separators=(',',':')).encode()).digest()).decode())")"'","ok":true,"public":false,"source":"first.json","witnessed_time":null}],"verified":1}' "" -- \
  "$bin/objector-verify" receipt --log-key data/log.vkey --json first.json
"$bin/objector-intake" init --origin other.example/log --dir other >/dev/null
check "another log's key" 1 "" "first.json: FAILED: receipt.proof: checkpoint: origin \"social.example/ai-training\" is not a trusted log (hint: pass the log's verifier key)" -- \
  "$bin/objector-verify" receipt --log-key other/log.vkey first.json
python3 -c "
import json; r=json.load(open('first.json')); r['opening']['account']='user:someone-else'
print(json.dumps(r))" >wrong-account.json
check "opening for another account" 1 "" "wrong-account.json: FAILED: receipt: opening: account and r do not match the statement's subject commitment" -- \
  "$bin/objector-verify" receipt --log-key data/log.vkey wrong-account.json
head -c 300 first.json >truncated.json
check "truncated receipt" 2 "" "*" -- "$bin/objector-verify" receipt --log-key data/log.vkey truncated.json
python3 -c "
import json; r=json.load(open('first.json')); t=json.dumps(r); print(t[:-1] + ', \"type\": \"objection-receipt/v1\"}')" >duplicate-key.json
check "duplicate JSON key" 2 "" 'duplicate-key.json: error: receipt: invalid JSON: duplicate key "type" (hint: each key may appear once per object)' -- \
  "$bin/objector-verify" receipt --log-key data/log.vkey duplicate-key.json
check "no such file" 2 "" "objector-verify: nope.json: cannot open: No such file or directory" -- \
  "$bin/objector-verify" receipt --log-key data/log.vkey nope.json
check "bad key" 2 "" "objector-verify: --log-key: key ID 00000000 does not match the key's hash" -- \
  "$bin/objector-verify" receipt --log-key "${vkey%%+*}+00000000+${vkey#*+*+}" first.json
check "usage" 2 "" "*" -- "$bin/objector-verify" receipt first.json

# Every single-byte change to a receipt is rejected (each changed copy is a file).
mkdir tampered
python3 - first.json tampered <<'PY'
import sys, pathlib
data = pathlib.Path(sys.argv[1]).read_bytes().rstrip(b"\n")
for i in range(len(data)):
    b = bytearray(data)
    b[i] ^= 0x01 if b[i] != 0x0B else 0x02  # never make a newline
    pathlib.Path(sys.argv[2], f"{i:05d}.json").write_bytes(bytes(b))
PY
n=$(ls tampered | wc -l)
"$bin/objector-verify" receipt --log-key data/log.vkey tampered >tampered.out 2>/dev/null
rc=$?
summary=$(tail -n1 tampered.out)
if [[ $rc != 0 && $summary == "0 of $n receipts verified, "* ]]; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "FAIL tampering: exit $rc, $summary (of $n)"
fi

# --- public receipts and authorship proofs ---
# The public receipt and the proof are made here with Python and node's own
# Ed25519, from FORMAT.md §5.1–5.2, not with Objector's code.
python3 - first.json public.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
p = {"entry": r["entry"], "proof": r["proof"], "type": "objection-public-receipt/v1"}
open(sys.argv[2], "w").write(json.dumps(p, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
PY
check "public receipt" 0 "public.json: verified: objection 0 in social.example/ai-training (tree size 1)
  a public receipt: the statement and its place in the log were checked; who made it and for which account were not" "" -- \
  "$bin/objector-verify" receipt --log-key data/log.vkey public.json
python3 -c "import json;r=json.load(open('public.json'));r['device_seed']=json.load(open('first.json'))['device_seed'];json.dump(r,open('public-with-seed.json','w'))"
check "public receipt with a seed" 2 "" 'public-with-seed.json: error: receipt.device_seed: unknown field (hint: remove it; signed documents allow no extra fields)' -- \
  "$bin/objector-verify" receipt --log-key data/log.vkey public-with-seed.json
prove() {  # RECEIPT CHALLENGE SEED_FROM OUT: an authorship proof signed with SEED_FROM's device seed
  node - "$@" <<'JS'
const fs = require('fs'), crypto = require('crypto');
const [receiptFile, challenge, seedFile, out] = process.argv.slice(2);
const receipt = JSON.parse(fs.readFileSync(receiptFile));
const seed = Buffer.from(JSON.parse(fs.readFileSync(seedFile)).device_seed, 'base64');
const entry = (v) => Array.isArray(v) ? `[${v.map(entry).join(',')}]` : v && typeof v === 'object'
  ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${entry(v[k])}`).join(',')}}` : JSON.stringify(v);
const leaf = crypto.createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(entry(receipt.entry))]))
  .digest('base64');
const key = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
  format: 'der', type: 'pkcs8' });
const sig = crypto.sign(null, Buffer.from(`objection-authorship/v1\n${leaf}\n${challenge}`), key).toString('base64');
fs.writeFileSync(out, entry({ challenge, leaf_hash: leaf, sig, type: 'objection-authorship/v1' }));
JS
}
prove first.json "case 2026-114" first.json proof.json
check "authorship" 0 "verified: the device key of objection 0 in social.example/ai-training (tree size 1) signed the challenge: whoever made this proof holds the receipt that made the objection" "" -- \
  "$bin/objector-verify" authorship --log-key data/log.vkey --challenge "case 2026-114" proof.json public.json
check "authorship against the full receipt" 0 "verified: the device key of objection 0 in social.example/ai-training (tree size 1) signed the challenge: whoever made this proof holds the receipt that made the objection" "" -- \
  "$bin/objector-verify" authorship --log-key data/log.vkey --challenge "case 2026-114" proof.json first.json
check "authorship for another challenge" 1 "" 'objector-verify: proof.json: authorship.challenge: the proof answers "case 2026-114", not the challenge given (hint: a proof answers one challenge only)' -- \
  "$bin/objector-verify" authorship --log-key data/log.vkey --challenge "case 2026-115" proof.json public.json
prove first.json "case 2026-114" second.json forged.json
check "authorship proof for another receipt" 1 "" "objector-verify: proof.json: authorship.leaf_hash: the proof is for another entry than this receipt's" -- \
  "$bin/objector-verify" authorship --log-key data/log.vkey --challenge "case 2026-114" proof.json <(python3 -c "import json;r=json.load(open('second.json'));print(json.dumps({'entry':r['entry'],'proof':r['proof'],'type':'objection-public-receipt/v1'}))")
check "authorship signed by a stranger" 1 "" "objector-verify: forged.json: authorship.sig: not signed by the statement's device key (this proof was not made with the receipt's device seed)" -- \
  "$bin/objector-verify" authorship --log-key data/log.vkey --challenge "case 2026-114" forged.json public.json
check "authorship without a challenge" 2 "" "objector-verify: authorship needs --challenge, the text the person was asked to sign" -- \
  "$bin/objector-verify" authorship --log-key data/log.vkey proof.json public.json

# --- note and proof ---
check "note" 0 "$(head -n3 old-checkpoint)" "" -- "$bin/objector-verify" note --key "$vkey" old-checkpoint
check "note by unknown key" 1 "" "objector-verify: old-checkpoint: signed note: not signed by any known key (hint: check the verifier key)" -- \
  "$bin/objector-verify" note --key "$(cat other/log.vkey)" old-checkpoint
python3 -c "import json;r=json.load(open('second.json'));open('second.tlog-proof','w').write(r['proof']);json.dump(r['entry'],open('second-entry.json','w'))"
check "proof for an entry" 0 "second.tlog-proof: verified: entry 301 is in social.example/ai-training at tree size 302" "" -- \
  "$bin/objector-verify" proof --log-key data/log.vkey --entry second-entry.json second.tlog-proof
check "proof for another leaf" 1 "" "objector-verify: second.tlog-proof: inclusion proof does not lead to the checkpoint root" -- \
  "$bin/objector-verify" proof --log-key data/log.vkey --leaf-hash AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= second.tlog-proof

# --- mirror and consistency ---
check "mirror" 0 "mirrored social.example/ai-training at tree size 400 into mirror (5 tiles downloaded, 0 already there)" "" -- \
  "$bin/objector-verify" mirror --log-key data/log.vkey $url mirror
"$bin/objector-loadgen" --intake $url --dir data --count 20 >/dev/null
check "mirror resumes" 0 "mirrored social.example/ai-training at tree size 420 into mirror (2 tiles downloaded, 3 already there)" "" -- \
  "$bin/objector-verify" mirror --log-key data/log.vkey $url mirror
check "consistency" 0 "verified: social.example/ai-training at tree size 420 extends tree size 301 (10 proof hashes)" "" -- \
  "$bin/objector-verify" consistency --log-key data/log.vkey --tiles mirror old-checkpoint mirror/checkpoint

# --- audit and manifests ---
check "audit" 0 "verified: 400 objections, 400 excluded accounts, log social.example/ai-training at tree size 400" "" -- \
  "$bin/objector-verify" audit --log-key data/log.vkey --export export
account() { python3 -c "import json,sys; print(json.loads(open('export/openings.jsonl').readlines()[int(sys.argv[1])])['account'])" "$1"; }
manifest() {  # CHECKPOINT ACCOUNTS...: a training manifest that applied CHECKPOINT
  local cp=$1
  shift
  printf 'objector-training-manifest/v1\norigin %s\nsize %s\nroot %s\n\n' "$(sed -n 1p "$cp")" "$(sed -n 2p "$cp")" "$(sed -n 3p "$cp")"
  printf '%s\n' "$@"
}
before=$(account 150) after=$(account 350)
manifest old-checkpoint user:never-objected "$after" user:also-never >clean.manifest
check "manifest without violations" 0 "verified: 400 objections, 400 excluded accounts, log social.example/ai-training at tree size 400
the manifest's checkpoint (tree size 301) is 99 entries behind the export (tree size 400)
clean.manifest:7: WARNING: account $after objected (log entry 350) after the manifest's checkpoint
verified: none of the manifest's 3 accounts objected before its checkpoint (tree size 301)" "" -- \
  "$bin/objector-verify" audit --log-key data/log.vkey --export export --manifest clean.manifest
manifest old-checkpoint user:never-objected "$before" "$after" >violating.manifest
check "manifest with a violation" 1 "verified: 400 objections, 400 excluded accounts, log social.example/ai-training at tree size 400
violating.manifest:7: VIOLATION: account $before objected (log entry 150) before the manifest's checkpoint
the manifest's checkpoint (tree size 301) is 99 entries behind the export (tree size 400)
violating.manifest:8: WARNING: account $after objected (log entry 350) after the manifest's checkpoint
FAILED: 1 account(s) in the manifest objected before its checkpoint" "" -- \
  "$bin/objector-verify" audit --log-key data/log.vkey --export export --manifest violating.manifest
printf 'objector-training-manifest/v1\norigin social.example/ai-training\nsize 0\nroot %s\n\n%s\n' "$(sed -n 3p old-checkpoint)" "$before" >zero.manifest
check "a size-0 manifest needs the empty tree's root" 1 "" "objector-verify: zero.manifest: the manifest's checkpoint has size 0 but its root is not the empty tree's (47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=)" -- \
  "$bin/objector-verify" audit --log-key data/log.vkey --export export --manifest zero.manifest
printf 'objector-training-manifest/v1\norigin social.example/ai-training\nsize 0\nroot 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nstarted 1790000000\n\n%s\n' "$before" >empty.manifest
check "a size-0 manifest with the empty root misses every objector" 0 "verified: 400 objections, 400 excluded accounts, log social.example/ai-training at tree size 400
the manifest's checkpoint (tree size 0) is 400 entries behind the export (tree size 400)
empty.manifest:7: WARNING: account $before objected (log entry 150) after the manifest's checkpoint
verified: none of the manifest's 1 accounts objected before its checkpoint (tree size 0)" "" -- \
  "$bin/objector-verify" audit --log-key data/log.vkey --export export --manifest empty.manifest
printf 'objector-training-manifest/v1\norigin social.example/ai-training\nsize 01\n' >bad.manifest
check "malformed manifest" 2 "" "objector-verify: bad.manifest:3: size: \"01\" is not a decimal number without leading zeros" -- \
  "$bin/objector-verify" audit --log-key data/log.vkey --export export --manifest bad.manifest

# Tampered exports.
cp -r export export-bad
python3 - export-bad/entries.jsonl <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
lines[7] = lines[7].replace('"lang":"en-GB"', '"lang":"en-US"')
open(sys.argv[1], "w").write("\n".join(lines))
PY
check "export with a changed statement" 1 "" "objector-verify: export-bad/entries.jsonl:8: entry.sig: statement signature invalid (the statement was changed after signing, or signed by another key)" -- \
  "$bin/objector-verify" audit --log-key data/log.vkey --export export-bad
# One bad line among 10^5 is found by the parallel pass, and named.
"$bin/objector-bench-data" export --out big --count 100000 >/dev/null
python3 - big/entries.jsonl <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
lines[61234] = lines[61234].replace('"lang":"en-GB"', '"lang":"en-US"')
open(sys.argv[1], "w").write("\n".join(lines))
PY
check "one bad line among 10^5" 1 "" "objector-verify: big/entries.jsonl:61235: entry.sig: statement signature invalid (the statement was changed after signing, or signed by another key)" -- \
  "$bin/objector-verify" audit --log-key big/log.vkey --export big
rm -rf big
cp -r export export-short
sed -i '$d' export-short/openings.jsonl
check "export missing an opening" 2 "" "objector-verify: export-short/openings.jsonl: 399 openings for 400 entries" -- \
  "$bin/objector-verify" audit --log-key data/log.vkey --export export-short

# A log that rewrote an old entry: a copy of the store with entry 5 replaced by
# another validly signed objection, the tree recomputed, and a new checkpoint
# signed by the log's own key over the rewritten history.
"$bin/objector-intake" init --origin social.example/ai-training --dir elsewhere >/dev/null
fast elsewhere
serve elsewhere
port2=$served_port
"$bin/objector-loadgen" --intake http://127.0.0.1:$port2 --dir elsewhere --once >replacement.json
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null
cp -r data rewritten
python3 "$here/rewrite_log.py" rewritten/log.sqlite 5 replacement.json
serve rewritten
port3=$served_port
"$bin/objector-loadgen" --intake http://127.0.0.1:$port3 --dir rewritten --count 1 >/dev/null
"$bin/objector-verify" mirror --log-key data/log.vkey http://127.0.0.1:$port3 rewritten-mirror >/dev/null
check "consistency catches the rewrite" 1 "" "objector-verify: SPLIT VIEW: the checkpoint at size 421 does not extend the one at size 301: consistency proof does not lead to the old root" -- \
  "$bin/objector-verify" consistency --log-key data/log.vkey --tiles rewritten-mirror old-checkpoint rewritten-mirror/checkpoint
"$bin/objector-intake" export --dir rewritten --out rewritten-export >/dev/null
check "audit catches the rewrite" 1 "" "objector-verify: clean.manifest: the manifest's checkpoint (size 301) is not consistent with the log's: its root is not the root of the log's first 301 entries" -- \
  "$bin/objector-verify" audit --log-key data/log.vkey --export rewritten-export --manifest clean.manifest

echo "verify CLI: $passed passed, $failed failed"
((failed == 0))
