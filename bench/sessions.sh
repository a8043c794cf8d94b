#!/usr/bin/env bash
# bench/sessions.sh - sessions API latency at 1,000 and at 1,000,000 sessions,
# through the full stack (lighttpd -> confabd -> MariaDB), with the ratio
# large/small per row. Sessions are bulk-loaded with SQL, not through the API.
#   bench/sessions.sh [SECONDS_PER_ROW]    (default 4)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
export CONFAB_SRCDIR=$SRC
: "${CONFAB_BUILDDIR:=$SRC/build}"
export CONFAB_BUILDDIR
DURATION=${1:-4}
. "$SRC/tests/lib/tap.sh"
. "$SRC/scripts/lib/stack.sh"
export STACK_RATE_LIMIT_MODE=${STACK_RATE_LIMIT_MODE:-off}   # load generators exceed the per-team window by design
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps)" >&2; exit 1; }
STACK_WORKERS=${STACK_WORKERS:-4} STACK_AUTH_CACHE_SECONDS=30 stack_up >/dev/null
SQL=(mariadb --no-defaults -S "$STACK_DIR/run/mysqld.sock" -uroot confab -N -e)
BOT2=$("$CONFABCTL" -c "$CONFAB_CONFIG" chatbot create --team "$CONFAB_TEAM" --name "Second bot")

# load N: adds sessions until the team has N, spread over two chatbots, one
# second apart going back in time; every 10th chat carries the tag "bench".
load() {
	local target=$1 have
	have=$("${SQL[@]}" "SELECT COUNT(*) FROM experiment_sessions")
	local add=$((target - have))
	[ "$add" -gt 0 ] || return 0
	"${SQL[@]}" "
SET @team = (SELECT id FROM teams WHERE slug = '$CONFAB_TEAM');
SET @e1 = (SELECT id FROM experiments WHERE public_id = '$CONFAB_CHATBOT_ID');
SET @e2 = (SELECT id FROM experiments WHERE public_id = '$BOT2');
INSERT IGNORE INTO participants (public_id, team_id, identifier, platform) VALUES (UUID(), @team, 'bench@example.org', 'api');
SET @p = (SELECT id FROM participants WHERE team_id = @team AND identifier = 'bench@example.org');
INSERT IGNORE INTO tags (team_id, name) VALUES (@team, 'bench');
SET @tag = (SELECT id FROM tags WHERE team_id = @team AND name = 'bench' AND is_system_tag = 0 AND category = '');
SET @base = (SELECT COALESCE(MAX(id), 0) FROM chats);
INSERT INTO chats (id, team_id, name) SELECT @base + seq, @team, 'bench' FROM seq_1_to_$add;
INSERT INTO experiment_sessions (external_id, team_id, experiment_id, participant_id, chat_id, status, created_at, updated_at)
  SELECT UUID(), @team, IF(seq % 2 = 0, @e1, @e2), @p, @base + seq, 'active',
         UTC_TIMESTAMP(6) - INTERVAL ($have + seq) SECOND, UTC_TIMESTAMP(6) - INTERVAL ($have + seq) SECOND
  FROM seq_1_to_$add;
INSERT INTO chat_tags (chat_id, tag_id, team_id) SELECT @base + seq, @tag, @team FROM seq_1_to_$add WHERE seq % 10 = 0;
ANALYZE TABLE experiment_sessions, chat_tags, chats;" >/dev/null
}

# The newest session gets 200 messages for the detail row.
detail_session() {
	"${SQL[@]}" "
SET @s = (SELECT id FROM experiment_sessions ORDER BY created_at DESC, id DESC LIMIT 1);
SET @chat = (SELECT chat_id FROM experiment_sessions WHERE id = @s);
SET @team = (SELECT team_id FROM experiment_sessions WHERE id = @s);
INSERT INTO chat_messages (chat_id, team_id, message_type, content, created_at)
  SELECT @chat, @team, IF(seq % 2 = 0, 'ai', 'human'), CONCAT('message number ', seq), UTC_TIMESTAMP(6) + INTERVAL seq MICROSECOND
  FROM seq_1_to_200 WHERE (SELECT COUNT(*) FROM chat_messages WHERE chat_id = @chat) = 0;
SELECT external_id FROM experiment_sessions WHERE id = @s;"
}

