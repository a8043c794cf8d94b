/* status.h - the one error convention of Confab.
 *
 * Every fallible function returns a cf_status. CF_OK is zero so that
 * "if (st != CF_OK)" reads naturally. status.c maps each value to an HTTP
 * status, the reference API's default error text, OpenAI's error type and
 * code, and whether a retry may help (table in one place). */
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

/* The body family of a route's errors (docs/API.md §1.2), declared per
 * route (struct route, .errors). */
enum cf_error_style {
	CF_ERRORS_OCS = 0,   /* the reference's families: detail, field errors, error */
	CF_ERRORS_OPENAI,    /* the same keys, and OpenAI's "error" object beside them */
};

/* Whether repeating the same request may succeed: what the x-should-retry
 * header says on the OpenAI routes (docs/API.md §1.2.1). */
enum cf_retry {
	CF_RETRY_UNSAID = 0,   /* no hint: the client's own rule applies */
	CF_RETRY_NO,           /* the same request fails the same way */
	CF_RETRY_YES,          /* a later try may succeed (Retry-After says when) */
};

/* HTTP status code for st (500 for values that never reach HTTP). */
int cf_status_http(cf_status st);
/* The reference API's default "detail" text for st; never NULL. */
const char *cf_status_detail(cf_status st);
/* Short stable name for logs, e.g. "not_found"; never NULL. */
const char *cf_status_name(cf_status st);
/* The error status an HTTP status code comes from (the first of the table
 * with that code; CF_E_INTERNAL for codes none has), for a reply known by
 * its code only (an idempotent replay). */
cf_status cf_status_for_http(int http_status);
/* OpenAI's error "type" for st, e.g. "invalid_request_error"; never NULL. */
const char *cf_status_openai_type(cf_status st);
/* OpenAI's error "code" for st, e.g. "invalid_api_key"; NULL for none. */
const char *cf_status_openai_code(cf_status st);
/* Whether a retry of a request that failed with st may help. */
enum cf_retry cf_status_retry(cf_status st);
/* Reason phrase for an HTTP status code, e.g. "Not Found". */
const char *cf_http_reason(int http_status);

#endif
