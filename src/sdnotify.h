/* sdnotify.h - systemd's readiness protocol without libsystemd: one
 * datagram to the unix socket named by $NOTIFY_SOCKET (an abstract socket
 * when it starts with '@'). A no-op when the variable is unset. */
#ifndef CONFAB_SDNOTIFY_H
#define CONFAB_SDNOTIFY_H

/* Sends state, e.g. "READY=1", "RELOADING=1", "STOPPING=1",
 * "STATUS=...". Failures are ignored (the service still runs). */
void sd_notify_state(const char *state);

#endif
