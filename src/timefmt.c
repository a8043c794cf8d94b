/* timefmt.c - timestamp formatting. */
#include "timefmt.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

/* Reads exactly n digits at *p into *v, advancing *p. */
static bool digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return true;
}

bool iso_to_db_time(const char *iso, char out[ISO_TIME_MAX])
{
	const char *p = iso;
	int year, mon, day, hour = 0, min = 0, sec = 0, usec = 0, off = 0;
	if (!digits(&p, 4, &year) || *p++ != '-' || !digits(&p, 2, &mon) || *p++ != '-' || !digits(&p, 2, &day))
		return false;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &hour) || *p++ != ':' || !digits(&p, 2, &min))
			return false;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &sec))
				return false;
			if (*p == '.') {
				p++;
				int n = 0;
				while (p[n] >= '0' && p[n] <= '9')
					n++;
				if (n == 0 || n > 6 || !digits(&p, n, &usec))
					return false;
				for (int i = n; i < 6; i++)
					usec *= 10;
			}
		}
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om;
			if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om) || oh > 23 || om > 59)
				return false;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	if (*p != '\0' || mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59)
		return false;
	struct tm tm = {0};
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	time_t t = timegm(&tm);
	struct tm check;
	if (gmtime_r(&t, &check) == NULL || check.tm_mday != day || check.tm_mon != mon - 1)
		return false;   /* e.g. 31 February */
	t -= off;
	if (gmtime_r(&t, &tm) == NULL)
		return false;
	if (tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
		return false;
	snprintf(out, ISO_TIME_MAX, "%04d-%02d-%02d %02d:%02d:%02d.%06d", (tm.tm_year + 1900) % 10000,
	         (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100,
	         usec % 1000000);
	return true;
}
