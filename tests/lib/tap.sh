# tap.sh - TAP helpers for the shell integration tests (sourced).
# Every assertion returns 0 so that "set -e" scripts keep going; the exit
# status comes from done_testing.
TAP_N=0
TAP_FAILED=0

diag() { printf '# %s\n' "$*" | sed '2,$s/^/# /'; }

_tap_result() { # PASS(0/1) NAME
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		printf 'ok %d - %s\n' "$TAP_N" "$2"
	else
		printf 'not ok %d - %s\n' "$TAP_N" "$2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

# ok EXIT_STATUS NAME: passes when EXIT_STATUS is 0.
ok() { _tap_result "$([ "$1" -eq 0 ] && echo 0 || echo 1)" "$2"; return 0; }

# is GOT WANT NAME
is() {
	if [ "$1" == "$2" ]; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3"
		diag "got:  $1"
		diag "want: $2"
	fi
	return 0
}

# like GOT ERE NAME
like() {
	if [[ $1 =~ $2 ]]; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3"
		diag "got:  $1"
		diag "want match: $2"
	fi
	return 0
}

# skip REASON NAME
skip() { TAP_N=$((TAP_N + 1)); printf 'ok %d - %s # SKIP %s\n' "$TAP_N" "$2" "$1"; }

# tap_adopt FILE STATUS: takes in the TAP a program printed into FILE (a
# Node or python test that prints its own plan) and exited with STATUS: its
# top-level results, renumbered after this script's, count as this
# script's, its plan is dropped (done_testing prints one), and a plan it did
# not reach or a failing exit without a failing result is one more failure.
tap_adopt() {
	local file=$1 status=$2 line planned="" ran=0 failed=0
	while IFS= read -r line; do
		case $line in
		"TAP version"*) ;;
		1..*) planned=${line#1..}; planned=${planned%% *} ;;
		"ok "* | "not ok "*)
			ran=$((ran + 1))
			local rest=${line#ok } pass=0
			[ "${line#not ok }" = "$line" ] || { rest=${line#not ok }; pass=1; failed=$((failed + 1)); }
			rest=${rest#"${rest%%[!0-9]*}"}
			_tap_result "$pass" "${rest# - }"
			;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$file"
	if [ -n "$planned" ] && [ "$planned" != "$ran" ]; then
		_tap_result 1 "the program ran its plan of $planned tests (it ran $ran)"
	fi
	if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
		_tap_result 1 "the program exited with status 0 (it exited with $status)"
	fi
	return 0
}

# ---- the contract recorder (docs/API.md, GET /api/schema/) ----
# Every curl a test runs, whatever helper or program starts it, is
# tests/lib/contract-bin/curl: a call to $CONFAB_BASE_URL or $HOST2_URL is
# recorded (curl --trace, one file per call under $STACK_DIR/contract/), and
# done_testing validates every recorded exchange against the OpenAPI
# document (tests/lib/check_exchanges.py). Node and python programs reach
# Confab through the recording proxy (stack_contract_proxy_start,
# scripts/lib/stack.sh), whose traces land in the same directory.
# CONFAB_CONTRACT=0 turns recording and checking off.
if [ -z "${CONFAB_REAL_CURL:-}" ]; then
	CONFAB_REAL_CURL=$(type -P curl)
	PATH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/contract-bin:$PATH
	export CONFAB_REAL_CURL PATH
fi

# contract_check: validates the recorded exchanges (one python process), as a
# TAP line "contract: N exchanges valid against /api/schema/"; appends N to
# $CONFAB_CONTRACT_TOTALS when that is set. The document is the one the stack
# saved at start ($STACK_DIR/openapi.json, scripts/lib/stack.sh), else fetched
# now.
contract_check() {
	[ -n "${STACK_DIR:-}" ] && [ -n "${CONFAB_BASE_URL:-}" ] && [ "${CONFAB_CONTRACT:-1}" != 0 ] || return 0
	[ -d "$STACK_DIR/contract" ] || mkdir -p "$STACK_DIR/contract"
	local src=${CONFAB_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)} out rc=0 n
	if [ ! -s "$STACK_DIR/openapi.json" ] && [ -n "${CONFAB_BASE_URL:-}" ]; then
		"${CONFAB_REAL_CURL:-curl}" -s -o "$STACK_DIR/openapi.json" "$CONFAB_BASE_URL/api/schema/" || true
	fi
	out=$(python3 "$src/tests/lib/check_exchanges.py" --document "$STACK_DIR/openapi.json" \
		--base "${CONFAB_BASE_URL:-}" ${HOST2_URL:+--base "$HOST2_URL"} "$STACK_DIR/contract" 2>&1) || rc=$?
	n=$(printf '%s\n' "$out" | sed -n 's/^exchanges: \([0-9]*\).*/\1/p' | tail -1)
	[ -z "${CONFAB_CONTRACT_TOTALS:-}" ] || echo "${n:-0}" >>"$CONFAB_CONTRACT_TOTALS"
	if [ "$rc" -eq 0 ]; then
		_tap_result 0 "contract: ${n:-0} exchanges valid against /api/schema/"
	else
		_tap_result 1 "contract: ${n:-0} exchanges valid against /api/schema/"
		printf '%s\n' "$out" | grep -v '^exchanges: ' | head -60 | sed 's/^/# /'
	fi
	rm -rf "$STACK_DIR/contract"   # a second done_testing checks only what came after
}

# done_testing: checks the recorded exchanges, prints the plan; exits
# non-zero when anything failed.
done_testing() {
	contract_check
	printf '1..%d\n' "$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}

# json_get EXPR JSON: evaluates the Python expression EXPR with d = JSON.
# The JSON goes through a pipe: an argument is at most 128 KiB on Linux, and
# the OpenAPI document is larger.
json_get() { printf '%s' "$2" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# http METHOD PATH [curl args...]: one request to $CONFAB_BASE_URL; sets
# HTTP_STATUS, HTTP_BODY and HTTP_HEADERS (raw header block).
http() {
	local method=$1 path=$2
	shift 2
	local tmp=${STACK_DIR:-/tmp}
	HTTP_STATUS=$(curl -s -o "$tmp/.http_body" -D "$tmp/.http_headers" -w '%{http_code}' -X "$method" "$@" \
		"$CONFAB_BASE_URL$path") || HTTP_STATUS=000
	HTTP_BODY=$(cat "$tmp/.http_body" 2>/dev/null || true)
	HTTP_HEADERS=$(tr -d '\r' < "$tmp/.http_headers" 2>/dev/null || true)
}

# http_header NAME: a header of the last http response (case-insensitive).
http_header() { printf '%s\n' "$HTTP_HEADERS" | grep -i "^$1:" | head -1 | cut -d' ' -f2-; }

# altered SECRET: the same string with its last character changed (never
# equal to the input, whatever that character was).
altered() { local s=$1; if [ "${s: -1}" = x ]; then printf '%sy' "${s%?}"; else printf '%sx' "${s%?}"; fi; }

# rl_window_fresh LEN NEED: waits (without a request) until at least NEED
# seconds are left in the current LEN-second rate-limit window. Windows start
# at multiples of their length on the server's clock, which is this host's, so
# a test that counts up to a limit and checks the 429 after it must not
# straddle a window's end: the count would start again in the next window.
rl_window_fresh() {
	while [ $(($1 - $(date +%s) % $1)) -lt "$2" ]; do sleep 0.5; done
}
