/* uploads.c - streamed multipart uploads into the upload directory. */
#include "uploads.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "crypto.h"
#include "limits.h"
#include "log.h"
#include "multipart.h"
#include "metrics.h"
#include "store_files.h"
#include "utf8.h"

/* The extensions a chat upload may have and the type each is served as:
 * upstream's chat_attachments list today (the collections list without
 * .bmp and .svg). */
static const struct {
	const char *ext;
	const char *type;
} TYPES[] = {
	{".txt", "text/plain"}, {".pdf", "application/pdf"}, {".doc", "application/msword"},
	{".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	{".xls", "application/vnd.ms-excel"},
	{".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, {".csv", "text/csv"},
	{".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".png", "image/png"}, {".gif", "image/gif"},
	{".webp", "image/webp"}, {".mp4", "video/mp4"}, {".mov", "video/quicktime"}, {".avi", "video/x-msvideo"},
	{".mp3", "audio/mpeg"}, {".wav", "audio/x-wav"}, {".html", "text/html"}, {".htm", "text/html"},
	{".css", "text/css"}, {".js", "text/javascript"}, {".xml", "text/xml"}, {".md", "text/markdown"},
	{".ics", "text/calendar"}, {".vcf", "text/vcard"}, {".rtf", "text/rtf"},
	{".tsv", "text/tab-separated-values"}, {".yaml", "text/yaml"}, {".yml", "text/yaml"}, {".py", "text/x-python"},
	{".c", "text/x-c"},
};
static const char ALLOWED_LIST[] =
	".txt, .pdf, .doc, .docx, .xls, .xlsx, .csv, .jpg, .jpeg, .png, .gif, .webp, .mp4, .mov, .avi, .mp3, .wav, "
	".html, .htm, .css, .js, .xml, .md, .ics, .vcf, .rtf, .tsv, .yaml, .yml, .py, .c";

/* Image formats no LLM provider accepts: refused by extension whatever
 * the part claims (upstream's DENIED_IMAGE_EXTENSIONS). */
static const char *const DENIED_IMAGE_EXTS[] = {".svg", ".svgz", ".bmp", ".tif", ".tiff"};
/* The image types some provider accepts (upstream's
 * ANY_PROVIDER_SUPPORTED_IMAGE_CONTENT_TYPES), named as in its message. */
static const char *const SUPPORTED_IMAGES[] = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/heic",
                                               "image/heif"};
#define IMAGE_TYPES_NAMED "GIF, HEIC, HEIF, JPEG, PNG, WEBP"

/* The lower-cased extension with its dot ("" when none) into out. */
static void extension_of(const char *filename, char out[16])
{
	const char *dot = strrchr(filename, '.');
	out[0] = '\0';
	if (dot == NULL || strlen(dot) >= 16)
		return;
	size_t i = 0;
	for (; dot[i]; i++)
		out[i] = (char)((dot[i] >= 'A' && dot[i] <= 'Z') ? dot[i] + 32 : dot[i]);
	out[i] = '\0';
}

const char *uploads_content_type(const char *filename)
{
	char ext[16];
	extension_of(filename, ext);
	for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
		if (strcmp(TYPES[i].ext, ext) == 0)
			return TYPES[i].type;
	return "application/octet-stream";
}

struct upload_file {
	char name[512];
	char storage[80];       /* server-chosen name inside upload_dir */
	bool claims_text;       /* the part's Content-Type is text/... */
	unsigned char head[CF_UPLOAD_SNIFF_BYTES];   /* the first bytes, for sniffing */
	size_t head_len;
	long long size;
	bool too_big;           /* over the per-file limit */
	bool dropped;           /* no longer written: over a limit */
	bool written;           /* a blob exists for it */
};

struct upload_state {
	const struct config *cfg;
	struct upload_file files[CF_MAX_UPLOAD_FILES];
	size_t nfiles;
	long long total;
	int fd;                 /* the file being written, -1 otherwise */
	struct upload_file *current;
	char field[16];         /* "remote_id" / "name" while such a field part runs */
	struct buf remote_id;
	struct buf participant_name;
	bool io_failed;
	long long byte_budget;  /* bytes the quotas leave for this upload */
	bool over_quota;        /* data past byte_budget arrived: refused at the end */
};

static void blob_path(const struct config *cfg, const char *storage, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s/%s", cfg->upload_dir, storage);
}

static cf_status on_part(void *ctx, const struct multipart_part *part)
{
	struct upload_state *s = ctx;
	s->current = NULL;
	s->field[0] = '\0';
	if (strcmp(part->name, "participant_remote_id") == 0 || strcmp(part->name, "participant_name") == 0) {
		snprintf(s->field, sizeof s->field, "%s", part->name[12] == 'r' ? "remote_id" : "name");
		return CF_OK;
	}
	if (strcmp(part->name, "files") != 0 || part->filename == NULL)
		return CF_OK;   /* other fields are ignored */
	if (s->nfiles == CF_MAX_UPLOAD_FILES)
		return CF_E_TOO_LARGE;
	struct upload_file *f = &s->files[s->nfiles++];
	memset(f, 0, sizeof *f);
	snprintf(f->name, sizeof f->name, "%s", part->filename);
	f->claims_text = strncasecmp(part->content_type, "text/", 5) == 0;
	unsigned char raw[16];
	if (random_bytes(raw, sizeof raw) != CF_OK)
		return CF_E_INTERNAL;
	int n = snprintf(f->storage, sizeof f->storage, "upload-");
	for (size_t i = 0; i < sizeof raw; i++)
		n += snprintf(f->storage + n, sizeof f->storage - (size_t)n, "%02x", raw[i]);
	char path[1024];
	blob_path(s->cfg, f->storage, path, sizeof path);
	s->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (s->fd < 0) {
		log_error("upload: cannot create %s: %s", path, strerror(errno));
		s->io_failed = true;
		return CF_E_IO;
	}
	f->written = true;
	s->current = f;
	return CF_OK;
}

static cf_status on_data(void *ctx, const char *data, size_t len)
{
	struct upload_state *s = ctx;
	if (s->field[0] != '\0') {
		struct buf *b = s->field[0] == 'r' ? &s->remote_id : &s->participant_name;
		return buf_append(b, data, len) == CF_OK ? CF_OK : CF_E_TOO_LARGE;
	}
	struct upload_file *f = s->current;
	if (f == NULL)
		return CF_OK;
	if (f->head_len < sizeof f->head) {
		size_t take = len < sizeof f->head - f->head_len ? len : sizeof f->head - f->head_len;
		memcpy(f->head + f->head_len, data, take);
		f->head_len += take;
	}
	f->size += (long long)len;
	s->total += (long long)len;
	if (f->dropped)
		return CF_OK;   /* counted, not kept */
	if (s->total > s->byte_budget)
		s->over_quota = true;
	if (f->size > CF_MAX_UPLOAD_FILE_BYTES || s->total > CF_MAX_UPLOAD_TOTAL_BYTES || s->over_quota) {
		/* refused anyway (checked at the end): stop using disk */
		f->too_big = f->size > CF_MAX_UPLOAD_FILE_BYTES;
		f->dropped = true;
		close(s->fd);
		s->fd = -1;
		return CF_OK;
	}
	while (len > 0) {
		ssize_t w = write(s->fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_error("upload: writing %s failed: %s", f->storage, strerror(errno));
			s->io_failed = true;
			return CF_E_IO;
		}
		data += w;
		len -= (size_t)w;
	}
	return CF_OK;
}

static cf_status on_part_end(void *ctx)
{
	struct upload_state *s = ctx;
	if (s->fd >= 0 && close(s->fd) != 0) {
		s->io_failed = true;
		s->fd = -1;
		return CF_E_IO;
	}
	s->fd = -1;
	s->current = NULL;
	s->field[0] = '\0';
	return CF_OK;
}

static void remove_blobs(struct upload_state *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	for (size_t i = 0; i < s->nfiles; i++) {
		if (!s->files[i].written)
			continue;
		char path[1024];
		blob_path(s->cfg, s->files[i].storage, path, sizeof path);
		unlink(path);
	}
}

/* The image type the first bytes of a file show, NULL when they show no
 * image: the magic numbers libmagic knows for these formats, and an SVG
 * document (its first element, after an XML declaration, comments and a
 * doctype, is <svg). */
static const char *sniff_image(const unsigned char *h, size_t n)
{
	if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
		return "image/jpeg";
	if (n >= 6 && (memcmp(h, "GIF87a", 6) == 0 || memcmp(h, "GIF89a", 6) == 0))
		return "image/gif";
	if (n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0)
		return "image/webp";
	if (n >= 12 && memcmp(h + 4, "ftyp", 4) == 0) {
		static const struct {
			const char brand[5];
			const char *type;
		} brands[] = {{"heic", "image/heic"}, {"heix", "image/heic"}, {"hevc", "image/heic"},
		              {"heim", "image/heic"}, {"heis", "image/heic"}, {"mif1", "image/heif"},
		              {"msf1", "image/heif"}, {"heif", "image/heif"}, {"avif", "image/avif"},
		              {"avis", "image/avif"}};
		for (size_t i = 0; i < sizeof brands / sizeof brands[0]; i++)
			if (memcmp(h + 8, brands[i].brand, 4) == 0)
				return brands[i].type;
	}
	if (n >= 4 && (memcmp(h, "II*\0", 4) == 0 || memcmp(h, "MM\0*", 4) == 0))
		return "image/tiff";
	/* BMP: "BM", then at 14 the size of a DIB header of a known version */
	if (n >= 18 && h[0] == 'B' && h[1] == 'M') {
		unsigned dib = h[14] | (unsigned)h[15] << 8 | (unsigned)h[16] << 16 | (unsigned)h[17] << 24;
		if (dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124)
			return "image/bmp";
	}
	size_t i = n >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	for (;;) {
		while (i < n && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n'))
			i++;
		if (i + 1 >= n || h[i] != '<')
			return NULL;
		const char *close = NULL;
		if (h[i + 1] == '?')
			close = "?>";
		else if (i + 3 < n && memcmp(h + i, "<!--", 4) == 0)
			close = "-->";
		else if (h[i + 1] == '!')
			close = ">";
		if (close == NULL)
			break;
		const unsigned char *end = memmem(h + i + 2, n - i - 2, close, strlen(close));
		if (end == NULL)
			return NULL;
		i = (size_t)(end - h) + strlen(close);
	}
	if (i + 4 < n && strncasecmp((const char *)h + i, "<svg", 4) == 0 &&
	    (h[i + 4] == ' ' || h[i + 4] == '>' || h[i + 4] == '\t' || h[i + 4] == '\r' || h[i + 4] == '\n' ||
	     h[i + 4] == '/'))
		return "image/svg+xml";
	return NULL;
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* The type a file of this upload is recorded with: the image its bytes
 * show, else its extension's, else text/plain (a text/... part of another
 * extension). */
static const char *recorded_type(const struct upload_file *f)
{
	const char *sniffed = sniff_image(f->head, f->head_len);
	if (sniffed != NULL)
		return sniffed;
	const char *type = uploads_content_type(f->name);
	return strcmp(type, "application/octet-stream") == 0 ? "text/plain" : type;
}

/* The reference's checks of §10.2 in order; NULL when all pass. */
static const char *check_files(const struct upload_state *s, char *errbuf, size_t errlen)
{
	if (s->nfiles == 0)
		return "No files provided";
	for (size_t i = 0; i < s->nfiles; i++) {
		const struct upload_file *f = &s->files[i];
		if (f->too_big) {
			snprintf(errbuf, errlen, "File '%.300s' exceeds maximum size of 50MB", f->name);
			return errbuf;
		}
		char ext[16];
		extension_of(f->name, ext);
		const char *by_ext = uploads_content_type(f->name);
		const char *sniffed = sniff_image(f->head, f->head_len);
		if (in_list(DENIED_IMAGE_EXTS, sizeof DENIED_IMAGE_EXTS / sizeof DENIED_IMAGE_EXTS[0], ext) ||
		    (sniffed != NULL &&
		     !in_list(SUPPORTED_IMAGES, sizeof SUPPORTED_IMAGES / sizeof SUPPORTED_IMAGES[0], sniffed))) {
			snprintf(errbuf, errlen, "The image `%.300s` is not a supported image type. Supported types: %s.",
			         f->name, IMAGE_TYPES_NAMED);
			return errbuf;
		}
		if (!f->claims_text && strcmp(by_ext, "application/octet-stream") == 0) {
			snprintf(errbuf, errlen, "File type '%s' is not supported. Allowed types: %s", ext, ALLOWED_LIST);
			return errbuf;
		}
		/* Confab's own rule: an image extension needs that image's bytes */
		if (strncmp(by_ext, "image/", 6) == 0 && (sniffed == NULL || strcmp(sniffed, by_ext) != 0)) {
			snprintf(errbuf, errlen, "The file `%.300s` is not the image its extension claims (%s).", f->name,
			         by_ext);
			return errbuf;
		}
		if (!utf8_valid(f->name, strlen(f->name)) || utf8_length(f->name, strlen(f->name)) > 255) {
			snprintf(errbuf, errlen, "File name is not valid");
			return errbuf;
		}
	}
	if (s->total > CF_MAX_UPLOAD_TOTAL_BYTES)
		return "Total file size exceeds maximum of 50MB";
	return NULL;
}

struct record_files_tx {
	const struct upload_state *s;
	const struct upload_target *t;
	const char *meta_json;
	struct json_object *list;   /* out: built afresh by each run of the transaction */
};

static cf_status record_files_in_tx(struct db *db, void *ctx)
{
	struct record_files_tx *x = ctx;
	const struct upload_state *s = x->s;
	const struct upload_target *t = x->t;
	json_object_put(x->list);
	x->list = json_object_new_array();
	cf_status st = CF_OK;
	for (size_t i = 0; st == CF_OK && i < s->nfiles; i++) {
		const struct upload_file *f = &s->files[i];
		const char *type = recorded_type(f);
		unsigned long long id = 0;
		st = store_file_add(db, t->team_id, t->session_id, f->name, f->storage, type, f->size, CF_UPLOAD_EXPIRY_HOURS,
		                    x->meta_json, &id);
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64((int64_t)id));
		json_object_object_add(o, "name", json_object_new_string(f->name));
		json_object_object_add(o, "size", json_object_new_int64(f->size));
		json_object_object_add(o, "content_type", json_object_new_string(type));
		json_object_array_add(x->list, o);
	}
	return st;
}

static cf_status record_files(struct db *db, const struct upload_state *s, const struct upload_target *t,
                              struct json_object **out)
{
	struct json_object *meta = json_object_new_object();
	json_object_object_add(meta, "session_id", json_object_new_string(t->session_external_id));
	json_object_object_add(meta, "uploaded_by",
	                       json_object_new_string(t->uploaded_by[0]   ? t->uploaded_by
	                                              : s->remote_id.len ? buf_str(&s->remote_id)
	                                                                 : "unknown"));
	json_object_object_add(meta, "participant_name", json_object_new_string(buf_str(&s->participant_name)));
	json_object_object_add(meta, "participant_remote_id", json_object_new_string(buf_str(&s->remote_id)));
	struct record_files_tx x = {
		s, t, json_object_to_json_string_ext(meta, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), NULL};
	cf_status st = db_transaction(db, record_files_in_tx, &x);
	json_object_put(meta);
	if (st != CF_OK) {
		json_object_put(x.list);
		return st;
	}
	*out = x.list;
	return CF_OK;
}

/* CF_E_STORAGE with *error when upload_dir has less than upload_min_free_mb
 * free (for unprivileged writers). */
static cf_status check_free_space(const struct config *cfg, const char **error)
{
	if (cfg->upload_min_free_mb <= 0)
		return CF_OK;
	struct statvfs vfs;
	if (statvfs(cfg->upload_dir, &vfs) != 0) {
		log_error("upload: cannot stat %s: %s", cfg->upload_dir, strerror(errno));
		*error = "The upload could not be stored; try again later.";
		return CF_E_STORAGE;
	}
	unsigned long long free_mb = (unsigned long long)vfs.f_bavail * vfs.f_frsize / (1024ULL * 1024);
	if (free_mb < (unsigned long long)cfg->upload_min_free_mb) {
		log_warn("upload: refused, %s has %llu MB free (upload_min_free_mb = %ld)", cfg->upload_dir, free_mb,
		         cfg->upload_min_free_mb);
		*error = "Insufficient storage: uploads are paused until the server has more free space.";
		return CF_E_STORAGE;
	}
	return CF_OK;
}

/* CF_E_TOO_LARGE with the quota's message in errbuf when adding files
 * files of bytes bytes to u would pass a quota. */
static cf_status check_quota(const struct config *cfg, const struct file_usage *u, long long files, long long bytes,
                             char *errbuf, size_t errlen)
{
	const char *who = NULL, *what = NULL;
	long long max = 0;
	if (u->session_files + files > cfg->upload_quota_session_files)
		who = "a chat session", what = "files", max = cfg->upload_quota_session_files;
	else if (u->session_bytes + bytes > cfg->upload_quota_session_bytes)
		who = "a chat session", what = "bytes", max = cfg->upload_quota_session_bytes;
	else if (u->team_files + files > cfg->upload_quota_team_files)
		who = "the team", what = "files", max = cfg->upload_quota_team_files;
	else if (u->team_bytes + bytes > cfg->upload_quota_team_bytes)
		who = "the team", what = "bytes", max = cfg->upload_quota_team_bytes;
	if (who == NULL)
		return CF_OK;
	snprintf(errbuf, errlen, "Upload quota exceeded: %s may store at most %lld %s of uploads.", who, max, what);
	return CF_E_TOO_LARGE;
}

static long long min_ll(long long a, long long b)
{
	return a < b ? a : b;
}

cf_status uploads_receive(struct db *db, const struct config *cfg, const struct request *req,
                          const struct upload_target *t, struct json_object **files, const char **error,
                          char *errbuf, size_t errlen, const char **parse_error)
{
	*error = *parse_error = NULL;
	cf_status early = check_free_space(cfg, error);
	struct file_usage usage;
	if (early == CF_OK)
		early = store_files_usage(db, t->team_id, t->session_id, &usage);
	/* Full already (one more file or byte would pass): refused before the body is read. */
	if (early == CF_OK && (early = check_quota(cfg, &usage, 1, 1, errbuf, errlen)) == CF_E_TOO_LARGE)
		*error = errbuf;
	if (early != CF_OK) {
		if (*error != NULL || early == CF_E_STORAGE)
			metrics_count(METRIC_UPLOAD_REFUSED);
		return early;
	}

	static struct upload_state s;   /* large; one request at a time per process */
	memset(&s, 0, sizeof s);
	s.cfg = cfg;
	s.fd = -1;
	s.byte_budget = min_ll(cfg->upload_quota_session_bytes - usage.session_bytes,
	                       cfg->upload_quota_team_bytes - usage.team_bytes);
	buf_init(&s.remote_id, 1024);
	buf_init(&s.participant_name, 1024);
	char boundary[MULTIPART_BOUNDARY_MAX + 1];
	if (!multipart_boundary(req->content_type, boundary)) {
		*parse_error = "Invalid boundary in multipart: None";
		return CF_E_BAD_REQUEST;
	}
	struct multipart_handler h = {on_part, on_data, on_part_end, &s};
	struct multipart_parser p;
	multipart_init(&p, boundary, &h);
	static char chunk[65536];
	cf_status st = CF_OK;
	int n;
	while (st == CF_OK && (n = request_body_read(req, chunk, (int)sizeof chunk)) > 0)
		st = multipart_feed(&p, chunk, (size_t)n);
	if (st == CF_OK)
		st = multipart_finish(&p);
	if (st == CF_E_BAD_REQUEST)
		*parse_error = p.error ? p.error : "malformed body";
	else if (st == CF_E_TOO_LARGE)
		*error = "Too many files or fields";
	if (st == CF_E_TOO_LARGE)
		st = CF_E_BAD_REQUEST;
	if (st == CF_OK && (*error = check_files(&s, errbuf, errlen)) != NULL)
		st = CF_E_BAD_REQUEST;
	if (st == CF_OK && (st = check_quota(cfg, &usage, (long long)s.nfiles, s.total, errbuf, errlen)) != CF_OK)
		*error = errbuf;   /* s.over_quota implies this */
	if (st == CF_OK)
		st = record_files(db, &s, t, files);
	if (st != CF_OK)
		remove_blobs(&s);
	multipart_free(&p);
	buf_free(&s.remote_id);
	buf_free(&s.participant_name);
	cf_status result = s.io_failed ? CF_E_STORAGE : st;   /* the partial files are gone (remove_blobs) */
	if (result == CF_OK)
		metrics_upload_bytes((unsigned long long)s.total);
	else if (*error != NULL || result == CF_E_STORAGE)
		metrics_count(METRIC_UPLOAD_REFUSED);
	return result;
}

/* What purge_file needs (borrowed). */
struct purge {
	struct db *db;
	const struct config *cfg;
};

/* Removes one expired file: its blob, then its row. */
static cf_status purge_file(void *ctx, const struct file_row *f)
{
	const struct purge *p = ctx;
	char path[1024];
	blob_path(p->cfg, f->storage_path, path, sizeof path);
	if (unlink(path) != 0 && errno != ENOENT)
		log_warn("purge: cannot remove %s: %s", path, strerror(errno));
	return store_file_delete(p->db, f->id);
}

cf_status uploads_purge_expired(struct db *db, const struct config *cfg, int limit, unsigned long long *removed)
{
	if (removed != NULL)
		*removed = 0;
	struct purge p = {db, cfg};
	size_t count = 0;
	cf_status st = store_files_expired(db, limit, purge_file, &p, &count);
	if (st == CF_OK && removed != NULL)
		*removed = count;
	return st;
}
