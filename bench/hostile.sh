#!/usr/bin/env bash
# bench/hostile.sh - the hostile-load row (issue 15): the p99 of an
# authenticated session detail (wrk, 4 connections, BENCH_HOSTILE_SECONDS)
# alone, then while 2 x max_workers (BENCH_HOSTILE_WORKERS, 8) hostile
# connections of each kind run at once (tests/lib/hostile.py): long-polls
# on made-up task ids and on a hung task (each connection polls again
# 0.5 s after its answer), slow request bodies (Content-Length 1000, a byte
# a second) and slow readers of a large response (a 1 MB chat poll page,
# about a poll page at its byte budget, read by nobody). Reports both rows
# and their p99 ratio, measured in one run (goal <= 2). STACK_WEB=apache measures behind Apache;
# BENCH_HOSTILE_KINDS="1 3" runs only some kinds (1..4 in that order).
#   bench/hostile.sh   (part of make bench)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
export CONFAB_SRCDIR=$SRC
: "${CONFAB_BUILDDIR:=$SRC/build}"
export CONFAB_BUILDDIR
W=${BENCH_HOSTILE_WORKERS:-8}
S=${BENCH_HOSTILE_SECONDS:-10}
. "$SRC/tests/lib/tap.sh"
. "$SRC/scripts/lib/stack.sh"
export STACK_RATE_LIMIT_MODE=${STACK_RATE_LIMIT_MODE:-off}   # load generators exceed the per-team window by design
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps)" >&2; exit 1; }
STACK_WORKERS=$W STACK_MAX_WORKERS=$W STACK_AUTH_CACHE_SECONDS=30 STACK_FAKE_LLM=1 stack_up >/dev/null
CTL=("$CONFABCTL" -c "$CONFAB_CONFIG")
SQL=(mariadb --no-defaults -S "$STACK_DIR/run/mysqld.sock" -uroot confab -N -e)
printf 'sk-bench\n' >"$STACK_DIR/provider-key"
"${CTL[@]}" provider add --team "$CONFAB_TEAM" --name fake --type openai --base-url "$FAKE_LLM_URL/v1" \
	--api-key-file "$STACK_DIR/provider-key" >/dev/null
BOT=$("${CTL[@]}" chatbot create --team "$CONFAB_TEAM" --name "Hostile bot" --provider fake --model gpt-h)
"${CTL[@]}" channel add --chatbot "$BOT" --platform embedded_widget --allowed-domain site.example >/dev/null
jget() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
# the measured session: 10 messages, as in bench/run
MSGS=$(python3 -c 'import json; print(json.dumps([{"role": ("user", "assistant")[i % 2], "content": "message %d" % i} for i in range(10)]))')
SESSION=$(curl -sf -H "X-Api-Key: $CONFAB_API_KEY" -H 'Content-Type: application/json' \
	-d "{\"experiment\":\"$BOT\",\"messages\":$MSGS}" "$CONFAB_BASE_URL/api/sessions/" | jget id)
# the attackers' widget session, with a hung task and 50 messages of 20 kB
SID=$(curl -sf -H 'Content-Type: application/json' -d "{\"chatbot_id\":\"$BOT\"}" "$CONFAB_BASE_URL/api/chat/start/" | jget session_id)
curl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"mode": "hang"}' "$FAKE_LLM_URL/_control"
TASK=$(curl -sf -H 'Content-Type: application/json' -d '{"message":"hang on"}' "$CONFAB_BASE_URL/api/chat/$SID/message/" | jget task_id)
"${SQL[@]}" "INSERT INTO chat_messages (chat_id, team_id, message_type, content)
	SELECT chat_id, team_id, 'human', REPEAT('x', 20000) FROM experiment_sessions, (SELECT seq FROM seq_1_to_50) s
	WHERE external_id = '$SID';"

measure() { # OUT: wrk on the session detail for S seconds
	wrk -t1 -c4 -d"${S}s" --timeout 30s --latency -H "X-Api-Key: $CONFAB_API_KEY" \
		"$CONFAB_BASE_URL/api/sessions/$SESSION/" >"$1" 2>&1 || true
}
measure "$STACK_DIR/calm.out"

HOSTILE=(python3 "$SRC/tests/lib/hostile.py")
N=$((2 * W))
T=$((S + 6))
pids=()
KINDS=" ${BENCH_HOSTILE_KINDS:-1 2 3 4} "   # a subset, to see which kind costs what
for i in 1 2 3 4; do [[ $KINDS == *" $i "* ]] || echo '{}' >"$STACK_DIR/a$i.json"; done
[[ $KINDS != *" 1 "* ]] || "${HOSTILE[@]}" longpoll --url "$CONFAB_BASE_URL" --path "/api/chat/$SID/00000000-0000-4000-8000-00000000beef/poll/?wait=20" \
	--conns "$N" --seconds "$T" --pause 0.5 >"$STACK_DIR/a1.json" 2>/dev/null & pids+=($!)
[[ $KINDS != *" 2 "* ]] || "${HOSTILE[@]}" longpoll --url "$CONFAB_BASE_URL" --path "/api/chat/$SID/$TASK/poll/?wait=20" \
	--conns "$N" --seconds "$T" --pause 0.5 >"$STACK_DIR/a2.json" 2>/dev/null & pids+=($!)
[[ $KINDS != *" 3 "* ]] || "${HOSTILE[@]}" slowbody --url "$CONFAB_BASE_URL" --path "/api/chat/$SID/message/" \
	--conns "$N" --seconds "$T" >"$STACK_DIR/a3.json" 2>/dev/null & pids+=($!)
[[ $KINDS != *" 4 "* ]] || "${HOSTILE[@]}" slowread --url "$CONFAB_BASE_URL" --path "/api/chat/$SID/poll/?limit=1000" --hold 5 \
	--conns "$N" --seconds "$T" >"$STACK_DIR/a4.json" 2>/dev/null & pids+=($!)
sleep 3
measure "$STACK_DIR/hostile.out"
for p in "${pids[@]}"; do wait "$p" || true; done
curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"mode": "ok"}' "$FAKE_LLM_URL/_control" || true

python3 - "$STACK_DIR" "$SRC/bench" "$W" "$N" "${STACK_WEB:-lighttpd}" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
from wrk_result import parse
d, w, n, web = sys.argv[1], sys.argv[3], sys.argv[4], sys.argv[5]
calm, hostile = parse(d + "/calm.out"), parse(d + "/hostile.out")
kinds = ["long-polls, made-up ids", "long-polls, hung task", "slow bodies", "slow readers"]
counts = [json.load(open("%s/a%d.json" % (d, i))) for i in range(1, 5)]
print("Hostile load behind %s: max_workers = %s, %s connections of each kind" % (web, w, n))
for k, c in zip(kinds, counts):
    print("  %-26s %s" % (k, json.dumps(c)))
print("%-36s %9s %9s %9s %9s %9s %7s" % ("row", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "failed"))
for name, r in (("session detail, calm", calm), ("session detail, under attack", hostile)):
    ok, rps, p50, p99, mx, total, failed = r
    print("%-36s %9d %9.0f %9.1f %9.1f %9.1f %7d" % (name, total, rps, p50, p99, mx, failed))
ratio = hostile[3] / calm[3] if calm[3] > 0 else float("inf")
print("p99 under attack / calm: %.2f  goal <= 2: %s" % (ratio, "met" if ratio <= 2 and hostile[6] == 0 and hostile[5] > 0 else "MISSED"))
PY
