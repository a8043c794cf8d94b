/* webhooks_sign.h - the signature of a webhook delivery: HMAC-SHA256 over
 * "<t>.<body>" with the endpoint's secret, sent as
 * "Confab-Signature: t=<t>,v1=<hex>" (the receiver recomputes it and
 * compares in constant time; README "Webhooks"). */
#ifndef CONFAB_WEBHOOKS_SIGN_H
#define CONFAB_WEBHOOKS_SIGN_H

/* Lower-case hex HMAC-SHA256(secret, "<t>.<body>") into out (64 digits and
 * a NUL). secret and body are borrowed. */
void webhooks_sign(const char *secret, long long t, const char *body, char out[65]);

#endif
