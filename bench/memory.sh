#!/usr/bin/env bash
# bench/memory.sh - one worker's memory: its RSS at rest, after 100,000
# session-detail requests (goal: no growth) and around a 50 MiB upload
# (goal: growth < 1 MiB). confabd runs a single worker so that it serves
# every request.   bench/memory.sh   (part of make bench)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
export CONFAB_SRCDIR=$SRC
: "${CONFAB_BUILDDIR:=$SRC/build}"
export CONFAB_BUILDDIR
REQUESTS=${BENCH_MEMORY_REQUESTS:-100000}
. "$SRC/tests/lib/tap.sh"
. "$SRC/scripts/lib/stack.sh"
export STACK_RATE_LIMIT_MODE=${STACK_RATE_LIMIT_MODE:-off}   # load generators exceed the per-team window by design
STACK_WORKERS=1 STACK_MAX_WORKERS=1 STACK_AUTH_CACHE_SECONDS=30 stack_up >/dev/null
CTL=("$CONFABCTL" -c "$CONFAB_CONFIG")
BOT=$("${CTL[@]}" chatbot create --team "$CONFAB_TEAM" --name "Memory bot" --provider local --model local)
"${CTL[@]}" channel add --chatbot "$BOT" --platform embedded_widget --allowed-domain bench.example >/dev/null
MSGS=$(python3 -c 'import json; print(json.dumps([{"role": "user" if i % 2 == 0 else "assistant", "content": "message %d" % i} for i in range(10)]))')
SESSION=$(curl -sf -H "X-Api-Key: $CONFAB_API_KEY" -H 'Content-Type: application/json' \
	-d "{\"experiment\":\"$BOT\",\"messages\":$MSGS}" "$CONFAB_BASE_URL/api/sessions/" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
CHAT=$(curl -sf -H 'Content-Type: application/json' -d "{\"chatbot_id\":\"$BOT\"}" "$CONFAB_BASE_URL/api/chat/start/" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["session_id"])')
WORKER=$(stack_children confabd-worker | tail -1)   # the only one (max_workers = 1)
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$WORKER/status"; }

for i in $(seq 50); do   # warm: every code path of the request once, caches filled
	curl -sf -o /dev/null -H "X-Api-Key: $CONFAB_API_KEY" "$CONFAB_BASE_URL/api/sessions/$SESSION/"
done
REST_RSS=$(kb VmRSS) REST_ANON=$(kb RssAnon)
# REQUESTS requests over 4 keep-alive connections
read -r SERVED BAD < <(python3 - "$CONFAB_BASE_URL" "/api/sessions/$SESSION/" "$CONFAB_API_KEY" "$REQUESTS" <<'PY'
import http.client, sys, threading, urllib.parse
base, path, key, total = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
u = urllib.parse.urlparse(base)
counts = []
def run(n):
    c = http.client.HTTPConnection(u.hostname, u.port)
    ok = bad = 0
    for _ in range(n):
        c.request("GET", path, headers={"X-Api-Key": key})
        r = c.getresponse(); r.read()
        if r.status == 200: ok += 1
        else: bad += 1
    counts.append((ok, bad))
threads = [threading.Thread(target=run, args=(total // 4,)) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(sum(c[0] + c[1] for c in counts), sum(c[1] for c in counts))
PY
)
AFTER_RSS=$(kb VmRSS) AFTER_ANON=$(kb RssAnon)

python3 -c 'import base64, os, sys; sys.stdout.write(base64.encodebytes(os.urandom(37 * 1024 * 1024)).decode()[:50 * 1024 * 1024 - 4096])' >"$STACK_DIR/big.txt"
UP_BEFORE_RSS=$(kb VmRSS) UP_BEFORE_HWM=$(kb VmHWM)
ST=$(curl -s -o "$STACK_DIR/upload.out" -w '%{http_code}' -F "files=@$STACK_DIR/big.txt;type=text/plain" \
	"$CONFAB_BASE_URL/api/chat/$CHAT/upload/")
UP_AFTER_RSS=$(kb VmRSS) UP_AFTER_HWM=$(kb VmHWM)
SIZE=$(python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); f = d["files"][0] if "files" in d else d[0]; print(f.get("size", f.get("content_size", "?")))' "$STACK_DIR/upload.out" 2>/dev/null || echo "?")

echo "Worker memory (one worker, pid $WORKER)"
printf '%-44s %10s %10s %10s  %s\n' "measure" "before" "after" "growth" "goal"
row() { printf '%-44s %8s kB %8s kB %8s kB  %s\n' "$1" "$2" "$3" "$(($3 - $2))" "$4"; }
row "VmRSS, $SERVED session details ($BAD non-2xx)" "$REST_RSS" "$AFTER_RSS" "no growth: $([ $((AFTER_RSS - REST_RSS)) -le 64 ] && echo met || echo MISSED)"
row "RssAnon, same requests" "$REST_ANON" "$AFTER_ANON" ""
row "VmRSS, 50 MiB upload (HTTP $ST, $SIZE bytes)" "$UP_BEFORE_RSS" "$UP_AFTER_RSS" "< 1024 kB: $([ $((UP_AFTER_RSS - UP_BEFORE_RSS)) -lt 1024 ] && echo met || echo MISSED)"
row "VmHWM (peak RSS), same upload" "$UP_BEFORE_HWM" "$UP_AFTER_HWM" "< 1024 kB: $([ $((UP_AFTER_HWM - UP_BEFORE_HWM)) -lt 1024 ] && echo met || echo MISSED)"
