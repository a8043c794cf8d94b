/* client_addr.h - the one answer to "who is the client?" for per-address
 * limits: REMOTE_ADDR, or the rightmost X-Forwarded-For hop that is not a
 * trusted proxy when REMOTE_ADDR is one (config key trusted_proxies). */
#ifndef CONFAB_CLIENT_ADDR_H
#define CONFAB_CLIENT_ADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "http_request.h"

/* True when list (borrowed, NULL or "" = empty) holds only IPv4/IPv6
 * addresses or CIDRs ("10.0.0.0/8", "::1/128") separated by commas or
 * spaces, at most CF_TRUSTED_PROXIES_MAX of them. */
bool client_addr_proxies_valid(const char *list);
/* True when addr (text) is inside one of list's entries. */
bool client_addr_trusted(const char *list, const char *addr);
/* The client's address as text into out (outlen ≥ CF_CLIENT_ADDR_MAX is
 * enough): REMOTE_ADDR unless it is a trusted proxy; then X-Forwarded-For
 * is walked from the right, skipping trusted proxies, and the first other
 * hop is the client (a malformed hop stops the walk: the last trusted hop
 * is used). All entries trusted: the leftmost. Never empty: "unknown" when
 * REMOTE_ADDR is missing. */
void client_address(const struct request *req, const struct config *cfg, char *out, size_t outlen);

#endif
