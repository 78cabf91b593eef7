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
#include <sys/utsname.h>
#include <unistd.h>
#include "sp.h"

/* Sets or clears O_NONBLOCK; returns fcntl's result.  (The raw syscall:
 * musl's fcntl wrapper is larger than this file's other functions.) */
int set_nonblock(int fd, int on)
{
	long fl = sysc(SYS_fcntl, fd, F_GETFL);
	return sysc(SYS_fcntl, fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/* Returns the value of hex digit c, or 16 and more for anything else. */
unsigned hexval(int c)
{
	if ((unsigned)(c - '0') < 10) return c - '0';
	c |= 32;
	return (unsigned)(c - 'a') < 6 ? (unsigned)(c - 'a' + 10) : 99;
}

/* Returns 1 at the end of an address's text: its end, or a "%scope". */
static int at_end(const char *s)
{
	return !*s || *s == '%';
}

/* Parses IPv4 as inet_pton does: a dotted quad, four decimal parts 0-255
 * without leading zeros; returns 0 with out in network order, or -1. */
static int parse_v4(const char *s, unsigned char *out)
{
	unsigned v, i;
	int n;		/* signed: s[-n] looks back */

	for (i = 0; i < 4; i++, s++) {
		for (v = n = 0; *s >= '0' && *s <= '9' && n < 4; s++, n++) v = v * 10 + *s - '0';
		if (!n || v > 255 || (n > 1 && s[-n] == '0') || (i < 3 ? *s != '.' : !at_end(s))) return -1;
		out[i] = v;
	}
	return 0;
}

/* Parses IPv6 text (:: anywhere once, a dotted IPv4 tail) into out;
 * returns 0, or -1. */
static int parse_v6(const char *s, unsigned char *out)
{
	unsigned x, d, k, n = 0, gap = 99;	/* bytes so far; where "::" was (99: none) */

	if (*s == ':' && *++s != ':') return -1;
	while (!at_end(s)) {
		if (*s == ':') {	/* the second colon of a "::" */
			if (gap < 99) return -1;
			gap = n, s++;
			continue;
		}
		for (x = k = 0; k < 5 && (d = hexval(s[k])) < 16; k++) x = x << 4 | d;
		if (s[k] == '.') {
			if (n > 12 || parse_v4(s, out + n)) return -1;
			n += 4;
			break;
		}
		s += k;
		/* one to four digits, then the end or a colon not last */
		if (!k || k > 4 || n == 16 || !(at_end(s) || (*s == ':' && !at_end(++s)))) return -1;
		out[n++] = x >> 8, out[n++] = x;
	}
	/* all 16 bytes, or fewer and a "::" that stands for the rest */
	if ((gap < 99) == (n == 16)) return -1;
	/* what came after the "::" moves to the end, zeros in its place */
	for (k = 16; k > gap; ) out[--k] = n > gap ? out[--n] : 0;
	return 0;
}

/* Swaps a port to or from network order (the same place in both
 * families): a builtin, as htons is a call into the C library. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NET16(p) __builtin_bswap16(p)
#else
#define NET16(p) ((uint16_t)(p))
#endif

/* Returns the size of a's address structure. */
socklen_t sa_len(const union sa *a)
{
	return a->sa.sa_family == AF_INET6 ? sizeof a->in6 : sizeof a->in;
}

/* Listens on every address, IPv6 and IPv4 on one dual-stack socket where the
 * kernel has IPv6, on the first free port from lo to hi (0 to 0: one the
 * kernel picks); returns the non-blocking socket with *port set, or -1. */
int listen_range(unsigned lo, unsigned hi, unsigned *port)
{
	union sa a;
	socklen_t n;
	int fd, off = 0, on = 1, fam;
	unsigned p;

	for (fam = 0; fam < 2; fam++) {
		for (p = lo; p <= hi; p++) {
			memset(&a, 0, sizeof a);
			a.sa.sa_family = fam ? AF_INET : AF_INET6;
			a.in.sin_port = NET16(p);
			fd = socket(a.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
			if (fd < 0) break;
			if (!fam) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
			/* a port of -p that the last run's connection holds in
			 * TIME_WAIT is free to listen on */
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
			n = sizeof a;
			if (!bind(fd, &a.sa, sa_len(&a)) && !listen(fd, 512) &&
			    !getsockname(fd, &a.sa, &n)) {
				*port = NET16(a.in.sin_port);
				return fd;
			}
			close(fd);
		}
	}
	return -1;
}

/* Fills a with the 4 or 16 address bytes at addr (IPv6 when v6) and port. */
void sa_set(union sa *a, int v6, const void *addr, unsigned port)
{
	memset(a, 0, sizeof *a);
	a->sa.sa_family = v6 ? AF_INET6 : AF_INET;
	a->in.sin_port = NET16(port);
	memcpy(v6 ? (void *)&a->in6.sin6_addr : (void *)&a->in.sin_addr, addr, v6 ? 16 : 4);
}

/* Parses a numeric address (IPv4 as a dotted quad, IPv6 with an optional
 * %scope, or our candidate form: "x" and 8 or 32 hex digits) into a with
 * the given port; returns 0, or -1. */
int addr_parse(const char *s, unsigned port, union sa *a)
{
	unsigned char b[16];
	size_t n = seglen(s, "%");
	const char *pct = s[n] ? s + n : 0;
	unsigned long v;
	int v6;

	if (*s == 'x' && !pct && (n == 9 || n == 33)) {
		if (unhex(b, s + 1, n / 2)) return -1;
		v6 = n == 33;
	} else {
		v6 = pct || parse_v4(s, b);
		if (v6 && parse_v6(s, b)) return -1;
		/* an interface number; names would cost if_nametoindex */
		if (pct && parse_num(pct + 1, 1, 0xffffffffUL, &v)) return -1;
	}
	sa_set(a, v6, b, port);
	if (pct) a->in6.sin6_scope_id = v;
	return 0;
}

/* Starts connecting to a; returns the non-blocking socket (poll it for
 * POLLOUT, then read SO_ERROR), or -1 with errno set. */
int connect_start(const union sa *a)
{
	int fd = socket(a->sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), e;

	if (fd < 0 || !connect(fd, &a->sa, sa_len(a)) || errno == EINPROGRESS) return fd;
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* Writes "ADDR port N" for a to out (at most 56 bytes, no terminator);
 * returns its length.  IPv6 comes in eight groups, without "::". */
size_t addr_text(char *out, const union sa *a)
{
	int v6 = a->sa.sa_family == AF_INET6, i;
	const unsigned char *b = v6 ? a->in6.sin6_addr.s6_addr : (const unsigned char *)&a->in.sin_addr;
	char *p = out;

	for (i = 0; i < (v6 ? 8 : 4); i++) {
		if (i) *p++ = v6 ? ':' : '.';
		p = v6 ? num_out(p, b[2 * i] << 8 | b[2 * i + 1], 16) : num_out(p, b[i], 10);
	}
	p = num_out(put(p, " port "), NET16(a->in.sin_port), 10);
	return p - out;
}

/* Makes fd fit to be handed to a command: blocking, and ending within about
 * timeout seconds when the peer vanishes (keepalive while idle, a user
 * timeout while data is unacknowledged; link_lost() keeps the second from
 * taking a peer that only reads slowly for a dead one), so no end waits
 * forever. */
void tune_data_socket(int fd, unsigned long timeout)
{
	static const int opt[] = { TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_USER_TIMEOUT };
	int v[4] = { timeout / 3 + 1, timeout / 6 + 1, 3, timeout * 1000 }, i;

	set_nonblock(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, v + 2, sizeof *v);
	for (i = 0; i < 4; i++) setsockopt(fd, IPPROTO_TCP, opt[i], v + i, sizeof *v);
}

union tcpinfo ti;

/* Reads the socket's TCP_INFO into ti; returns how many bytes the kernel
 * filled in (0 on failure; 4 under qemu-user, which passes only an int). */
socklen_t tcp_info(int fd)
{
#ifndef SP_NO_TCPINFO
	socklen_t n = sizeof ti;
	if (!getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &n)) return n;
#else
	(void)fd;
#endif
	return 0;
}

/* Looks at the data socket fd, which the caller must do at least every
 * timeout/4: returns 1 when the peer is dead, 0 when it is not (ti then
 * holds the socket's TCP_INFO), -1 when TCP_INFO does not tell.
 *
 * Linux's TCP_USER_TIMEOUT also ends a connection whose peer is alive but
 * has a zero window for that long: a tape that rewinds, a consumer asleep.
 * While all we sent is acknowledged and more waits for window (zero-window
 * probing), the user timeout is therefore kept 2 x timeout ahead of the
 * time probing began, and the peer counts as dead only when it has
 * answered none of two probes in a row for timeout.  Kept ahead, it also
 * keeps the kernel's probes at most 2 x timeout apart (they back off to 2
 * minutes otherwise), so a peer that dies in a long pause is found within
 * about 4 x timeout.  The rest of the time the user timeout is timeout:
 * data unacknowledged that long ends the connection in the kernel. */
int link_lost(int fd, unsigned long timeout)
{
	static long long since;	/* when probing began; 0: not probing */
	unsigned t = timeout * 1000;
	int q = 0, v;

	if (tcp_info(fd) < TI_FILLED) return -1;
	if (TI_UNACKED(&ti) || sysc(SYS_ioctl, fd, TIOCOUTQ, &q) || q <= 0) {
		since = 0;
		v = t;
	} else {
		if (TI_PROBES(&ti) >= 2 && TI_LAST_ACK_RECV(&ti) >= t) return 1;
		if (!since) since = now_ms();
		v = now_ms() - since + 2 * t;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &v, sizeof v);
	return 0;
}

/* Returns 1 when a is a loopback address (127/8, ::1, ::ffff:127/104). */
int is_loopback(const union sa *a)
{
	static const unsigned char v6[16] = { [15] = 1 }, mapped[13] = { [10] = 255, 255, 127 };
	const unsigned char *b = a->in6.sin6_addr.s6_addr;

	if (a->sa.sa_family == AF_INET) return *(unsigned char *)&a->in.sin_addr == 127;
	return !memcmp(b, v6, 16) || !memcmp(b, mapped, 13);
}

/* Writes what names this machine's network stack to out (cap bytes, at
 * least 80): the kernel's boot id and the network namespace, so that two
 * ends with the same id reach each other on loopback, and ends on two
 * machines (or in two namespaces) never take each other's loopback for
 * their own.  Writes "-" when /proc does not tell. */
void machine_id(char *out, size_t cap)
{
	int fd = sys_open("/proc/sys/kernel/random/boot_id", O_RDONLY);
	ssize_t k = fd < 0 ? -1 : read(fd, out, 36);
	ssize_t m;

	if (fd >= 0) close(fd);
	m = k == 36 ? sysc(SYS_readlinkat, AT_FDCWD, "/proc/self/ns/net", out + 37, cap - 38) : -1;
	if (m <= 0 || m >= (ssize_t)cap - 38) {
		memcpy(out, "-", 2);
		return;
	}
	out[36] = '/';
	out[37 + m] = 0;
}

/* Appends "x" and 2n hex digits (4 or 16 address bytes, as the far end's
 * addr_parse() reads them) to the comma-separated list in out. */
static void add_hex(char *out, size_t cap, size_t *n, const char *digits, size_t k)
{
	if (*n + k + 3 > cap) return;
	if (*n) out[(*n)++] = ',';
	out[(*n)++] = 'x';
	memcpy(out + *n, digits, k);
	*n += k;
	out[*n] = 0;
}

/* Lists this machine's addresses for the other end, which may not learn them
 * from SSH_CONNECTION (rsh, a wrapper that clears the environment): IPv4
 * then global IPv6, and with loop set, loopback last (it only helps when
 * both ends are one machine); returns the length of the comma-separated
 * list in out. */
size_t local_addrs(char *out, size_t cap, int loop)
{
	struct ifreq r[16] = { 0 };	/* analyzers do not model SIOCGIFCONF */
	struct ifconf c = { .ifc_len = sizeof r, .ifc_req = r };
	char buf[2048], h[8], *line, *eol, *a, *scope;
	size_t n = 0, i;
	ssize_t k;
	int fd, pass;

	*out = 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || sysc(SYS_ioctl, fd, SIOCGIFCONF, &c)) c.ifc_len = 0;
	if (fd >= 0) close(fd);
	for (pass = 0; pass <= loop; pass++) {
		for (i = 0; i < c.ifc_len / sizeof *r; i++) {
			unsigned char *v4 = (unsigned char *)&((struct sockaddr_in *)&r[i].ifr_addr)->sin_addr;
			hex(h, v4, 4);
			if ((*v4 == 127) == pass) add_hex(out, cap, &n, h, 8);
		}
		/* /proc/net/if_inet6, a line an address: 32 hex digits, index,
		 * prefix, scope (00 global, 10 host), flags, name */
		if ((fd = sys_open("/proc/net/if_inet6", O_RDONLY)) < 0) continue;
		k = read(fd, buf, sizeof buf - 1);
		close(fd);
		buf[k > 0 ? k : 0] = 0;
		/* whole lines only: one cut off at the buffer's end is left */
		for (line = buf; *(eol = line + seglen(line, "\n")); line = eol + 1) {
			*eol = 0;
			a = word(&line), word(&line), word(&line), scope = word(&line);
			if (scope && scope[0] == '0' + pass && scope[1] == '0') add_hex(out, cap, &n, a, 32);
		}
	}
	return n;
}

/* Caps what fd sends at rate bytes a second (0: no cap), paced by the
 * kernel: no copy of the data is ours.  TCP paces itself from Linux 4.13
 * on; before, only the fq qdisc does, which cannot be told from here, and
 * the option is taken all the same: such a kernel is refused, as is one
 * that refuses the option, never an uncapped transfer.  Called first with
 * fd -1, before the login (the kernel's version), then with the data
 * socket (the option). */
void pace(int fd, unsigned long rate)
{
	static struct utsname u;	/* zeroed: the parse stops in it; kept for fd's turn */
	unsigned v[2] = { 0, 0 }, i = 0, r = rate;
	const char *p = u.release;
	int bad;

	if (!r) return;
	if (fd >= 0) {
		bad = setsockopt(fd, SOL_SOCKET, SO_MAX_PACING_RATE, &r, sizeof r);
	} else {
		sysc(SYS_uname, &u);
		for (; i < 2; p++)	/* major, minor */
			if ((unsigned)(*p - '0') < 10) v[i] = v[i] * 10 + *p - '0';
			else i++;
		bad = v[0] * 100 + v[1] < 413;
	}
	if (bad) die(EX_SYS, "-L: no TCP pacing in Linux %s", u.release);
}
