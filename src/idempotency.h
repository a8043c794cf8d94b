/* idempotency.h - Idempotency-Key on the routes whose record says
 * .idempotent (routes.c: the calls that run the bot or create something):
 * the first response to a key is stored for 24 h and replayed to a retry of
 * the same request by the same caller, without running it again. Anonymous
 * and embed-key chat start do not honour it. */
#ifndef CONFAB_IDEMPOTENCY_H
#define CONFAB_IDEMPOTENCY_H

#include <stdbool.h>

#include "app.h"

#define IDEMPOTENCY_KEY_MAX 255

struct idem {
	bool active;        /* a key was reserved: call idem_end after the handler */
	char scope[80];
	char key[IDEMPOTENCY_KEY_MAX + 1];
};

/* Before the handler (all borrowed). Returns true when resp is answered
 * already: a bad key (400), the key in use by a running request (409), used
 * for a different request (422), or the stored response replayed. */
bool idem_begin(struct app *app, const struct request *req, const struct route_match *m,
                const struct principal *who, struct idem *out, struct response *resp);
/* After the handler: stores the response, or releases the key after a 5xx
 * or a streamed response (those are not replayed: a retry runs again). */
void idem_end(struct app *app, struct idem *idem, const struct response *resp);

#endif
