/* dns.c: names for -h, as users expect them: a numeric address, then
 * /etc/hosts, then the nameservers of /etc/resolv.conf over UDP (A and AAAA,
 * the search list for a name without a dot).  musl's getaddrinfo would do
 * the same but costs twice this tool. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>
#include "sp.h"

static char text[32768];	/* one file at a time: hosts, then resolv.conf */

/* Compares n bytes ignoring ASCII case; returns 1 when equal. */
static int same(const char *a, const char *b, size_t n)
{
	for (; n--; a++, b++)
		if ((*a | 32) != (*b | 32) && *a != *b) return 0;
	return 1;
}

/* Returns the length of the word at s (up to blank, comment or line end). */
static size_t word(const char *s, const char *end)
{
	const char *p = s;
	while (p < end && *p != ' ' && *p != '\t' && *p != '\n' && *p != '#') p++;
	return p - s;
}

/* Returns s past any blanks before end. */
static const char *blanks(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t')) s++;
	return s;
}

/* Reads path into text; returns its length (0 if missing). */
static size_t slurp(const char *path)
{
	int fd = sys_open(path, O_RDONLY);
	ssize_t k, n = 0;
	if (fd < 0) return 0;
	while (n < (ssize_t)sizeof text - 1 && (k = read(fd, text + n, sizeof text - 1 - n)) > 0)
		n += k;
	close(fd);
	return n;
}

/* Finds name among the names of /etc/hosts-style text; returns how many
 * addresses it stored in out (at most max). */
int hosts_parse(const char *t, size_t n, const char *name, unsigned port, union sa *out, int max)
{
	const char *end = t + n, *nl, *p;
	size_t len = strlen(name), k;
	char addr[64];
	int got = 0, match;

	for (; t < end && got < max; t = nl + 1) {
		if (!(nl = memchr(t, '\n', end - t))) nl = end;
		t = blanks(t, nl);
		k = word(t, nl);
		if (!k || k >= sizeof addr) continue;
		memcpy(addr, t, k);
		addr[k] = 0;
		for (match = 0, p = t + k; p < nl && *p != '#'; p += k ? k : 1) {
			k = word(p, nl);
			if (k == len && same(p, name, len)) match = 1;
		}
		if (match && !addr_parse(addr, port, &out[got])) got++;
	}
	return got;
}

/* Skips a possibly compressed name at off; returns the offset after it, or
 * 0 when it runs off the message. */
static size_t skip_name(const unsigned char *m, size_t n, size_t off)
{
	while (off < n) {
		if (m[off] >= 0xc0) return off + 2 <= n ? off + 2 : 0;
		if (m[off] > 63) return 0;
		if (!m[off]) return off + 1;
		off += m[off] + 1;
	}
	return 0;
}

/* Reads the A and AAAA records of a DNS answer with the given id; returns
 * how many addresses it stored in out (at most max), or -1 when the
 * message is not a usable answer to that query. */
int dns_parse(const unsigned char *m, size_t n, unsigned id, unsigned port, union sa *out, int max)
{
	size_t off = 12, rd;
	unsigned qd, an, type;
	int got = 0;

	if (n < 12 || (unsigned)(m[0] << 8 | m[1]) != id || !(m[2] & 0x80)) return -1;
	if ((m[3] & 15) == 3) return 0;		/* no such name */
	if (m[3] & 15) return -1;
	qd = m[4] << 8 | m[5], an = m[6] << 8 | m[7];
	while (qd--)
		if (!(off = skip_name(m, n, off)) || (off += 4) > n) return -1;
	while (an-- && got < max) {
		if (!(off = skip_name(m, n, off)) || off + 10 > n) return -1;
		type = m[off] << 8 | m[off + 1];
		rd = m[off + 8] << 8 | m[off + 9];
		off += 10;
		if (off + rd > n) return -1;
		if ((type == 1 && rd == 4) || (type == 28 && rd == 16))
			sa_set(&out[got++], rd == 16, m + off, port);
		off += rd;
	}
	return got;
}

/* Builds a query of type for the name made of the n bytes at a and, when m,
 * a dot and the m bytes at b (a search domain); returns its length, or 0
 * for a name DNS cannot carry (an empty or 64-byte label, over 253). */
