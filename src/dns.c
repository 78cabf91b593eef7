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

static char text[32768];	/* a window on hosts, then on resolv.conf */
static union sa ns[3];		/* the nameservers of resolv.conf */
static char *dom[6];		/* its search list */
static int nns, nd;

/* Returns 1 when a and b are the same name, ignoring ASCII case. */
static int same(const char *a, const char *b)
{
	unsigned c, d;

	do {
		c = *a++, d = *b++;
		if (c - 'A' < 26) c |= 32;
		if (d - 'A' < 26) d |= 32;
		if (c != d) return 0;
	} while (c);
	return 1;
}

/* Cuts the next line off the text at *t, in place, without its comment;
 * returns it. */
static char *line(char **t)
{
	char *s = *t, *e = s + seglen(s, "\n");

	*t = e + !!*e;
	*e = 0;
	s[seglen(s, "#")] = 0;
	return s;
}

/* Finds name among the names of /etc/hosts-style text t (cut up in place);
 * stores its addresses in out from out[got] on (up to out[max - 1]) and
 * returns how many out then holds. */
static int hosts_more(char *t, const char *name, unsigned port, union sa *out, int max, int got)
{
	char *l, *a, *w;

	while (*t && got < max) {
		l = line(&t);
		if ((a = word(&l)))
			while ((w = word(&l)))
				if (same(w, name)) {
					got += !addr_parse(a, port, &out[got]);
					break;
				}
	}
	return got;
}

/* hosts_more from out[0] on: the fuzzer's entry (fuzz/fz_hosts.c) */
int hosts_parse(char *t, const char *name, unsigned port, union sa *out, int max)
{
	return hosts_more(t, name, port, out, max, 0);
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

/* Builds a query of type for name (a final dot dropped); returns its
 * length, or 0 for a name DNS cannot carry (an empty or 64-byte label,
 * over 253 bytes). */
static size_t query(unsigned char *q, unsigned id, const char *name, unsigned type)
{
	size_t n = strlen(name), len = 13, lab = 12, i;

	if (n && name[n - 1] == '.') n--;
	if (n > 253) return 0;
	memset(q, 0, 13);
	q[0] = id >> 8, q[1] = id, q[2] = 1, q[5] = 1;	/* RD, one question */
	for (i = 0; i <= n; i++) {
		if (i < n && name[i] != '.') {
			q[len++] = name[i];
			continue;
		}
		if (len == lab + 1 || len - lab > 64) return 0;
		q[lab] = len - lab - 1;	/* the label's length, before it */
		lab = len++;
	}
	q[lab] = 0, q[len++] = 0, q[len++] = type, q[len++] = 0, q[len++] = 1;
	return len;
}

/* Reads resolv.conf-style text t (cut up in place): at most 3 nameservers
 * into srv, and the words of the last search or domain line (at most 6)
 * into dom, their count in *nd; returns how many nameservers it stored. */
int resolv_parse(char *t, union sa *srv, char **dom, int *nd)
{
	char *l, *k, *a;
	int n = 0;

	*nd = 0;
	while (*t) {
		l = line(&t);
		if (!(k = word(&l))) continue;
		if (!strcmp(k, "nameserver")) {
			if (n < 3 && (a = word(&l))) n += !addr_parse(a, 53, &srv[n]);
		} else if (!strcmp(k, "search") || !strcmp(k, "domain")) {
			for (*nd = 0; *nd < 6 && (dom[*nd] = word(&l)); ++*nd)
				;	/* the last such line counts */
		}
	}
	return n;
}

/* Reads the file at path through text, a window of whole lines at a time:
 * each read starts at a line's start, and the part line at a window's end
 * is read again as the start of the next (lseek back).  With a name, finds
 * it in each window (hosts_parse) and returns how many addresses it stored
 * in out; without, reads the first window as resolv.conf (32 KiB of whole
 * lines; real ones hold a few) and returns how many nameservers it found.
 * A line longer than text is skipped to its newline, not read as two: the
 * window it fills is dropped, and what follows is read after a "#". */
static int scan(const char *path, const char *name, unsigned port, union sa *out, int max)
{
	int fd = sys_open(path, O_RDONLY), got = 0, skip = 0;
	ssize_t k;
	char *e, *end;

	while ((k = read(fd, text + skip, sizeof text - 1 - skip)) > 0) {
		end = text + skip + k;
		for (e = end; e > text && e[-1] != '\n'; e--)
			;
		/* no newline in the window: the last line, or one too long */
		if (e == text && (e = end) == text + sizeof text - 1) {
			text[0] = '#', skip = 1;
			continue;
		}
		*e = skip = 0;
		if (!name) {
			got = resolv_parse(text, ns, dom, &nd);
			break;
		}
		got = hosts_more(text, name, port, out, max, got);
		sysc(SYS_lseek, fd, e - end, SEEK_CUR);
	}
	close(fd);
	return got;
}

/* Asks the nameservers in turn for the A and AAAA records of name, each
 * for its share of ms; returns how many addresses were stored. */
static int ask(const char *name, unsigned port, union sa *out, int max, int ms)
{
	static unsigned char q[300], r[1500];
	struct pollfd p = { -1, POLLIN, 0 };
	unsigned id, left, t;
	int i, k, g, got = 0;
	long long end;
	size_t qn;

	/* an id anyone could guess would let a stranger's forged answer in */
	if (make_secret((unsigned char *)&id, sizeof id))
		die(EX_SYS, "no random bytes for a DNS query id");
	id &= 0xfffe;
	for (i = 0; i < nns && !got; i++) {
		if ((p.fd = socket(ns[i].sa.sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) continue;
		connect(p.fd, &ns[i].sa, sa_len(&ns[i]));
		for (t = 0; t < 2; t++)
			if ((qn = query(q, id + t, name, t ? 28 : 1))) send(p.fd, q, qn, 0);
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
	static char full[256];
	const char *d;
	size_t len = strlen(name), dl;
	int got, i;

	if (!addr_parse(name, port, out)) return 1;
	if ((got = scan("/etc/hosts", name, port, out, max))) return got;
	nns = scan("/etc/resolv.conf", 0, 0, 0, 0);
	if (!nns) addr_parse("127.0.0.1", 53, &ns[nns++]);
	if (memchr(name, '.', len)) nd = 0;	/* no search for a dotted name */
	for (i = 0; i <= nd; i++) {
		d = i < nd ? dom[i] : "";
		if (len + 1 + (dl = strlen(d)) >= sizeof full) continue;
		memcpy(full, name, len + 1);
		if (dl) full[len] = '.', memcpy(full + len + 1, d, dl + 1);
		if ((got = ask(full, port, out, max, ms / (nd + 1)))) return got;
	}
	return 0;
}
