/* net.c: sockets.  One listener for both families, connects that give up in
 * time, and the options a long-lived data connection needs. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "sp.h"

/* Sets or clears O_NONBLOCK; returns fcntl's result.  (The raw syscall:
 * musl's fcntl wrapper is larger than this file's other functions.) */
int set_nonblock(int fd, int on)
{
	long fl = syscall(SYS_fcntl, fd, F_GETFL);
	return syscall(SYS_fcntl, fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/* Returns the value of hex digit c, or 16 and more for anything else. */
static unsigned hexval(int c)
{
	if ((unsigned)(c - '0') < 10) return c - '0';
	c |= 32;
	return (unsigned)(c - 'a') < 6 ? (unsigned)(c - 'a' + 10) : 99;
}

/* Parses IPv4 as inet_aton does (a.b.c.d, a.b.d, a.d, a; decimal, 0x hex,
 * 0 octal parts); returns 0 with *out in network order, or -1. */
static int parse_v4(const char *s, unsigned char *out)
{
	unsigned long v[4], x;
	unsigned base, d, n = 0, i;

	for (;;) {
		if (n == 4 || !*s) return -1;
		base = 10;
		if (*s == '0') {
			base = 8, s++;
			if ((*s | 32) == 'x') base = 16, s++;
			else s--;
		}
		for (x = 0, i = 0; *s && *s != '.'; s++, i++) {
			d = hexval(*s);
			if (d >= base || x > (0xffffffffUL - d) / base) return -1;
			x = x * base + d;
		}
		if (!i && base != 16) return -1;
		v[n++] = x;
		if (!*s) break;
		s++;
	}
	for (i = 0; i < n - 1; i++) if (v[i] > 255) return -1;
	if (n > 1 && v[n - 1] >> (8 * (5 - n))) return -1;
	x = v[n - 1];
	for (i = 0; i < n - 1; i++) x |= v[i] << (8 * (3 - i));
	for (i = 0; i < 4; i++) out[i] = x >> (8 * (3 - i));
	return 0;
}

/* Parses IPv6 text (:: anywhere once, a dotted IPv4 tail) into out;
 * returns 0, or -1. */
static int parse_v6(const char *s, unsigned char *out)
{
	unsigned w[8], d, x, n = 0, gap = 8, i, k;

	if (*s == ':' && *++s != ':') return -1;
	while (*s && n < 8) {
		if (*s == ':') {
			if (gap < 8) return -1;
			gap = n, s++;
			continue;
		}
		for (x = 0, k = 0; k < 5; k++, s++) {
			if ((d = hexval(*s)) > 15) break;
			x = x << 4 | d;
		}
		if (*s == '.' && n <= 6) {
			unsigned char b[4];
			while (k--) s--;
			if (parse_v4(s, b)) return -1;
			w[n++] = b[0] << 8 | b[1], w[n++] = b[2] << 8 | b[3];
			s += strlen(s);
			break;
		}
		if (!k || k > 4 || (*s && *s != ':') || (*s == ':' && !*++s)) return -1;
		w[n++] = x;
	}
	if (*s || (gap == 8 && n != 8) || (gap < 8 && n == 8)) return -1;
	for (i = 0, k = 0; i < 8; i++)
		x = gap < 8 && i >= gap && i < gap + 8 - n ? 0 : w[k++],
		out[2 * i] = x >> 8, out[2 * i + 1] = x;
	return 0;
}

/* Returns the size of a's address structure. */
socklen_t sa_len(const union sa *a)
{
	return a->sa.sa_family == AF_INET6 ? sizeof a->in6 : sizeof a->in;
}

/* Listens on every address, IPv6 and IPv4 on one dual-stack socket where the
 * kernel has IPv6, on a port the kernel picks; returns the non-blocking
 * socket with *port set, or -1. */
int listen_any(unsigned *port)
{
	union sa a;
	socklen_t n;
	int fd, off = 0, fam;

	for (fam = 0; fam < 2; fam++) {
		memset(&a, 0, sizeof a);
		a.sa.sa_family = fam ? AF_INET : AF_INET6;
		fd = socket(a.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0) continue;
		if (!fam) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
		n = sizeof a;
		if (!bind(fd, &a.sa, sa_len(&a)) && !listen(fd, 512) &&
		    !getsockname(fd, &a.sa, &n)) {
			*port = ntohs(a.in.sin_port);
			return fd;
		}
		close(fd);
	}
	return -1;
}

/* Parses a numeric address (IPv4 in any inet_aton form, IPv6 with an
 * optional %scope) into a with the given port; returns 0, or -1. */
int addr_parse(const char *s, unsigned port, union sa *a)
{
	char buf[64];
	const char *pct = strchr(s, '%');
	size_t n = pct ? (size_t)(pct - s) : strlen(s);

	memset(a, 0, sizeof *a);
	if (n >= sizeof buf) return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	if (!pct && !parse_v4(buf, (unsigned char *)&a->in.sin_addr)) {
		a->in.sin_family = AF_INET;
		a->in.sin_port = htons(port);
		return 0;
	}
	if (parse_v6(buf, a->in6.sin6_addr.s6_addr)) return -1;
	a->in6.sin6_family = AF_INET6;
	a->in6.sin6_port = htons(port);
	if (pct) {	/* an interface number; names would cost if_nametoindex */
		unsigned long v;
		if (parse_num(pct + 1, 1, 0xffffffffUL, &v)) return -1;
		a->in6.sin6_scope_id = v;
	}
	return 0;
}

/* Connects to a, giving up after ms; returns the connected socket (still
 * non-blocking), or -1 with errno set (ETIMEDOUT when time ran out). */
int connect_bounded(const union sa *a, int ms)
{
	struct pollfd p;
	socklen_t n = sizeof p.revents;
	int fd, e = 0;

	fd = socket(a->sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) return -1;
	if (connect(fd, &a->sa, sa_len(a)) && errno != EINPROGRESS) goto fail;
	p.fd = fd, p.events = POLLOUT;
	if (poll(&p, 1, ms) != 1) {
		errno = ETIMEDOUT;
		goto fail;
	}
	n = sizeof e;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &n) || e) {
		if (e) errno = e;
		goto fail;
	}
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* Makes fd fit to be handed to a command: blocking, and ending within about
 * timeout seconds when the peer vanishes (keepalive while idle, a user
 * timeout while data is unacknowledged), so no end waits forever. */
void tune_data_socket(int fd, unsigned long timeout)
{
	int on = 1, idle = timeout / 3 ? timeout / 3 : 1;
	int intvl = timeout / 6 ? timeout / 6 : 1, cnt = 3;
	unsigned ut = timeout * 1000;

	set_nonblock(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ut, sizeof ut);
}

/* Appends one address to the comma-separated list out of length *n. */
static void add_addr(char *out, size_t cap, size_t *n, const unsigned char *b, int v6)
{
	char tmp[48], num[8], *e = num + sizeof num, *s;
	size_t k = 0, i;

	for (i = 0; i < (v6 ? 16u : 4u); i += v6 ? 2 : 1) {
		if (i) tmp[k++] = v6 ? ':' : '.';
		if (v6) {
			unsigned w = b[i] << 8 | b[i + 1], sh;
			for (sh = 12; sh && !(w >> sh); sh -= 4) ;
			for (;; sh -= 4) {
				tmp[k++] = "0123456789abcdef"[w >> sh & 15];
				if (!sh) break;
			}
		} else {
			for (s = utoa(e, b[i]); s < e; ) tmp[k++] = *s++;
		}
	}
	if (*n + k + 2 > cap) return;
	if (*n) out[(*n)++] = ',';
	memcpy(out + *n, tmp, k);
	*n += k;
	out[*n] = 0;
}

/* Lists this machine's addresses for a far side that cannot learn ours from
 * SSH_CONNECTION (rsh, a wrapper that clears the environment): IPv4 then
 * global IPv6, loopback last since it only helps when both ends are one
 * machine; returns the length of the comma-separated list in out. */
size_t local_addrs(char *out, size_t cap)
{
	struct ifreq r[16];
	struct ifconf c = { .ifc_len = sizeof r, .ifc_req = r };
	char line[128];
	unsigned char a[16];
	size_t n = 0, i, k;
	int fd, pass;
	ssize_t got;

	*out = 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || ioctl(fd, SIOCGIFCONF, &c)) c.ifc_len = 0;
	if (fd >= 0) close(fd);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c.ifc_len / sizeof *r; i++) {
			struct sockaddr_in *s = (void *)&r[i].ifr_addr;
			memcpy(a, &s->sin_addr, 4);
			if ((a[0] == 127) == pass) add_addr(out, cap, &n, a, 0);
		}
		/* /proc/net/if_inet6: 32 hex digits, index, prefix, scope, ... */
		fd = open("/proc/net/if_inet6", O_RDONLY | O_CLOEXEC);
		if (fd < 0) continue;
		k = 0;
		while ((got = read(fd, line + k, 1)) == 1) {
			if (line[k] != '\n' && ++k < sizeof line) continue;
			if (k >= 32) {
				unsigned scope = 0, f = 0;
				for (i = 0; i < 32; i++) {
					unsigned char d = line[i];
					d = d <= '9' ? d - '0' : (d | 32) - 'a' + 10;
					if (i & 1) a[i / 2] |= d; else a[i / 2] = d << 4;
				}
				/* the fourth field is the scope: 00 global, 10 host */
				for (; i < k && f < 4; i++) {
					if (line[i] == ' ') {
						if (line[i - 1] != ' ') f++;
					} else if (f == 3) {
						scope = scope << 4 | (line[i] & 15);
					}
				}
				if (f >= 3 && scope == (pass ? 0x10u : 0u))
					add_addr(out, cap, &n, a, 1);
			}
			k = 0;
		}
		close(fd);
	}
	return n;
}