static size_t query(unsigned char *q, unsigned id, const char *a, size_t n,
		    const char *b, size_t m, unsigned type)
{
	size_t len = 13, lab = 12, i, all = m ? n + 1 + m : n;
	char c;

	if (all > 253) return 0;
	memset(q, 0, 13);
	q[0] = id >> 8, q[1] = id, q[2] = 1, q[5] = 1;	/* RD, one question */
	for (i = 0; i <= all; i++) {
		c = i == all ? '.' : i < n ? a[i] : i == n ? '.' : b[i - n - 1];
		if (c != '.') {
			q[len++] = c;
			continue;
		}
		if (len == lab + 1 || len - lab > 64) return 0;
		q[lab] = len - lab - 1;	/* the label's length, before it */
		lab = len++;
	}
	q[lab] = 0, q[len++] = 0, q[len++] = type, q[len++] = 0, q[len++] = 1;
	return len;
}

/* Asks the nameservers in turn for the A and AAAA records of the name
 * a[n] (+ "." b[m]), each for its share of ms; returns how many addresses
 * were stored. */
static int ask(const union sa *ns, int nns, const char *a, size_t n, const char *b,
	       size_t m, unsigned port, union sa *out, int max, int ms)
{
	static unsigned char q[300], r[1500];
	struct pollfd p = { -1, POLLIN, 0 };
	unsigned id, left, t;
	int i, k, g, got = 0;
	long long end;
	size_t qn;

	make_secret((unsigned char *)&id, sizeof id);
	id &= 0xfffe;
	for (i = 0; i < nns && !got; i++) {
		if ((p.fd = socket(ns[i].sa.sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) continue;
		connect(p.fd, &ns[i].sa, sa_len(&ns[i]));
		for (t = 0; t < 2; t++)
			if ((qn = query(q, id + t, a, n, b, m, t ? 28 : 1))) send(p.fd, q, qn, 0);
		for (end = now_ms() + ms / nns, left = 3; left && poll(&p, 1, ms_left(end)) == 1; ) {
			k = recv(p.fd, r, sizeof r, 0);
			for (t = 0; k > 0 && t < 2; t++)
				if (left >> t & 1 && (g = dns_parse(r, k, id + t, port, out + got, max - got)) >= 0)
					got += g, left &= ~(1u << t);
		}
		close(p.fd);
	}
	return got;
}

/* Resolves name (numeric, /etc/hosts, DNS) to at most max addresses with
 * the given port, giving DNS ms; returns how many it stored in out.  A name
 * without a dot is tried with each search domain first, as the C library
 * does, each try with an equal share of ms. */
int resolve(const char *name, unsigned port, union sa *out, int max, int ms)
{
	union sa ns[3];
	const char *t, *end, *nl, *kw, *dom = text, *dend = text;
	size_t len = strlen(name), k;
	int nns = 0, nd = 0, got, i;
	char a[64];

	if (!addr_parse(name, port, out)) return 1;
	if ((got = hosts_parse(text, slurp("/etc/hosts"), name, port, out, max))) return got;
	end = text + slurp("/etc/resolv.conf");
	for (t = text; t < end; t = nl + 1) {
		if (!(nl = memchr(t, '\n', end - t))) nl = end;
		kw = t, k = word(t, nl);
		t = blanks(t + k, nl);
		if (k == 10 && !memcmp(kw, "nameserver", 10)) {
			k = word(t, nl);
			if (nns < 3 && k < sizeof a) {
				memcpy(a, t, k), a[k] = 0;
				nns += !addr_parse(a, 53, &ns[nns]);
			}
		} else if (k == 6 && (!memcmp(kw, "search", 6) || !memcmp(kw, "domain", 6))) {
			dom = t, dend = nl;	/* the last such line counts */
		}
	}
	if (!nns) addr_parse("127.0.0.1", 53, &ns[nns++]);
	if (memchr(name, '.', len)) dend = dom;	/* no search for a dotted name */
	for (t = dom; t < dend && nd < 6 && (k = word(t, dend)); t = blanks(t + k, dend)) nd++;
	for (t = dom, i = 0; i < nd; i++, t = blanks(t + k, dend))
		if ((got = ask(ns, nns, name, len, t, k = word(t, dend), port, out, max, ms / (nd + 1))))
			return got;
	if (len && name[len - 1] == '.') len--;
	return ask(ns, nns, name, len, 0, 0, port, out, max, ms / (nd + 1));
}
