# galera.sh - a three-node MariaDB Galera cluster on loopback, and one Confab
# host (confabd + web server) per node, for tests. Sourced by stack.sh.
# Every server is a direct child of the calling shell, stopped by PID;
# galera_down (the EXIT trap of galera_up) stops them all in bounded time.

GALERA_PROVIDER=${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
GALERA_NODES=3
declare -a GALERA_PID GALERA_PORT GALERA_GPORT GALERA_IPORT GALERA_SPORT HOST_CONFABD_PID HOST_WEB_PID HOST_URL

# galera_sql N SQL: runs SQL as root on node N (tab-separated, no headers).
galera_sql() {
	mariadb --no-defaults -S "$STACK_DIR/node$1/run/mysqld.sock" -uroot -N -e "$2"
}

# galera_status N VAR: a wsrep status variable of node N.
galera_status() {
	galera_sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2
}

_galera_state_is() { [ "$(galera_status "$1" wsrep_local_state_comment)" = "$2" ]; }

_galera_synced() {
	[ "$(galera_status "$1" wsrep_local_state_comment)" = Synced ] &&
		[ "$(galera_status "$1" wsrep_cluster_size)" = "$GALERA_NODES" ]
}

# _galera_args N: the server's command line for node N.
_galera_args() {
	local n=$1 d=$STACK_DIR/node$1 addr="" i
	for i in $(seq "$GALERA_NODES"); do addr+="${addr:+,}127.0.0.1:${GALERA_GPORT[$i]}"; done
	printf '%s\n' --no-defaults --datadir="$d/db" --tmpdir="$d/tmp" --socket="$d/run/mysqld.sock" \
		--port="${GALERA_PORT[$n]}" --bind-address=127.0.0.1 --user=root --pid-file="$d/run/mysqld.pid" \
		--log-error="$d/log/mysqld.err" --skip-log-bin --innodb-buffer-pool-size=64M \
		--innodb-flush-log-at-trx-commit=2 --max-connections=600 --log-bin-trust-function-creators=1 \
		--binlog-format=ROW --innodb-autoinc-lock-mode=2 --wsrep-on=ON --wsrep-provider="$GALERA_PROVIDER" \
		--wsrep-cluster-name=confab-test --wsrep-cluster-address="gcomm://$addr" \
		--wsrep-node-name="node$n" --wsrep-node-address=127.0.0.1 \
		--wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:${GALERA_GPORT[$n]};ist.recv_addr=127.0.0.1:${GALERA_IPORT[$n]};gcache.size=64M" \
		--wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:${GALERA_SPORT[$n]}"
}

# galera_node_start N [--wsrep-new-cluster]: starts node N (its datadir
# must exist). After a crash the node's last position is recovered first
# (as galera_recovery does), so the cluster can send it only what it missed
# (IST) instead of a whole copy (SST).
galera_node_start() {
	local n=$1 d=$STACK_DIR/node$1 pos="" args
	shift
	mapfile -t args < <(_galera_args "$n")
	if [ -f "$d/db/grastate.dat" ] && grep -q '^seqno: *-1' "$d/db/grastate.dat"; then
		timeout 60 /usr/sbin/mariadbd "${args[@]}" --wsrep-recover --log-error="$d/log/recover.err" >/dev/null 2>&1 || true
		pos=$(sed -n 's/.*WSREP: Recovered position: *\([0-9a-f-]*:-\{0,1\}[0-9]*\).*/\1/p' "$d/log/recover.err" | tail -1)
	fi
	/usr/sbin/mariadbd "${args[@]}" ${pos:+--wsrep-start-position="$pos"} "$@" 2>>"$d/log/mysqld.stderr" &
	GALERA_PID[$n]=$!
}

# galera_wait_synced N [SECONDS]: until node N is Synced in a cluster of 3.
galera_wait_synced() {
	_stack_wait "${2:-90}" _galera_synced "$1" || {
		echo "stack: galera node $1 is not Synced" >&2; tail -20 "$STACK_DIR/node$1/log/mysqld.err" >&2; return 1; }
}

# galera_kill N: SIGKILL node N (a crash: nothing flushed, nothing said).
galera_kill() {
	kill -KILL "${GALERA_PID[$1]}" 2>/dev/null || true
	wait "${GALERA_PID[$1]}" 2>/dev/null || true
	GALERA_PID[$1]=
}

# galera_up: STACK_DIR, the cluster (node 1 bootstraps it, 2 and 3 join
# by SST), database "confab" and its user; EXIT trap galera_down.
galera_up() {
	STACK_DIR=$(mktemp -d /tmp/confab-galera.XXXXXX)
	export STACK_DIR
	trap galera_down EXIT
	mkdir -p "$STACK_DIR/log" "$STACK_DIR/run"
	local n
	for n in $(seq "$GALERA_NODES"); do
		GALERA_PORT[$n]=$(stack_free_port); GALERA_GPORT[$n]=$(stack_free_port)
		GALERA_IPORT[$n]=$(stack_free_port); GALERA_SPORT[$n]=$(stack_free_port)
		mkdir -p "$STACK_DIR/node$n/run" "$STACK_DIR/node$n/log" "$STACK_DIR/node$n/tmp" "$STACK_DIR/node$n/db"
		# the joiner's rsync daemon, started by root, writes as "nobody"
		chmod 711 "$STACK_DIR/node$n"
		chmod 777 "$STACK_DIR/node$n/db"
	done
	chmod 711 "$STACK_DIR"
	mariadb-install-db --no-defaults --datadir="$STACK_DIR/node1/db" --tmpdir="$STACK_DIR/node1/tmp" --user=root \
		--auth-root-authentication-method=normal --skip-test-db >"$STACK_DIR/node1/log/install-db.log" 2>&1 || {
		cat "$STACK_DIR/node1/log/install-db.log" >&2; return 1; }
	galera_node_start 1 --wsrep-new-cluster
	_stack_wait 60 _galera_state_is 1 Synced || {
		echo "stack: galera node 1 did not bootstrap" >&2; tail -30 "$STACK_DIR/node1/log/mysqld.err" >&2; return 1; }
	galera_sql 1 "
		CREATE DATABASE IF NOT EXISTS confab CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE USER IF NOT EXISTS 'confab'@'localhost' IDENTIFIED BY '$STACK_DB_PASSWORD';
		GRANT ALL ON confab.* TO 'confab'@'localhost';"
	for n in $(seq 2 "$GALERA_NODES"); do   # one joiner at a time: one donor, one SST
		galera_node_start "$n"
		_stack_wait 90 _galera_state_is "$n" Synced || {
			echo "stack: galera node $n did not join" >&2; tail -30 "$STACK_DIR/node$n/log/mysqld.err" >&2; return 1; }
	done
	for n in $(seq "$GALERA_NODES"); do galera_wait_synced "$n" || return 1; done
}

# stack_host_on N: a Confab host on node N: confabd (config in
# STACK_DIR/nodeN/confab.conf, db_socket the node's) and a web server of
# kind STACK_WEB. All hosts share host 1's sealing key and upload
# directory. Sets HOST_URL[N], HOST_CONFABD_PID[N], HOST_WEB_PID[N].
stack_host_on() {
	local n=$1 d=$STACK_DIR/node$1
	[ "$n" = 1 ] || { ln -sfn "$STACK_DIR/node1/uploads" "$d/uploads"; cp "$STACK_DIR/node1/secret.key" "$d/secret.key"; }
	[ "${STACK_WEB:-lighttpd}" != apache ] || STACK_LISTEN_GROUP=www-data
	stack_write_config "$d"
	[ "$n" = 1 ] || sed -i "s|^upload_dir = .*|upload_dir = $d/uploads|" "$d/confab.conf"
	stack_confabd_start "$d"
	HOST_CONFABD_PID[$n]=$CONFABD_PID
	CONFABD_PID=
	if [ "${STACK_WEB:-lighttpd}" = apache ]; then
		stack_apache_start "$d" "$(stack_free_port)"
		HOST_WEB_PID[$n]=$APACHE_PID
		APACHE_PID=
	else
		stack_lighttpd_start "$d" "$(stack_free_port)"
		HOST_WEB_PID[$n]=$LIGHTTPD_PID
		LIGHTTPD_PID=
	fi
	HOST_URL[$n]=$CONFAB_BASE_URL
}

# galera_down: every host, the fake LLM and every node, then stack_down
# (which reports sanitizer findings and removes STACK_DIR).
galera_down() {
	local status=$? n
	for n in "${!HOST_WEB_PID[@]}"; do _stack_stop "${HOST_WEB_PID[$n]}"; done
	for n in "${!HOST_CONFABD_PID[@]}"; do _stack_stop "${HOST_CONFABD_PID[$n]}"; done
	_stack_stop "${FAKE_LLM_PID:-}"
	FAKE_LLM_PID=
	for n in "${!GALERA_PID[@]}"; do _stack_stop "${GALERA_PID[$n]}"; done
	if [ -n "${STACK_DIR:-}" ]; then   # stack_down's report reads host 1's logs
		mkdir -p "$STACK_DIR/log"
		cat "$STACK_DIR"/node*/log/confabd.log >"$STACK_DIR/log/confabd.log" 2>/dev/null || true
		[ "$status" = 0 ] && [ "${TAP_FAILED:-0}" = 0 ] || for n in $(seq "$GALERA_NODES"); do
			echo "# --- node$n mysqld.err (last 8 lines)"; grep -E "ERROR|Warning|abort" "$STACK_DIR/node$n/log/mysqld.err" | tail -8 2>/dev/null | sed 's/^/# /'
		done
	fi
	(exit "$status")
	stack_down
}
