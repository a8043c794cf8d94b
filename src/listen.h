/* listen.h - the FastCGI listening socket: a unix socket with a
 * restrictive mode and group, loopback TCP, or one inherited on fd 0. */
#ifndef CONFAB_LISTEN_H
#define CONFAB_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "status.h"

struct listener {
	int fd;
	bool unix_path_created;   /* we created cfg->listen and unlink it at exit */
	char *path;               /* owned; the unix socket path or NULL */
};

/* Opens (or adopts) the socket described by cfg->listen. On failure writes a
 * message into err and returns CF_E_CONFIG or CF_E_IO. */
cf_status listener_open(const struct config *cfg, struct listener *l, char *err, size_t errlen) CF_MUST_CHECK;
/* Closes the socket and removes a unix socket file we created. */
void listener_close(struct listener *l);

#endif
