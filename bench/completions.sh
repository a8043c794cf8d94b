#!/usr/bin/env bash
# bench/completions.sh - the latency Confab adds on top of an LLM provider.
# The fake provider (tests/lib/fake_llm.py) answers instantly and then with a
# fixed delay; each row is measured directly against the provider (the
# baseline) and through lighttpd -> confabd -> provider, in the same run,
# sequentially over keep-alive connections. Streamed rows time the first
# content chunk. "added" = Confab - direct.
#   bench/completions.sh [REQUESTS_PER_ROW]   (default 300)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
export CONFAB_SRCDIR=$SRC
: "${CONFAB_BUILDDIR:=$SRC/build}"
export CONFAB_BUILDDIR
N=${1:-300}
DELAY=0.2
. "$SRC/tests/lib/tap.sh"
. "$SRC/scripts/lib/stack.sh"
export STACK_RATE_LIMIT_MODE=${STACK_RATE_LIMIT_MODE:-off}   # load generators exceed the per-team window by design
STACK_WORKERS=${STACK_WORKERS:-4} STACK_AUTH_CACHE_SECONDS=30 stack_up >/dev/null 2>&1
stack_fake_llm_start

printf 'sk-bench\n' >"$STACK_DIR/provider-key"
"$CONFABCTL" -c "$CONFAB_CONFIG" provider add --team "$CONFAB_TEAM" --name fake --type openai \
	--base-url "$FAKE_LLM_URL/v1" --api-key-file "$STACK_DIR/provider-key" >/dev/null
BOT=$("$CONFABCTL" -c "$CONFAB_CONFIG" chatbot create --team "$CONFAB_TEAM" --name "Bench bot" --provider fake \
	--model gpt-bench --prompt "You are a benchmark.")

python3 - "$N" "$DELAY" "$FAKE_LLM_URL" "$CONFAB_BASE_URL" "$CONFAB_API_KEY" "$BOT" <<'PY'
import http.client, json, re, sys, time, urllib.parse

CONTENT = re.compile(rb'"content": ?"[^"]')

n, delay, fake, base, key, bot = int(sys.argv[1]), float(sys.argv[2]), *sys.argv[3:]
body = {"model": "gpt-bench", "messages": [{"role": "system", "content": "You are a benchmark."},
                                           {"role": "user", "content": "How long does this take?"}]}

def control(obj):
    u = urllib.parse.urlparse(fake)
    c = http.client.HTTPConnection(u.hostname, u.port)
    c.request("POST", "/_control", json.dumps(obj), {"Content-Type": "application/json"})
    c.getresponse().read(); c.close()

def run(url, headers, stream, n):
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port)
    payload = json.dumps(dict(body, stream=stream))
    times, bad = [], 0
    for i in range(n + 10):
        t0 = time.perf_counter()
        conn.request("POST", u.path, payload, dict(headers, **{"Content-Type": "application/json"}))
        r = conn.getresponse()
        first = None
        if stream:
            while True:
                line = r.readline()
                if not line:
                    break
                if first is None and CONTENT.search(line):
                    first = time.perf_counter() - t0
            r.read()
        else:
            r.read()
            first = time.perf_counter() - t0
        if r.status != 200 or first is None:
            bad += 1
        if i >= 10:            # warm-up excluded
            times.append(first or 0.0)
    conn.close()
    times.sort()
    return times[len(times) // 2] * 1e3, times[int(len(times) * 0.99) - 1] * 1e3, bad

direct = fake + "/v1/chat/completions"
confab = "%s/api/openai/%s/chat/completions" % (base, bot)
rows = []
for label, d in (("instant provider", 0.0), ("provider +%d ms" % int(delay * 1000), delay)):
    control({"delay": d})
    for stream in (False, True):
        count = n if d == 0 else max(n // 5, 30)    # delayed rows: fewer, each takes the delay
        dp50, dp99, dbad = run(direct, {"Authorization": "Bearer sk-bench"}, stream, count)
        cp50, cp99, cbad = run(confab, {"Authorization": "Bearer " + key}, stream, count)
        rows.append((label, "time to first chunk" if stream else "whole answer", dp50, dp99, cp50, cp99, dbad + cbad))
control({})
print("Chat completions: latency Confab adds to the provider (%d sequential requests per instant cell,"
      " %d per delayed cell, 4 workers)" % (n, max(n // 5, 30)))
print("%-18s %-20s %10s %10s %10s %10s %10s %10s %7s %6s" % ("provider", "measure", "direct p50", "direct p99",
      "confab p50", "confab p99", "added p50", "added p99", "ratio", "non200"))
for label, what, dp50, dp99, cp50, cp99, bad in rows:
    print("%-18s %-20s %8.2fms %8.2fms %8.2fms %8.2fms %8.2fms %8.2fms %6.2fx %6d" % (
        label, what, dp50, dp99, cp50, cp99, cp50 - dp50, cp99 - dp99, cp50 / max(dp50, 1e-9), bad))
PY
