/* log.h - leveled logging to stderr (systemd's journal takes it).
 * One line per message, prefixed with level and pid (and the request id
 * while a worker serves a request). */
#ifndef CONFAB_LOG_H
#define CONFAB_LOG_H

enum log_level { LOG_LEVEL_ERROR = 0, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

void log_set_level(enum log_level level);
/* Parses "error", "warn", "info", "debug"; returns -1 when unknown. */
int log_level_parse(const char *s);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The request being served: while set, every line carries "rid=<id> " after
 * the level, so error lines can be joined with the access line. id is
 * copied (truncated to 63 bytes); NULL clears it. */
void log_set_request_id(const char *id);

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
