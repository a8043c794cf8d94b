/* listen.c - opening the FastCGI socket the web server connects to.
 * libfcgi parses FastCGI records, so only the web server may reach it:
 * unix sockets get a restrictive mode from birth, TCP binds only loopback
 * unless the operator opts out. */
#include "listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "limits.h"
#include "xalloc.h"


static bool fd_is_listening_socket(int fd)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISSOCK(sb.st_mode))
		return false;
	int val = 0;
	socklen_t len = sizeof val;
	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &val, &len) == 0 && val != 0;
}

/* A socket file nobody listens on is left over from a crash: remove it. */
static cf_status clear_stale_socket(const char *path, char *err, size_t errlen)
{
	struct stat sb;
	if (lstat(path, &sb) != 0)
		return CF_OK;
	if (!S_ISSOCK(sb.st_mode)) {
		snprintf(err, errlen, "listen %s: exists and is not a socket", path);
		return CF_E_CONFIG;
	}
	int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return CF_E_IO;
	}
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int rc = connect(probe, (struct sockaddr *)&sa, sizeof sa);
	close(probe);
	if (rc == 0) {
		snprintf(err, errlen, "listen %s: another server is already listening there", path);
		return CF_E_CONFIG;
	}
	if (unlink(path) != 0) {
		snprintf(err, errlen, "listen %s: cannot remove stale socket: %s", path, strerror(errno));
		return CF_E_IO;
	}
	return CF_OK;
}

static cf_status open_unix(const struct config *cfg, struct listener *l, char *err, size_t errlen)
{
	const char *path = cfg->listen;
	struct sockaddr_un sa;
	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errlen, "listen %s: path too long", path);
		return CF_E_CONFIG;
	}
	cf_status st = clear_stale_socket(path, err, errlen);
	if (st != CF_OK)
		return st;
	gid_t gid = (gid_t)-1;
	if (cfg->listen_group != NULL) {
		struct group *gr = getgrnam(cfg->listen_group);
		if (gr == NULL) {
			snprintf(err, errlen, "listen_group %s: no such group", cfg->listen_group);
			return CF_E_CONFIG;
		}
		gid = gr->gr_gid;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return CF_E_IO;
	}
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	/* Born with no permissions for anyone but us; opened up by chmod below. */
	mode_t old = umask(0177);
	int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (rc != 0) {
		snprintf(err, errlen, "bind %s: %s", path, strerror(errno));
		close(fd);
		return CF_E_IO;
	}
	if ((gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) != 0) || chmod(path, cfg->listen_mode) != 0 ||
	    listen(fd, CF_LISTEN_BACKLOG) != 0) {
		snprintf(err, errlen, "listen %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return CF_E_IO;
	}
	l->fd = fd;
	l->unix_path_created = true;
	l->path = xstrdup(path);
	return CF_OK;
}

static bool is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return false;
}

static cf_status open_tcp(const struct config *cfg, struct listener *l, char *err, size_t errlen)
{
	char *spec = xstrdup(cfg->listen);
	char *colon = strrchr(spec, ':');
	cf_status st = CF_OK;
	struct addrinfo *ai = NULL;
	int fd = -1;
	if (colon == NULL || colon == spec || colon[1] == '\0') {
		snprintf(err, errlen, "listen %s: expected /path, HOST:PORT or inherit", cfg->listen);
		st = CF_E_CONFIG;
		goto out;
	}
	*colon = '\0';
	char *host = spec;
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = '\0';
		host++;
	}
	struct addrinfo hints;
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	int gai = getaddrinfo(host, colon + 1, &hints, &ai);
	if (gai != 0) {
		snprintf(err, errlen, "listen %s: %s", cfg->listen, gai_strerror(gai));
		st = CF_E_CONFIG;
		goto out;
	}
	if (!is_loopback(ai->ai_addr) && !cfg->listen_allow_remote) {
		snprintf(err, errlen, "listen %s: not a loopback address; only the web server may reach the "
		         "FastCGI socket (set listen_allow_remote = true to override)", cfg->listen);
		st = CF_E_CONFIG;
		goto out;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, CF_LISTEN_BACKLOG) != 0) {
		snprintf(err, errlen, "listen %s: %s", cfg->listen, strerror(errno));
		st = CF_E_IO;
		if (fd >= 0)
			close(fd);
		goto out;
	}
	l->fd = fd;
out:
	if (ai != NULL)
		freeaddrinfo(ai);
	free(spec);
	return st;
}

cf_status listener_open(const struct config *cfg, struct listener *l, char *err, size_t errlen)
{
	memset(l, 0, sizeof *l);
	l->fd = -1;
	if (strcmp(cfg->listen, "inherit") == 0) {
		/* systemd socket activation passes fd 3; spawn-fcgi/mod_fcgid fd 0. */
		const char *pid = getenv("LISTEN_PID");
		const char *fds = getenv("LISTEN_FDS");
		if (pid != NULL && fds != NULL && strtol(pid, NULL, 10) == (long)getpid() &&
		    strtol(fds, NULL, 10) >= 1 && fd_is_listening_socket(3)) {
			l->fd = 3;
			return CF_OK;
		}
		if (fd_is_listening_socket(0)) {
			l->fd = 0;
			return CF_OK;
		}
		snprintf(err, errlen, "listen inherit: neither fd 0 nor a systemd socket is a listening socket");
		return CF_E_CONFIG;
	}
	if (cfg->listen[0] == '/')
		return open_unix(cfg, l, err, errlen);
	return open_tcp(cfg, l, err, errlen);
}

void listener_close(struct listener *l)
{
	if (l->fd > 2)
		close(l->fd);
	if (l->unix_path_created && l->path != NULL)
		unlink(l->path);
	free(l->path);
	memset(l, 0, sizeof *l);
	l->fd = -1;
}