# deep_url DEPTH: the URL of the page that starts DEPTH sessions deep,
# reached by following cursors (DEPTH a multiple of 100).
deep_url() {
	local url="/api/sessions/?page_size=100" i
	for i in $(seq $(($1 / 100))); do
		url=$(curl -s -H "X-Api-Key: $CONFAB_API_KEY" "$CONFAB_BASE_URL$url" |
			python3 -c 'import json,sys; print("/" + json.load(sys.stdin)["next"].split("://",1)[1].split("/",1)[1])')
	done
	echo "$url"
}

# measure PATH: "p50_ms p99_ms req_per_s" from wrk over DURATION seconds.
measure() {
	wrk -t2 -c8 -d"${DURATION}s" --latency -H "X-Api-Key: $CONFAB_API_KEY" "$CONFAB_BASE_URL$1" >"$STACK_DIR/wrk.out" 2>&1
	python3 - "$STACK_DIR/wrk.out" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
if "50%" not in t:
    sys.stderr.write(t)
    print("nan nan 0 all")
    sys.exit(0)
def ms(v):
    n, u = re.match(r"([\d.]+)(us|ms|s|m)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[u]
p50 = ms(re.search(r"(?m)^\s+50%\s+(\S+)", t).group(1)); p99 = ms(re.search(r"(?m)^\s+99%\s+(\S+)", t).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
print("%.2f %.2f %.0f %s" % (p50, p99, rps, bad.group(1) if bad else "0"))
PY
}

declare -A RESULT
run_size() {
	local size=$1
	load "$size"
	local detail deep
	detail=$(detail_session)
	# 5,000 deep; the small set has only 1,000, so there its middle.
	deep=$(deep_url "$([ "$size" -gt 10000 ] && echo 5000 || echo 500)")
	RESULT[$size,first]=$(measure "/api/sessions/")
	RESULT[$size,deep]=$(measure "$deep")
	RESULT[$size,filtered]=$(measure "/api/sessions/?experiment=$CONFAB_CHATBOT_ID&tags=bench")
	RESULT[$size,detail]=$(measure "/api/sessions/$detail/")
}

echo "bench: loading and measuring 1,000 sessions" >&2
run_size 1000
echo "bench: loading up to 1,000,000 sessions" >&2
t0=$(date +%s)
run_size 1000000
echo "bench: (load and measure took $(( $(date +%s) - t0 )) s)" >&2

printf '\n%-34s %10s %10s %10s %10s %10s %10s %9s %9s\n' "row (wrk -t2 -c8, ${DURATION}s)" \
	"1k p50" "1k p99" "1k req/s" "1M p50" "1M p99" "1M req/s" "p50 1M/1k" "p99 1M/1k"
for row in first deep filtered detail; do
	read -r a50 a99 arps abad <<<"${RESULT[1000,$row]}"
	read -r b50 b99 brps bbad <<<"${RESULT[1000000,$row]}"
	case $row in
	first) name="first page (100)" ;;
	deep) name="deep page (1k: 500, 1M: 5,000)" ;;
	filtered) name="experiment + tag filter (100)" ;;
	detail) name="session detail, 200 messages" ;;
	esac
	printf '%-34s %8sms %8sms %10s %8sms %8sms %10s %9s %9s\n' "$name" "$a50" "$a99" "$arps" "$b50" "$b99" "$brps" \
		"$(python3 -c "print('%.2f' % ($b50 / $a50))")" "$(python3 -c "print('%.2f' % ($b99 / $a99))")"
	[ "$abad" = 0 ] && [ "$bbad" = 0 ] || echo "  (non-2xx responses: 1k $abad, 1M $bbad)"
done
