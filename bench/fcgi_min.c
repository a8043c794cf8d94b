/* fcgi_min.c - the reference responders of bench/run: the least a libfcgi
 * program can do per request, to measure what the machine, lighttpd and
 * FastCGI allow before any of Confab's own work.
 *
 *   fcgi_min SOCKET PROCESSES                      answers {"ok":true}
 *   fcgi_min SOCKET PROCESSES DB_SOCKET USER PASSWORD DATABASE
 *                                                  and first runs one
 *                                                  primary-key SELECT
 *
 * PROCESSES children share one listening unix socket (prefork, as confabd).
 * Runs until killed. Not installed; bench/run builds it. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <mysql.h>

static MYSQL_STMT *prepare_select(char **argv)
{
	MYSQL *conn = mysql_init(NULL);
	if (conn == NULL || mysql_real_connect(conn, NULL, argv[4], argv[5], argv[6], 0, argv[3], 0) == NULL) {
		fprintf(stderr, "fcgi_min: connect: %s\n", conn ? mysql_error(conn) : "out of memory");
		exit(1);
	}
	static const char sql[] = "SELECT id, name FROM teams WHERE id = ?";
	MYSQL_STMT *stmt = mysql_stmt_init(conn);
	if (stmt == NULL || mysql_stmt_prepare(stmt, sql, sizeof sql - 1) != 0) {
		fprintf(stderr, "fcgi_min: prepare: %s\n", mysql_error(conn));
		exit(1);
	}
	return stmt;
}

/* One SELECT by primary key; writes the name (or "") into name. */
static int select_one(MYSQL_STMT *stmt, char *name, size_t namelen)
{
	long long id = 1, got = 0;
	MYSQL_BIND param, result[2];
	memset(&param, 0, sizeof param);
	param.buffer_type = MYSQL_TYPE_LONGLONG;
	param.buffer = &id;
	unsigned long len = 0;
	memset(result, 0, sizeof result);
	result[0].buffer_type = MYSQL_TYPE_LONGLONG;
	result[0].buffer = &got;
	result[1].buffer_type = MYSQL_TYPE_STRING;
	result[1].buffer = name;
	result[1].buffer_length = namelen - 1;
	result[1].length = &len;
	name[0] = '\0';
	if (mysql_stmt_bind_param(stmt, &param) != 0 || mysql_stmt_execute(stmt) != 0 ||
	    mysql_stmt_bind_result(stmt, result) != 0 || mysql_stmt_store_result(stmt) != 0)
		return -1;
	int rc = mysql_stmt_fetch(stmt);
	if (rc == 0 || rc == MYSQL_DATA_TRUNCATED)
		name[len < namelen ? len : namelen - 1] = '\0';
	mysql_stmt_free_result(stmt);
	return 0;
}

static void serve(int fd, char **argv, int with_db)
{
	MYSQL_STMT *stmt = with_db ? prepare_select(argv) : NULL;
	FCGX_Request req;
	if (FCGX_InitRequest(&req, fd, 0) != 0)
		exit(1);
	while (FCGX_Accept_r(&req) >= 0) {
		char name[256] = "";
		int status = 200;
		if (stmt != NULL && select_one(stmt, name, sizeof name) != 0)
			status = 500;
		FCGX_FPrintF(req.out, "Status: %d\r\nContent-Type: application/json\r\n\r\n{\"ok\":true,\"name\":\"%s\"}\n",
		             status, name);
		FCGX_Finish_r(&req);
	}
	exit(0);
}

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 7) {
		fprintf(stderr, "usage: fcgi_min SOCKET PROCESSES [DB_SOCKET USER PASSWORD DATABASE]\n");
		return 2;
	}
	int procs = atoi(argv[2]);
	if (FCGX_Init() != 0)
		return 1;
	unlink(argv[1]);
	int fd = FCGX_OpenSocket(argv[1], 1024);
	if (fd < 0) {
		fprintf(stderr, "fcgi_min: cannot listen on %s\n", argv[1]);
		return 1;
	}
	for (int i = 0; i < procs; i++)
		if (fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGTERM);   /* leave with the parent */
			serve(fd, argv, argc == 7);
		}
	signal(SIGTERM, SIG_DFL);
	while (wait(NULL) > 0)
		;
	return 0;
}
