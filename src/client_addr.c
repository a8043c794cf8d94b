/* client_addr.c - the client address behind trusted proxies (see
 * client_addr.h). */
#include "client_addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"

/* A parsed address: family AF_INET or AF_INET6, bytes in network order. */
struct ip {
	int family;
	unsigned char b[16];
};

static bool ip_parse(const char *s, size_t n, struct ip *out)
{
	char tmp[CF_CLIENT_ADDR_MAX];
	if (n == 0 || n >= sizeof tmp)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, tmp, out->b) == 1) {
		out->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, tmp, out->b) == 1) {
		out->family = AF_INET6;
		/* an IPv4-mapped address compares as its IPv4 address */
		static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (memcmp(out->b, mapped, sizeof mapped) == 0) {
			memmove(out->b, out->b + 12, 4);
			memset(out->b + 4, 0, 12);
			out->family = AF_INET;
		}
		return true;
	}
	return false;
}

/* One entry "addr" or "addr/bits" (n bytes of s). */
static bool cidr_parse(const char *s, size_t n, struct ip *net, int *bits)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	if (!ip_parse(s, alen, net))
		return false;
	int max = net->family == AF_INET ? 32 : 128;
	*bits = max;
	if (slash == NULL)
		return true;
	size_t blen = n - alen - 1;
	if (blen == 0 || blen > 3)
		return false;
	int v = 0;
	for (size_t i = 0; i < blen; i++) {
		char c = slash[1 + i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	if (v > max)
		return false;
	*bits = v;
	return true;
}

static bool in_net(const struct ip *a, const struct ip *net, int bits)
{
	if (a->family != net->family)
		return false;
	int full = bits / 8, rest = bits % 8;
	if (memcmp(a->b, net->b, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a->b[full] & mask) == (net->b[full] & mask);
}

static bool is_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t';
}

/* Walks list's entries: true at the first one that contains a (a may be
 * NULL: then every entry is only parsed). *valid is false when an entry is
 * malformed or there are more than CF_TRUSTED_PROXIES_MAX. */
static bool walk(const char *list, const struct ip *a, bool *valid)
{
	*valid = true;
	if (list == NULL)
		return false;
	int count = 0;
	const char *p = list;
	while (*p) {
		while (is_sep(*p))
			p++;
		if (*p == '\0')
			break;
		size_t n = 0;
		while (p[n] && !is_sep(p[n]))
			n++;
		struct ip net;
		int bits;
		if (!cidr_parse(p, n, &net, &bits) || ++count > CF_TRUSTED_PROXIES_MAX) {
			*valid = false;
			return false;
		}
		if (a != NULL && in_net(a, &net, bits))
			return true;
		p += n;
	}
	return false;
}

bool client_addr_proxies_valid(const char *list)
{
	bool valid;
	(void)walk(list, NULL, &valid);
	return valid;
}

static bool trusted_ip(const char *list, const char *s, size_t n)
{
	struct ip a;
	bool valid;
	return ip_parse(s, n, &a) && walk(list, &a, &valid);
}

bool client_addr_trusted(const char *list, const char *addr)
{
	return addr != NULL && trusted_ip(list, addr, strlen(addr));
}

static void copy_out(char *out, size_t outlen, const char *s, size_t n)
{
	if (outlen == 0)
		return;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

void client_address(const struct request *req, const struct config *cfg, char *out, size_t outlen)
{
	const char *remote = req->remote_addr != NULL && req->remote_addr[0] ? req->remote_addr : "unknown";
	copy_out(out, outlen, remote, strlen(remote));
	const char *list = cfg->trusted_proxies;
	if (list == NULL || *list == '\0' || !client_addr_trusted(list, remote))
		return;
	const char *xff = request_header(req, "x-forwarded-for");
	if (xff == NULL)
		return;
	/* From the right: each hop was appended by the proxy to its right. */
	const char *end = xff + strlen(xff);
	for (int hops = 0; end > xff && hops < CF_FORWARDED_HOPS_MAX; hops++) {
		const char *start = end;
		while (start > xff && start[-1] != ',')
			start--;
		const char *s = start, *e = end;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		struct ip a;
		if (!ip_parse(s, (size_t)(e - s), &a))
			return;   /* malformed: keep the last trusted hop */
		copy_out(out, outlen, s, (size_t)(e - s));
		bool valid;
		if (!walk(list, &a, &valid))
			return;   /* the first untrusted hop: the client */
		end = start > xff ? start - 1 : xff;
	}
}
