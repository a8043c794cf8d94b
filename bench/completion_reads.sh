#!/usr/bin/env bash
# completion_reads.sh [N] - statements MariaDB runs per chat completion
# (POST /api/openai/{id}/chat/completions with the offline local provider,
# a prompt that uses {participant_data} and {session_state}, history on):
# Com_select, Com_stmt_execute and Questions deltas over N completions after
# a warm-up, divided by N, and the SELECTs of one completion by text (from
# the general log). Runs its own stack; CONFAB_BUILDDIR picks the build.
set -euo pipefail
N=${1:-50}
. "${CONFAB_SRCDIR:-$(dirname "$0")/..}/scripts/lib/stack.sh"
STACK_RATE_LIMIT_MODE=${STACK_RATE_LIMIT_MODE:-off} stack_up >/dev/null
SQL=(mariadb --no-defaults -S "$STACK_DIR/run/mysqld.sock" -uroot confab -N -e)
CTL=("$CONFABCTL" -c "$CONFAB_CONFIG")
BOT=$("${CTL[@]}" chatbot create --team "$CONFAB_TEAM" --name "Reads bot" --provider local --model confab-local \
	--history-max 5 --prompt 'Data={participant_data} State={session_state}')
URL=$CONFAB_BASE_URL/api/openai/$BOT/chat/completions
BODY='{"messages":[{"role":"user","content":"one"},{"role":"assistant","content":"two"},{"role":"user","content":"three"}]}'
complete() { curl -s -o /dev/null -H "Authorization: Bearer $CONFAB_API_KEY" -H 'Content-Type: application/json' -d "$BODY" "$URL"; }
counters() {
	"${SQL[@]}" "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_select','Com_stmt_execute','Questions')" |
		awk '{printf "%s=%s ", $1, $2}'
}
for _ in 1 2 3 4 5; do complete; done   # warm-up: statements prepared, key cached
before=$(counters)
for _ in $(seq "$N"); do complete; done
after=$(counters)
python3 - "$N" "$before" "$after" <<'PY'
import sys
n = int(sys.argv[1])
parse = lambda s: dict(kv.split("=") for kv in s.split())
b, a = parse(sys.argv[2]), parse(sys.argv[3])
for k in ("Com_select", "Com_stmt_execute", "Questions"):
    # the counters query itself is one Questions and one Com_select
    extra = 1 if k in ("Com_select", "Questions") else 0
    print(f"{k}: {(int(a[k]) - int(b[k]) - extra) / n:.2f} per completion")
PY
"${SQL[@]}" "SET GLOBAL general_log_file='$STACK_DIR/log/general.log', log_output='FILE', general_log=1"
complete
"${SQL[@]}" "SET GLOBAL general_log=0"
echo "SELECTs of one completion:"
grep -E '\s(Execute|Query)\s+(\(|SELECT)' "$STACK_DIR/log/general.log" | grep -v 'general_log' |
	sed -E 's/^.*(Execute|Query)\s+//' | cut -c1-150 | sed 's/^/  /'
