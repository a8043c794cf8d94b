/* store_files.h - SQL of uploaded files and their links to chats
 * (docs/API.md §5, §10.2, §10.3). Scoped by team. */
#ifndef CONFAB_STORE_FILES_H
#define CONFAB_STORE_FILES_H

#include "db.h"
#include "status.h"

/* How many of the files named in ids_json (a JSON array of ids) belong to
 * the team and were uploaded to the session. */
cf_status store_session_file_count(struct db *db, unsigned long long team_id, unsigned long long session_id,
                                   const char *ids_json, long *count) CF_MUST_CHECK;
/* Inside a transaction: links the files to the chat (tool type
 * ocs_attachments) and clears their expiry, except for files of anonymous
 * sessions (participant "anon:..." without a user) when anon_retention_days
 * > 0: those expire that many days from now and are purged with the other
 * expired files. */
cf_status store_files_attach(struct db *db, unsigned long long team_id, unsigned long long chat_id,
                             const char *ids_json, int anon_retention_days) CF_MUST_CHECK;
/* What a team and one of its sessions store: file counts and bytes. */
struct file_usage {
	long long session_files, session_bytes;
	long long team_files, team_bytes;
};
cf_status store_files_usage(struct db *db, unsigned long long team_id, unsigned long long session_id,
                            struct file_usage *out) CF_MUST_CHECK;
/* One stored file. Every column has a small bound, so the row owns no
 * memory: copy it, let it go out of scope. */
struct file_row {
	unsigned long long id;
	char name[1024];           /* VARCHAR(255) utf8mb4 */
	char content_type[1024];   /* VARCHAR(255) utf8mb4 */
	char storage_path[513];    /* VARCHAR(512), a server-chosen name inside upload_dir */
	long long content_size;
};
/* Called for each row; a status other than CF_OK stops the walk and is
 * returned by the store function. row is borrowed for the call only. The
 * rows are read in full before the first call, so fn may run statements. */
typedef cf_status (*file_row_fn)(void *ctx, const struct file_row *row);

/* Files by ids of a team, by id ascending: one call of fn each. */
cf_status store_files_get(struct db *db, unsigned long long team_id, const char *ids_json, file_row_fn fn,
                          void *ctx) CF_MUST_CHECK;

/* A new File row of a session, expiring after expiry_hours. */
cf_status store_file_add(struct db *db, unsigned long long team_id, unsigned long long session_id, const char *name,
                         const char *storage_path, const char *content_type, long long size, int expiry_hours,
                         const char *metadata_json, unsigned long long *id) CF_MUST_CHECK;
/* At most limit expired files, oldest first: one call of fn each (only id
 * and storage_path are filled). *count (may be NULL) gets how many were read. */
cf_status store_files_expired(struct db *db, int limit, file_row_fn fn, void *ctx, size_t *count) CF_MUST_CHECK;
cf_status store_file_delete(struct db *db, unsigned long long id) CF_MUST_CHECK;
/* A team's file by id into *out. CF_E_NOT_FOUND when absent. */
cf_status store_file_get(struct db *db, unsigned long long team_id, unsigned long long id,
                         struct file_row *out) CF_MUST_CHECK;

#endif
