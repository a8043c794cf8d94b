# stack.sh - start and stop a real Confab stack: MariaDB, confabd, lighttpd.
# Sourced by scripts/devstack and by tests/integration/*.test. Contract:
# docs/contracts.md. Every server is a direct child of the calling shell and
# is stopped by PID.

: "${CONFAB_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${CONFAB_BUILDDIR:=$CONFAB_SRCDIR/build}"
: "${CONFABD:=$CONFAB_BUILDDIR/src/confabd}"
: "${CONFABCTL:=$CONFAB_BUILDDIR/src/confabctl}"
: "${CONFAB_SQL_DIR:=$CONFAB_SRCDIR/sql}"
export CONFAB_SQL_DIR

STACK_DB_PASSWORD=confab-test-pw
STACK_USER_PASSWORD=confab-demo-pw

# _stack_wait SECONDS CMD...: polls CMD every 50 ms until it succeeds.
_stack_wait() {
	local limit=$(( $1 * 20 )) i=0
	shift
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -ge "$limit" ] && return 1
		sleep 0.05
	done
}

stack_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

_stack_alive() { [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

# stack_mariadb_start DIR: a private MariaDB on DIR/run/mysqld.sock with a
# database "confab" and a user "confab" that may use only it.
stack_mariadb_start() {
	local dir=$1
	mkdir -p "$dir/run" "$dir/log" "$dir/tmp"
	if [ ! -d "$dir/db/mysql" ]; then
		# Each server gets its own tmpdir: parallel bootstraps collide in /tmp.
		mariadb-install-db --no-defaults --datadir="$dir/db" --tmpdir="$dir/tmp" --user=root \
			--auth-root-authentication-method=normal --skip-test-db >"$dir/log/install-db.log" 2>&1 || {
			cat "$dir/log/install-db.log" >&2; return 1; }
	fi
	/usr/sbin/mariadbd --no-defaults --datadir="$dir/db" --tmpdir="$dir/tmp" --socket="$dir/run/mysqld.sock" --skip-networking \
		--user=root --pid-file="$dir/run/mysqld.pid" --log-error="$dir/log/mysqld.err" --skip-log-bin \
		--innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 --max-connections=1500 &
	MARIADB_PID=$!
	_stack_wait 30 mariadb-admin --no-defaults --socket="$dir/run/mysqld.sock" -uroot ping || {
		echo "stack: MariaDB did not start" >&2; tail -20 "$dir/log/mysqld.err" >&2; return 1; }
	mariadb --no-defaults --socket="$dir/run/mysqld.sock" -uroot -e "
		CREATE DATABASE IF NOT EXISTS confab CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE USER IF NOT EXISTS 'confab'@'localhost' IDENTIFIED BY '$STACK_DB_PASSWORD';
		GRANT ALL ON confab.* TO 'confab'@'localhost';"
}

# stack_children COMM: the live children of the stack's confabd master that
# carry that process name (confabd-worker, confabd-runner), sorted.
stack_children() {
	local p
	for p in $(cat "/proc/$CONFABD_PID/task/$CONFABD_PID/children" 2>/dev/null); do
		if _stack_alive "$p" && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$1" ]; then echo "$p"; fi
	done | sort
}

# stack_mariadb_stop: stops the stack's MariaDB (the data stays; start it
# again with stack_mariadb_start "$STACK_DIR").
stack_mariadb_stop() {
	_stack_stop "${MARIADB_PID:-}"
	MARIADB_PID=
}

# stack_write_config DIR: DIR/confab.conf for a stack in DIR.
stack_write_config() {
	local dir=$1 rss_mb=${STACK_WORKER_MAX_RSS_MB:-256}
	[ -z "${STACK_VALGRIND:-}" ] || rss_mb=${STACK_WORKER_MAX_RSS_MB:-0}   # memcheck's own memory counts
	mkdir -p "$dir/uploads"
	cat >"$dir/confab.conf" <<CONF
listen = $dir/run/confab.sock
listen_mode = 0660
listen_group = ${STACK_LISTEN_GROUP:-}
workers = ${STACK_WORKERS:-3}
${STACK_MAX_WORKERS:+max_workers = $STACK_MAX_WORKERS
}${STACK_MIN_SPARE:+min_spare_workers = $STACK_MIN_SPARE
}${STACK_MAX_SPARE:+max_spare_workers = $STACK_MAX_SPARE
}db_socket = $dir/run/mysqld.sock
db_user = confab
db_password = $STACK_DB_PASSWORD
db_name = confab
${STACK_DB_WSREP_SYNC_WAIT:+db_wsrep_sync_wait = $STACK_DB_WSREP_SYNC_WAIT
}upload_dir = $dir/uploads
log_level = info
shutdown_timeout = ${STACK_SHUTDOWN_TIMEOUT:-10}
auth_cache_seconds = ${STACK_AUTH_CACHE_SECONDS:-0}
llm_timeout = ${STACK_LLM_TIMEOUT:-120}
llm_max_retries = ${STACK_LLM_RETRIES:-2}
task_runners = ${STACK_TASK_RUNNERS:-2}
job_lease_seconds = ${STACK_JOB_LEASE:-900}
webhook_retry_base_seconds = ${STACK_WEBHOOK_RETRY_BASE:-30}
poll_max_wait = ${STACK_POLL_MAX_WAIT:-20}
telegram_api_base = ${STACK_TELEGRAM_API_BASE:-https://api.telegram.org}
rate_limit_mode = ${STACK_RATE_LIMIT_MODE:-enforce}
rate_limit_team_requests = ${STACK_RATE_LIMIT_TEAM:-1000000}
rate_limit_team_window = ${STACK_RATE_LIMIT_TEAM_WINDOW:-300}
rate_limit_session_requests = ${STACK_RATE_LIMIT_SESSION:-1000000}
rate_limit_session_window = ${STACK_RATE_LIMIT_SESSION_WINDOW:-300}
upload_quota_session_bytes = ${STACK_UPLOAD_QUOTA_SESSION_BYTES:-1000000000000}
upload_quota_session_files = ${STACK_UPLOAD_QUOTA_SESSION_FILES:-1000000}
upload_quota_team_bytes = ${STACK_UPLOAD_QUOTA_TEAM_BYTES:-1000000000000}
upload_quota_team_files = ${STACK_UPLOAD_QUOTA_TEAM_FILES:-1000000}
upload_min_free_mb = ${STACK_UPLOAD_MIN_FREE_MB:-0}
anon_file_retention_days = ${STACK_ANON_FILE_RETENTION_DAYS:-30}
rate_limit_upload_session_requests = ${STACK_RATE_LIMIT_UPLOAD_SESSION:-1000000}
rate_limit_upload_addr_requests = ${STACK_RATE_LIMIT_UPLOAD_ADDR:-1000000}
rate_limit_upload_window = ${STACK_RATE_LIMIT_UPLOAD_WINDOW:-300}
rate_limit_chat_start_addr_requests = ${STACK_RATE_LIMIT_CHAT_START_ADDR:-1000000}
rate_limit_chat_start_bot_requests = ${STACK_RATE_LIMIT_CHAT_START_BOT:-1000000}
rate_limit_chat_start_window = ${STACK_RATE_LIMIT_CHAT_START_WINDOW:-300}
rate_limit_login_account_requests = ${STACK_RATE_LIMIT_LOGIN_ACCOUNT:-1000000}
rate_limit_login_addr_requests = ${STACK_RATE_LIMIT_LOGIN_ADDR:-1000000}
rate_limit_login_window = ${STACK_RATE_LIMIT_LOGIN_WINDOW:-900}
trusted_proxies = ${STACK_TRUSTED_PROXIES:-}
${STACK_METRICS_TOKEN_FILE:+metrics_token_file = $STACK_METRICS_TOKEN_FILE
}${STACK_METRICS_ALLOW:+metrics_allow = $STACK_METRICS_ALLOW
}purge_interval = ${STACK_PURGE_INTERVAL:-60}
secret_key_file = $dir/secret.key
${STACK_POLL_MAX_WAITERS:+poll_max_waiters = $STACK_POLL_MAX_WAITERS
}request_read_timeout = ${STACK_REQUEST_READ_TIMEOUT:-10}
upload_min_rate = ${STACK_UPLOAD_MIN_RATE:-1024}
response_write_timeout = ${STACK_RESPONSE_WRITE_TIMEOUT:-10}
response_write_min_rate = ${STACK_RESPONSE_WRITE_MIN_RATE:-65536}
sse_idle_timeout = ${STACK_SSE_IDLE_TIMEOUT:-30}
${STACK_WORKER_MAX_REQUESTS:+worker_max_requests = $STACK_WORKER_MAX_REQUESTS
}worker_max_rss_mb = $rss_mb
CONF
	# the key that seals stored secrets: made once, never replaced (the
	# dev stack keeps its database across restarts)
	[ -e "$dir/secret.key" ] || (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$dir/secret.key" &&
		echo >>"$dir/secret.key")
	CONFAB_CONFIG=$dir/confab.conf
	export CONFAB_CONFIG
}

# stack_confabd_start DIR
stack_confabd_start() {
	local dir=$1
	if [ -n "${STACK_VALGRIND:-}" ]; then
		# memcheck follows the forked workers and runners: one log per process
		valgrind --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
			--track-origins=no --log-file="$dir/log/valgrind.%p.log" \
			"$CONFABD" -c "$dir/confab.conf" >>"$dir/log/confabd.log" 2>&1 &
	else
		"$CONFABD" -c "$dir/confab.conf" >>"$dir/log/confabd.log" 2>&1 &
	fi
	CONFABD_PID=$!
	local patience=20
	[ -z "${STACK_VALGRIND:-}" ] || patience=90
	_stack_wait "$patience" test -S "$dir/run/confab.sock" || {
		echo "stack: confabd did not open its socket" >&2; tail -20 "$dir/log/confabd.log" >&2; return 1; }
}

# stack_error_pages DIR: the directory of the JSON error pages the web
# server uses: STACK_ERRORS_DIR when set (the package's), else a copy of
# conf/errors in DIR/errors (readable by Apache's www-data children).
stack_error_pages() {
	local src=${CONFAB_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
	if [ -n "${STACK_ERRORS_DIR:-}" ]; then
		echo "$STACK_ERRORS_DIR"
		return
	fi
	rm -rf "$1/errors"
	cp -r "$src/conf/errors" "$1/errors"
	chmod -R a+rX "$1/errors"
	echo "$1/errors"
}

# stack_lighttpd_errors DIR: the JSON error-page lines of the shipped
# lighttpd snippet (conf/lighttpd-confab.conf), pointed at DIR's pages.
stack_lighttpd_errors() {
	local src=${CONFAB_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
	sed -n '/^# ---- JSON error pages (begin)/,/^# ---- JSON error pages (end)/p' "$src/conf/lighttpd-confab.conf" |
		sed "s|/usr/share/confab/errors/|$(stack_error_pages "$1")/|"
}

# stack_lighttpd_start DIR PORT
stack_lighttpd_start() {
	local dir=$1 port=$2
	mkdir -p "$dir/www" "$dir/tmp"
	cat >"$dir/lighttpd.conf" <<CONF
server.modules = ("mod_fastcgi")
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$dir/www"
server.pid-file = "$dir/run/lighttpd.pid"
server.errorlog = "$dir/log/lighttpd.err"
server.stream-request-body = 0
server.stream-response-body = 1
server.upload-dirs = ( "$dir/tmp" )
server.max-request-size = 65536
fastcgi.server = ( "/" => (( "socket" => "$dir/run/confab.sock", "check-local" => "disable" )) )
$(stack_lighttpd_errors "$dir")
CONF
	lighttpd -D -f "$dir/lighttpd.conf" &
	LIGHTTPD_PID=$!
	_stack_wait 20 curl -s -o /dev/null "http://127.0.0.1:$port/healthz" || {
		echo "stack: lighttpd did not answer" >&2; cat "$dir/log/lighttpd.err" >&2; return 1; }
	CONFAB_BASE_URL=http://127.0.0.1:$port
	export CONFAB_BASE_URL
}

# stack_apache_start DIR PORT [SOCKET]: Apache 2.4 (event MPM, mod_proxy_fcgi)
# in the foreground on 127.0.0.1:PORT with the shipped snippet
# (conf/apache-confab.conf) pointed at SOCKET (default DIR/run/confab.sock).
# Its children run as www-data, so the socket's directory must be
# searchable and the socket reachable by that user.
stack_apache_start() {
	local dir=$1 port=$2 sock=${3:-$1/run/confab.sock}
	local src=${CONFAB_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
	mkdir -p "$dir/apache"
	sed -e "s|unix:/run/confab/confab.sock|unix:$sock|" -e "s|/usr/share/confab/errors|$(stack_error_pages "$dir")|" \
		"$src/conf/apache-confab.conf" >"$dir/apache/confab.conf"
	cat >"$dir/apache/httpd.conf" <<CONF
ServerRoot "$dir/apache"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$dir/run/apache.pid"
DefaultRuntimeDir "$dir/run"
Mutex file:$dir/run
ErrorLog "$dir/log/apache.err"
LogLevel warn
User www-data
Group www-data
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
TypesConfig /etc/mime.types
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_fcgi_module /usr/lib/apache2/modules/mod_proxy_fcgi.so
LoadModule setenvif_module /usr/lib/apache2/modules/mod_setenvif.so
LoadModule reqtimeout_module /usr/lib/apache2/modules/mod_reqtimeout.so
DocumentRoot "$dir/www"
Include "$dir/apache/confab.conf"
CONF
	mkdir -p "$dir/www"
	chmod o+x "$dir" "$dir/run" 2>/dev/null || true
	apache2 -f "$dir/apache/httpd.conf" -DFOREGROUND &
	APACHE_PID=$!
	_stack_wait 20 curl -s -o /dev/null "http://127.0.0.1:$port/healthz" || {
		echo "stack: apache did not answer" >&2; cat "$dir/log/apache.err" >&2; return 1; }
	CONFAB_BASE_URL=http://127.0.0.1:$port
	export CONFAB_BASE_URL APACHE_PID
}

# stack_second_host: a second Confab "host" on the same MariaDB, as in a
# scaled-out deployment: its own confabd (own socket, own task runners) and
# its own web server of the same kind (STACK_WEB) under STACK_DIR/host2,
# with the first host's configuration but for the listen socket, and an
# upload_dir that is a symlink to the first host's (a shared filesystem
# seen under another path). Sets HOST2_DIR, HOST2_URL, HOST2_CONFABD_PID
# and HOST2_WEB_PID; stack_down stops them. Call after stack_up.
stack_second_host() {
	local h2=$STACK_DIR/host2 base=$CONFAB_BASE_URL saved_lighttpd=${LIGHTTPD_PID:-} saved_apache=${APACHE_PID:-}
	local saved_confabd=$CONFABD_PID
	mkdir -p "$h2/run" "$h2/log"
	ln -s "$STACK_DIR/uploads" "$h2/uploads"
	sed -e "s|^listen = .*|listen = $h2/run/confab.sock|" -e "s|^upload_dir = .*|upload_dir = $h2/uploads|" \
		"$STACK_DIR/confab.conf" >"$h2/confab.conf"
	stack_confabd_start "$h2"
	HOST2_CONFABD_PID=$CONFABD_PID
	CONFABD_PID=$saved_confabd
	if [ "${STACK_WEB:-lighttpd}" = apache ]; then
		stack_apache_start "$h2" "$(stack_free_port)"
		HOST2_WEB_PID=$APACHE_PID
		APACHE_PID=$saved_apache
	else
		stack_lighttpd_start "$h2" "$(stack_free_port)"
		HOST2_WEB_PID=$LIGHTTPD_PID
		LIGHTTPD_PID=$saved_lighttpd
	fi
	HOST2_DIR=$h2
	HOST2_URL=$CONFAB_BASE_URL
	CONFAB_BASE_URL=$base
	export HOST2_DIR HOST2_URL HOST2_CONFABD_PID HOST2_WEB_PID CONFAB_BASE_URL LIGHTTPD_PID APACHE_PID CONFABD_PID
}

# stack_seed: migrations, a team, a user who may manage chatbots, a write
# key and a chatbot.
stack_seed() {
	local ctl=("$CONFABCTL" -c "$CONFAB_CONFIG")
	"${ctl[@]}" migrate >/dev/null
	CONFAB_TEAM=demo
	CONFAB_USER=demo@example.org
	"${ctl[@]}" team create --slug "$CONFAB_TEAM" --name "Demo team" >/dev/null
	printf '%s\n' "$STACK_USER_PASSWORD" >"$STACK_DIR/user-password"
	"${ctl[@]}" user create --email "$CONFAB_USER" --password-file "$STACK_DIR/user-password" >/dev/null
	"${ctl[@]}" member add --team "$CONFAB_TEAM" --user "$CONFAB_USER" --role experiment_admin >/dev/null
	CONFAB_API_KEY=$("${ctl[@]}" apikey create --team "$CONFAB_TEAM" --user "$CONFAB_USER" --write --name demo 2>/dev/null)
	"${ctl[@]}" provider add --team "$CONFAB_TEAM" --name local --type local >/dev/null
	CONFAB_CHATBOT_ID=$("${ctl[@]}" chatbot create --team "$CONFAB_TEAM" --name "Demo bot" \
		--provider local --model confab-local --prompt "You are a helpful assistant.")
	export CONFAB_TEAM CONFAB_USER CONFAB_API_KEY CONFAB_CHATBOT_ID
}

# stack_up: the whole stack in a fresh temporary directory, torn down on exit.
stack_up() {
	STACK_DIR=$(mktemp -d /tmp/confab-stack.XXXXXX)
	export STACK_DIR
	trap stack_down EXIT
	stack_mariadb_start "$STACK_DIR"
	[ "${STACK_WEB:-lighttpd}" != apache ] || STACK_LISTEN_GROUP=www-data   # Apache's children
	if [ -n "${STACK_FAKE_LLM:-}" ]; then   # the fake provider doubles as Telegram
		stack_fake_llm_start
		STACK_TELEGRAM_API_BASE=$FAKE_LLM_URL
	fi
	stack_write_config "$STACK_DIR"
	"$CONFABCTL" -c "$CONFAB_CONFIG" migrate >/dev/null
	stack_confabd_start "$STACK_DIR"
	echo "# web server: ${STACK_WEB:-lighttpd}"
	if [ "${STACK_WEB:-lighttpd}" = apache ]; then
		stack_apache_start "$STACK_DIR" "$(stack_free_port)"
	else
		stack_lighttpd_start "$STACK_DIR" "$(stack_free_port)"
	fi
	stack_seed
	# the document every recorded exchange is checked against (tests/lib/tap.sh)
	"${CONFAB_REAL_CURL:-curl}" -s -o "$STACK_DIR/openapi.json" "$CONFAB_BASE_URL/api/schema/" || rm -f "$STACK_DIR/openapi.json"
	export CONFABD_PID LIGHTTPD_PID MARIADB_PID
}

# stack_fake_llm_start: the fake LLM provider (tests/lib/fake_llm.py) on a
# free loopback port; sets FAKE_LLM_URL and FAKE_LLM_PID.
stack_fake_llm_start() {
	local src=${CONFAB_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
	rm -f "$STACK_DIR/fake_llm.port"
	python3 "$src/tests/lib/fake_llm.py" --port-file "$STACK_DIR/fake_llm.port" \
		2>>"$STACK_DIR/log/fake_llm.log" &
	FAKE_LLM_PID=$!
	_stack_wait 20 test -s "$STACK_DIR/fake_llm.port" || {
		echo "stack: the fake LLM provider did not start" >&2; return 1; }
	FAKE_LLM_URL=http://127.0.0.1:$(cat "$STACK_DIR/fake_llm.port")
	export FAKE_LLM_URL FAKE_LLM_PID
}

# stack_contract_proxy_start: the recording proxy in front of the web server
# (tests/lib/contract_proxy.py) for a test whose requests come from Node or
# python programs; sets CONTRACT_PROXY_URL, the base URL those programs get.
# Their exchanges land under $STACK_DIR/contract/ beside the curl calls', and
# done_testing checks them all. With CONFAB_CONTRACT=0 it is the web server.
stack_contract_proxy_start() {
	CONTRACT_PROXY_URL=$CONFAB_BASE_URL
	if [ "${CONFAB_CONTRACT:-1}" != 0 ]; then
		local src=${CONFAB_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
		rm -f "$STACK_DIR/contract_proxy.port"
		python3 "$src/tests/lib/contract_proxy.py" --upstream "$CONFAB_BASE_URL" --dir "$STACK_DIR/contract" \
			--port-file "$STACK_DIR/contract_proxy.port" 2>>"$STACK_DIR/log/contract_proxy.log" &
		CONTRACT_PROXY_PID=$!
		_stack_wait 20 test -s "$STACK_DIR/contract_proxy.port" || {
			echo "stack: the contract proxy did not start" >&2; return 1; }
		CONTRACT_PROXY_URL=http://127.0.0.1:$(cat "$STACK_DIR/contract_proxy.port")
	fi
	export CONTRACT_PROXY_URL CONTRACT_PROXY_PID
}

_stack_stop() { # PID: SIGTERM, then wait (bounded), then SIGKILL
	local pid=$1 i=0
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	while _stack_alive "$pid" && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
	_stack_alive "$pid" && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
}

stack_down() {
	local status=$?
	trap - EXIT
	_stack_stop "${LIGHTTPD_PID:-}"
	_stack_stop "${APACHE_PID:-}"
	_stack_stop "${HOST2_WEB_PID:-}"
	_stack_stop "${CONFABD_PID:-}"
	_stack_stop "${HOST2_CONFABD_PID:-}"
	_stack_stop "${FAKE_LLM_PID:-}"
	_stack_stop "${CONTRACT_PROXY_PID:-}"
	_stack_stop "${MARIADB_PID:-}"
	# A sanitizer report from any confabd process fails the test.
	if [ -n "${STACK_DIR:-}" ] && grep -q 'ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer' \
		"$STACK_DIR/log/confabd.log" "$STACK_DIR/host2/log/confabd.log" 2>/dev/null; then
		echo "# sanitizer report in confabd.log:"
		grep -h -A30 'ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer' "$STACK_DIR/log/confabd.log" \
			"$STACK_DIR/host2/log/confabd.log" 2>/dev/null | head -60 | sed 's/^/# /'
		[ "$status" -ne 0 ] || status=1
	fi
	# So does a memcheck error or a definite leak under STACK_VALGRIND.
	if [ -n "${STACK_DIR:-}" ] && grep -lE 'ERROR SUMMARY: [1-9]' \
		"$STACK_DIR"/log/valgrind.*.log >/dev/null 2>&1; then
		echo "# valgrind report:"
		grep -hE -B2 -A25 'Invalid|uninitialised|definitely lost in' "$STACK_DIR"/log/valgrind.*.log | head -60 | sed 's/^/# /'
		[ "$status" -ne 0 ] || status=1
	fi
	if [ -n "${STACK_DIR:-}" ] && { [ "${TAP_FAILED:-0}" -ne 0 ] || [ "$status" -ne 0 ]; }; then
		echo "# --- confabd.log (last 40 lines)"; tail -40 "$STACK_DIR/log/confabd.log" 2>/dev/null | sed 's/^/# /'
		echo "# --- mysqld.err (last 10 lines)"; tail -10 "$STACK_DIR/log/mysqld.err" 2>/dev/null | sed 's/^/# /'
	fi
	if [ -n "${STACK_DIR:-}" ] && [ -z "${KEEP_STACK:-}" ]; then
		rm -rf "$STACK_DIR"
	fi
	exit "$status"
}

# The three-node Galera cluster and its hosts (galera_up, stack_host_on).
. "$(dirname "${BASH_SOURCE[0]}")/galera.sh"
