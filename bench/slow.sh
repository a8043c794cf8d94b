#!/usr/bin/env bash
# bench/slow.sh - a slow provider must not starve the server: the fake
# provider takes BENCH_SLOW_DELAY (2) s per answer while wrk keeps
# BENCH_SLOW_CONNECTIONS (512) chat completions in flight for
# BENCH_SLOW_SECONDS (20) s; meanwhile another wrk (4 connections) reads a
# session's detail. The elastic pool grows from 4 workers up to
# BENCH_SLOW_MAX_WORKERS (600). Reports both wrk rows, the peak number of
# workers and the total RSS and PSS of all confabd processes at that peak.
#   bench/slow.sh   (part of make bench)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
export CONFAB_SRCDIR=$SRC
: "${CONFAB_BUILDDIR:=$SRC/build}"
export CONFAB_BUILDDIR
CONN=${BENCH_SLOW_CONNECTIONS:-512}
SECONDS=0
SECS=${BENCH_SLOW_SECONDS:-20}
DELAY=${BENCH_SLOW_DELAY:-2}
MAXW=${BENCH_SLOW_MAX_WORKERS:-600}
. "$SRC/tests/lib/tap.sh"
. "$SRC/scripts/lib/stack.sh"
export STACK_RATE_LIMIT_MODE=${STACK_RATE_LIMIT_MODE:-off}   # load generators exceed the per-team window by design
STACK_WORKERS=4 STACK_MAX_WORKERS=$MAXW STACK_MIN_SPARE=8 STACK_MAX_SPARE=32 STACK_AUTH_CACHE_SECONDS=30 \
	stack_up >/dev/null
stack_fake_llm_start
CTL=("$CONFABCTL" -c "$CONFAB_CONFIG")
printf 'sk-bench\n' >"$STACK_DIR/provider-key"
"${CTL[@]}" provider add --team "$CONFAB_TEAM" --name fake --type openai --base-url "$FAKE_LLM_URL/v1" \
	--api-key-file "$STACK_DIR/provider-key" >/dev/null
BOT=$("${CTL[@]}" chatbot create --team "$CONFAB_TEAM" --name "Slow bot" --provider fake --model gpt-slow)
SESSION=$(curl -sf -H "X-Api-Key: $CONFAB_API_KEY" -H 'Content-Type: application/json' \
	-d "{\"experiment\":\"$BOT\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}]}" \
	"$CONFAB_BASE_URL/api/sessions/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf -o /dev/null -H 'Content-Type: application/json' -d "{\"delay\": $DELAY}" "$FAKE_LLM_URL/_control"
cat >"$STACK_DIR/completion.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"messages":[{"role":"user","content":"take your time"}]}'
wrk.headers["Authorization"] = "Bearer $CONFAB_API_KEY"
wrk.headers["Content-Type"] = "application/json"
LUA
# the web server must hold 512 connections to clients and to confabd
sed -i 's/^server.max-request-size.*/&\nserver.max-connections = 4096\nserver.max-fds = 8192/' "$STACK_DIR/lighttpd.conf"
kill "$LIGHTTPD_PID"; wait "$LIGHTTPD_PID" 2>/dev/null || true
lighttpd -D -f "$STACK_DIR/lighttpd.conf" &
LIGHTTPD_PID=$!
_stack_wait 20 curl -s -o /dev/null "$CONFAB_BASE_URL/healthz"

wrk -t2 -c"$CONN" -d"${SECS}s" --timeout 60s --latency -s "$STACK_DIR/completion.lua" \
	"$CONFAB_BASE_URL/api/openai/$BOT/chat/completions" >"$STACK_DIR/slow.out" 2>&1 &
SLOW=$!
# the detail reader starts once the pool has grown (the ramp-up, 1, 2, 4 ...
# 64 workers per 200 ms tick, takes a few seconds; requests arriving during
# it wait in the socket's backlog), or after a third of the run
target=$((CONN < MAXW ? CONN : MAXW))
for _ in $(seq $((SECS * 10 / 3))); do
	[ "$(stack_children confabd-worker | wc -l)" -ge "$target" ] && break
	sleep 0.1
done
RAMP=$SECONDS
wrk -t1 -c4 -d"$((SECS * 2 / 3 - 1))s" --latency -H "X-Api-Key: $CONFAB_API_KEY" \
	"$CONFAB_BASE_URL/api/sessions/$SESSION/" >"$STACK_DIR/fast.out" 2>&1 &
FAST=$!
peak_workers=0 peak_rss=0 peak_pss=0
while _stack_alive "$SLOW"; do   # sample every confabd process once a second
	read -r n rss pss < <(python3 - "$CONFABD_PID" <<'PY'
import sys
master = sys.argv[1]
pids = [master] + open("/proc/%s/task/%s/children" % (master, master)).read().split()
n = rss = pss = 0
for p in pids:
    try:
        comm = open("/proc/%s/comm" % p).read().strip()
        rss += int([l.split()[1] for l in open("/proc/%s/status" % p) if l.startswith("VmRSS:")][0])
        pss += int([l.split()[1] for l in open("/proc/%s/smaps_rollup" % p) if l.startswith("Pss:")][0])
        n += comm == "confabd-worker"
    except (OSError, IndexError):
        pass
print(n, rss, pss)
PY
)
	[ "$n" -gt "$peak_workers" ] && peak_workers=$n
	if [ "$rss" -gt "$peak_rss" ]; then peak_rss=$rss peak_pss=$pss; fi
	sleep 1
done
wait "$SLOW" || true
wait "$FAST" || true

python3 - "$STACK_DIR/slow.out" "$STACK_DIR/fast.out" "$CONN" "$DELAY" "$peak_workers" "$peak_rss" "$peak_pss" "$MAXW" "$RAMP" "$SRC/bench" <<'PY'
import re, sys
sys.path.insert(0, sys.argv[10])
from wrk_result import parse as parse_wrk
def parse(path):
    ok, rps, p50, p99, mx, total, bad = parse_wrk(path)
    return (rps, p50, p99, mx, total, bad) if ok else (0, 0, 0, 0, 0, 1)
slow, fast = parse(sys.argv[1]), parse(sys.argv[2])
conn, delay, workers, rss, pss, maxw, ramp = sys.argv[3:10]
print("Slow provider: %s s per answer, %s completions in flight, pool of 4..%s workers (the detail reader started %s s in, after the pool had grown)" % (delay, conn, maxw, ramp))
print("%-36s %9s %9s %9s %9s %9s %7s  %s" % ("row", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "failed", "goal"))
print("%-36s %9d %9.0f %9.0f %9.0f %9.0f %7d  %s" % ("chat completions (%s connections)" % conn, slow[4], slow[0], slow[1], slow[2], slow[3], slow[5],
      "all succeed: %s" % ("met" if slow[5] == 0 and slow[4] > 0 else "MISSED")))
print("%-36s %9d %9.0f %9.1f %9.1f %9.1f %7d  %s" % ("session detail meanwhile (4 conns)", fast[4], fast[0], fast[1], fast[2], fast[3], fast[5],
      "p99 < 50 ms: %s" % ("met" if fast[2] < 50 and fast[5] == 0 and fast[4] > 0 else "MISSED")))
rss_mib, pss_mib = int(rss) / 1024, int(pss) / 1024
print("peak: %s workers; all confabd processes: RSS %.0f MiB (sum; shared pages counted per process), PSS %.0f MiB  goal RSS < 2048 MiB: %s"
      % (workers, rss_mib, pss_mib, "met" if rss_mib < 2048 else "MISSED"))
PY
