/* api_files.c - GET /api/files/{id}/content (docs/API.md §5): an
 * attachment's bytes for API-key and OAuth callers of its team, streamed
 * from the upload directory as an application/octet-stream download. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "log.h"
#include "store_files.h"
#include "urlcode.h"

/* Content-Disposition with an ASCII fallback and the RFC 5987 UTF-8 name. */
static void disposition(const char *name, char *out, size_t outlen)
{
	char ascii[256];
	size_t n = 0;
	for (const char *p = name; *p && n + 1 < sizeof ascii; p++)
		ascii[n++] = ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e || *p == '"' || *p == '\\') ? '_' : *p;
	ascii[n] = '\0';
	size_t used = (size_t)snprintf(out, outlen, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii);
	for (const unsigned char *p = (const unsigned char *)name; *p && used + 4 < outlen; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		             strchr("-._~", *p) != NULL;
		used += (size_t)snprintf(out + used, outlen - used, plain ? "%c" : "%%%02X", *p);
	}
}

cf_status api_file_content(struct handler_ctx *ctx)
{
	char *end = NULL;
	errno = 0;
	unsigned long long id = strtoull(route_param(ctx->match, "id"), &end, 10);
	bool valid_id = errno == 0 && *end == '\0';
	struct file_row file;
	cf_status st = valid_id ? store_file_get(ctx->app->db, ctx->who->team_id, id, &file) : CF_E_NOT_FOUND;
	if (st != CF_OK) {
		if (st != CF_E_NOT_FOUND)
			return st;
		reply_detail(ctx->resp, st, "No File matches the given query.");
		return CF_OK;
	}
	char path[1024], header[1024], length[32];
	snprintf(path, sizeof path, "%s/%s", ctx->app->cfg->upload_dir, file.storage_path);
	disposition(file.name, header, sizeof header);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		log_warn("files: %s is missing: %s", path, strerror(errno));
		reply_detail(ctx->resp, CF_E_NOT_FOUND, "No File matches the given query.");
		return CF_OK;
	}
	off_t size = lseek(fd, 0, SEEK_END);
	lseek(fd, 0, SEEK_SET);
	snprintf(length, sizeof length, "%lld", (long long)size);
	response_add_header(ctx->resp, "Content-Disposition", header);
	response_add_header(ctx->resp, "Content-Length", length);
	if (response_stream_begin(ctx->resp, "application/octet-stream") == CF_OK) {
		static char chunk[65536];
		ssize_t n;
		while ((n = read(fd, chunk, sizeof chunk)) > 0)
			if (response_stream_write(ctx->resp, chunk, (size_t)n) != CF_OK)
				break;
	}
	close(fd);
	return CF_OK;
}
