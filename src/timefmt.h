/* timefmt.h - timestamps as the API shows them (ISO-8601 UTC with Z,
 * microseconds only when non-zero) and as MariaDB stores them. */
#ifndef CONFAB_TIMEFMT_H
#define CONFAB_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>

#define ISO_TIME_MAX 40

/* Converts a DATETIME(6) string "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC) to
 * "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" (fraction dropped when zero) into out.
 * Returns false on a malformed input. */
bool db_time_to_iso(const char *db, char out[ISO_TIME_MAX]);

/* Parses an ISO-8601 date-time as Python's datetime.fromisoformat does for
 * the API's purposes ("YYYY-MM-DD", then optionally "T" or " " and
 * "HH:MM[:SS[.f{1,6}]]", then optionally "Z" or "+HH:MM"/"-HH:MM"; no
 * offset = UTC) and writes it as a UTC DATETIME(6) text
 * "YYYY-MM-DD HH:MM:SS.ffffff". Returns false when malformed. */
bool iso_to_db_time(const char *iso, char out[ISO_TIME_MAX]);

#endif
