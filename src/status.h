/* status.h - the one error convention of Confab.
 *
 * Every fallible function returns a cf_status. CF_OK is zero so that
 * "if (st != CF_OK)" reads naturally. status.c maps each value to an HTTP
 * status and the reference API's default error text (table in one place). */
#ifndef CONFAB_STATUS_H
#define CONFAB_STATUS_H

#define CF_MUST_CHECK __attribute__((warn_unused_result))

typedef enum cf_status {
	CF_OK = 0,
	CF_E_INTERNAL,        /* 500 a bug or an unexpected library failure */
	CF_E_DB,              /* 500 a database statement failed */
	CF_E_DB_UNAVAILABLE,  /* 503 the database cannot be reached */
	CF_E_BAD_REQUEST,     /* 400 malformed or invalid input */
	CF_E_NO_CREDENTIALS,  /* 401 no credentials were presented */
	CF_E_BAD_CREDENTIALS, /* 401 credentials presented but not valid */
	CF_E_FORBIDDEN,       /* 403 authenticated but not allowed */
	CF_E_NOT_FOUND,       /* 404 no such route or object */
	CF_E_METHOD,          /* 405 route exists, method does not */
	CF_E_CONFLICT,        /* 409 would violate a uniqueness rule */
	CF_E_TOO_LARGE,       /* 413 body over the configured limit */
	CF_E_MEDIA_TYPE,      /* 415 body of an unsupported content type */
	CF_E_UNPROCESSABLE,   /* 422 well-formed but refused */
	CF_E_RATE_LIMITED,    /* 429 */
	CF_E_UPSTREAM,        /* 502 a provider or channel failed */
	CF_E_TIMEOUT,         /* 504 a provider did not answer in time */
	CF_E_IO,              /* 500 local file or socket I/O failed */
	CF_E_CONFIG,          /*  -  configuration is invalid (start-up only) */
	CF_E_STORAGE,         /* 507 an upload could not be stored (disk full, read-only) */
	CF_E_REQUEST_TIMEOUT, /* 408 the client did not send its request in time */
	CF_STATUS_COUNT
} cf_status;

/* HTTP status code for st (500 for values that never reach HTTP). */
int cf_status_http(cf_status st);
/* The reference API's default "detail" text for st; never NULL. */
const char *cf_status_detail(cf_status st);
/* Short stable name for logs, e.g. "not_found"; never NULL. */
const char *cf_status_name(cf_status st);
/* Reason phrase for an HTTP status code, e.g. "Not Found". */
const char *cf_http_reason(int http_status);

#endif
