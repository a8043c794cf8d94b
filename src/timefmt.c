/* timefmt.c - timestamp formatting. */
#include "timefmt.h"

#include <ctype.h>
#include <string.h>

bool db_time_to_iso(const char *db, char out[ISO_TIME_MAX])
{
	size_t len = strlen(db);
	if (len < 19 || len > 26 || db[10] != ' ')
		return false;
	for (size_t i = 0; i < 19; i++) {
		if (i == 4 || i == 7) {
			if (db[i] != '-')
				return false;
		} else if (i == 13 || i == 16) {
			if (db[i] != ':')
				return false;
		} else if (i != 10 && !isdigit((unsigned char)db[i])) {
			return false;
		}
	}
	memcpy(out, db, 19);
	out[10] = 'T';
	size_t n = 19;
	if (len > 19) {
		if (db[19] != '.')
			return false;
		bool nonzero = false;
		for (size_t i = 20; i < len; i++) {
			if (!isdigit((unsigned char)db[i]))
				return false;
			if (db[i] != '0')
				nonzero = true;
		}
		if (nonzero) {
			/* Always six digits, as Python's isoformat prints them. */
			out[n++] = '.';
			for (size_t i = 20; i < 26; i++)
				out[n++] = i < len ? db[i] : '0';
		}
	}
	out[n++] = 'Z';
	out[n] = '\0';
	return true;
}
