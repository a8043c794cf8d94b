/* uploads.h - the chat widget's file uploads (docs/API.md §10.2):
 * a multipart body streamed straight into files of the upload directory
 * under server-chosen names, checked (per-file and total size, the exact
 * extension list, quotas, a free-space floor) and recorded as File rows
 * that expire after 24 hours unless a message attaches them. */
#ifndef CONFAB_UPLOADS_H
#define CONFAB_UPLOADS_H

#include <json-c/json.h>

#include "config.h"
#include "db.h"
#include "http_request.h"
#include "status.h"

struct upload_target {
	unsigned long long team_id;
	unsigned long long session_id;
	const char *session_external_id;
	const char *uploaded_by;        /* the session participant's identifier */
};

/* Streams req's multipart body (boundary from its Content-Type) into the
 * upload directory. CF_OK: *files is the response's "files" array (caller
 * owns). CF_E_BAD_REQUEST: *error (static or in errbuf) is the reference's
 * message, or *parse_error the multipart problem. CF_E_TOO_LARGE: an upload
 * quota (session or team, files or bytes; config upload_quota_*) would be
 * passed, *error names it. CF_E_STORAGE: upload_dir has less free space
 * than upload_min_free_mb (*error says so) or the files could not be
 * written (*error NULL). Nothing is left behind on any failure. */
cf_status uploads_receive(struct db *db, const struct config *cfg, const struct request *req,
                          const struct upload_target *t, struct json_object **files, const char **error,
                          char *errbuf, size_t errlen, const char **parse_error) CF_MUST_CHECK;

/* The content type Confab serves for a file name (by its extension). */
const char *uploads_content_type(const char *filename);

/* Removes expired files (rows and blobs), at most limit per call; *removed
 * (may be NULL) gets how many. */
cf_status uploads_purge_expired(struct db *db, const struct config *cfg, int limit,
                                unsigned long long *removed) CF_MUST_CHECK;

#endif
