/* hosts.c: names for -h: a numeric address, or a name of the far
 * machine's /etc/hosts.  No DNS: -h is for the rare network that neither
 * way of connecting gets through on its own, and a resolver (1.6 KB here,
 * musl's getaddrinfo twice this tool) does not fit the size budget. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>
#include "sp.h"

static char text[32768];	/* a window on /etc/hosts */

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

/* Reads the hosts file at path through text, a window of whole lines at a
 * time: each read starts at a line's start, and the part line at a
 * window's end is read again as the start of the next (lseek back).  Finds
 * name in each window (hosts_parse); returns how many addresses it stored
 * in out.  A line longer than text is skipped to its newline, not read as
 * two: the window it fills is dropped, and what follows is read after a
 * "#". */
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
		got = hosts_more(text, name, port, out, max, got);
		sysc(SYS_lseek, fd, e - end, SEEK_CUR);
	}
	close(fd);
	return got;
}

/* Resolves name (numeric, or from /etc/hosts) to at most max addresses
 * with the given port; returns how many it stored in out. */
int resolve(const char *name, unsigned port, union sa *out, int max)
{
	if (!addr_parse(name, port, out)) return 1;
	return scan("/etc/hosts", name, port, out, max);
}
