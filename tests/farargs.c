/* farargs.c: random remote argument vectors through a real login, end to end.
 *     farargs NAME SEED COUNT SECS ARGDUMP SOCKETPIPE [OPTIONS...]
 * For each of COUNT vectors (fewer if SECS seconds run out) it runs
 *     SOCKETPIPE OPTIONS... -r { ARGDUMP w1 w2 ... }
 * with stdin /dev/null, and reads socketpipe's stdout: the remote argdump's
 * words, each followed by a NUL, which must be the vector byte for byte
 * (OPTIONS holds -l { login } and anything else).  The words: every byte
 * but NUL, empty words, words of 40 KB, shell specials (! \ newline $ '
 * " ` globs, %, =), words that look like options.  Never a word that is
 * exactly "{" or "}": socketpipe reads those as a block's braces.
 * Prints "seed SEED", then one line "PASS NAME" or "FAIL NAME: why", the
 * first failures with their vector index, the exit status and stderr of
 * socketpipe and the vector's words; exits 0 or 1.  FARARGS_FIRST=I
 * starts at vector I (with COUNT 1: repeats one vector of a failed run). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXW 400
#define POOL 200000
#define BUDGET 110000	/* encoded size of a vector (3 bytes a byte at worst) */
#define RUNSECS 20	/* one run */

static unsigned long long rs;

static unsigned long long rnd(void)
{
	rs ^= rs << 13, rs ^= rs >> 7, rs ^= rs << 17;
	return rs;
}

static unsigned below(unsigned n) { return n ? rnd() % n : 0; }

static long long ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* what shells of every family treat specially */
static const char special[] = "!\\\n$'\"`*?[]{}~#&;|<>() \t\r=%^,:-@\001\033\177\377\200";
/* words a parser might take for something else */
static const char *const odd[] = { "", "=", "%", "%20", "%%", "%0a", "-", "--", "-S4",
	"-S4e", "-S3", "-s", "-e", "-V", "-r", "{}", "}{", "{{", "}}", "*", "?", "[a]",
	"~", "~root", "$HOME", "${HOME}", "$(id)", "`id`", "!!", "!$", "!1", "\\",
	"'", "\"", "\n", " ", "\t", "a b", "$", "\\n", "%s", "socketpipe-need x86_64",
	"exit 1", ";", "&", "|", "#", "'\\''", "\"'\"", "!'", "\\!", "\377", "\r\n" };

static char byte(int cls)
{
	unsigned k = below(10);
	if (cls == 1 || cls == 4 ? k < 7 : k < 3) return special[below(sizeof special - 1)];
	if (k < 8) return ' ' + below(95);
	return 1 + below(255);
}

static size_t cost(const char *s)
{
	size_t n = 2;	/* the '=' and the separator */
	for (; *s; s++) {
		unsigned char c = *s;
		n += c <= 0x20 || c == 0x7f || c == '%' ? 3 : 1;
	}
	return n;
}

/* Fills v with vector i of the run (class i % 6); words live in pool. */
static size_t gen(unsigned long long seed, int i, char **v, char *pool)
{
	size_t nw, w, len, used = 0, j, max, spent = 0;
	int c = i % 6;

	rs = (seed + 1) * 0x9e3779b97f4a7c15ULL ^ (i + 1) * 0xbf58476d1ce4e5b9ULL;
	if (!rs) rs = 1;
	switch (c) {
	case 0: nw = 1 + below(8); max = 20; break;	/* short words, any byte */
	case 1: nw = 1 + below(8); max = 40; break;	/* shell specials */
	case 2: nw = 1 + below(12); max = 0; break;	/* odd and empty words */
	case 3: nw = 1 + below(4); max = 40000; break;	/* a 40 KB word, any byte */
	case 4: nw = 1 + below(3); max = 40000; break;	/* a 40 KB word of specials */
	default: nw = 50 + below(MAXW - 50); max = 6; break;	/* many words */
	}
	for (w = 0; w < nw; w++) {
		v[w] = pool + used;
		if (c == 2) {
			const char *o = odd[below(sizeof odd / sizeof *odd)];
			strcpy(v[w], o);
			len = strlen(o);
		} else {
			len = (c == 3 || c == 4) && w == 0 ? max : below(max + 1);
			if ((c == 3 || c == 4) && w) len = below(20);
			for (j = 0; j < len; j++) v[w][j] = byte(c);
			v[w][len] = 0;
		}
		/* never a lone brace: it would open or close a block */
		if (len == 1 && (v[w][0] == '{' || v[w][0] == '}')) v[w][0] = 'b';
		while (len && spent + cost(v[w]) > BUDGET) v[w][--len] = 0;
		spent += cost(v[w]);
		used += len + 1;
	}
	v[nw] = 0;
	return nw;
}

static void show(char **v, int max)
{
	int i;
	for (i = 0; v[i] && i < max; i++) {
		const unsigned char *s = (const unsigned char *)v[i];
		int k = 0;
		printf("      word %d (%zu bytes): \"", i, strlen(v[i]));
		for (; *s && k < 60; s++, k++)
			if (*s >= ' ' && *s < 127 && *s != '"' && *s != '\\') putchar(*s);
			else printf("\\%03o", *s);
		printf("%s\"\n", *s ? "..." : "");
	}
	if (v[i]) printf("      ...\n");
}

static char obuf[POOL * 2], ebuf[400];

/* Runs argv; fills obuf/on, ebuf; returns the wait status or -1 (did
 * not end within RUNSECS: killed). */
static int run(char **argv, size_t *on)
{
	int o[2], e[2], status, live = 2, dn;
	size_t en = 0;
	long long end = ms() + RUNSECS * 1000;
	pid_t pid;

	*on = 0, ebuf[0] = 0;
	if (pipe(o) || pipe(e)) return -1;
	if (!(pid = fork())) {
		dn = open("/dev/null", O_RDONLY);
		dup2(dn, 0), dup2(o[1], 1), dup2(e[1], 2);
		close(o[0]), close(o[1]), close(e[0]), close(e[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(o[1]), close(e[1]);
	while (live) {
		struct pollfd p[2] = { { o[0], POLLIN, 0 }, { e[0], POLLIN, 0 } };
		char junk[4096];
		long long left = end - ms();
		ssize_t k;
		int r;
		if (left <= 0) break;
		r = poll(p, 2, left);
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) break;
		if (p[0].fd >= 0 && p[0].revents) {
			k = *on < sizeof obuf ? read(o[0], obuf + *on, sizeof obuf - *on) : read(o[0], junk, sizeof junk);
			if (k > 0 && *on < sizeof obuf) *on += k;
			if (k <= 0) close(o[0]), o[0] = -1, live--;
		}
		if (p[1].fd >= 0 && p[1].revents) {
			k = en < sizeof ebuf - 1 ? read(e[0], ebuf + en, sizeof ebuf - 1 - en) : read(e[0], junk, sizeof junk);
			if (k > 0 && en < sizeof ebuf - 1) en += k, ebuf[en] = 0;
			if (k <= 0) close(e[0]), e[0] = -1, live--;
		}
	}
	if (live) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (o[0] >= 0) close(o[0]);
		if (e[0] >= 0) close(e[0]);
		return -1;
	}
	waitpid(pid, &status, 0);
	return status;
}

int main(int argc, char **argv)
{
	static char pool[POOL], expect[POOL + MAXW];
	static char *v[MAXW + 1], *av[64 + MAXW + 8];
	unsigned long long seed;
	int count, secs, first, i, nopt, k, bad = 0, done = 0;
	long long end;
	const char *name;

	if (argc < 7 || argc - 6 > 64) {
		fprintf(stderr, "usage: farargs NAME SEED COUNT SECS ARGDUMP SOCKETPIPE [OPTIONS...]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	name = argv[1];
	seed = strtoull(argv[2], 0, 10);
	count = atoi(argv[3]);
	secs = atoi(argv[4]);
	first = getenv("FARARGS_FIRST") ? atoi(getenv("FARARGS_FIRST")) : 0;
	nopt = argc - 7;
	av[0] = argv[6];
	for (k = 0; k < nopt; k++) av[1 + k] = argv[7 + k];
	av[1 + nopt] = "-r", av[2 + nopt] = "{", av[3 + nopt] = argv[5];
	end = ms() + secs * 1000LL;
	printf("    %s: seed %llu, %d vectors from %d\n", name, seed, count, first);
	fflush(stdout);
	for (i = first; i < first + count && ms() < end; i++) {
		size_t nw = gen(seed, i, v, pool), en = 0, on, w;
		const char *why = 0;
		int st;

		for (w = 0; w < nw; w++) {
			size_t l = strlen(v[w]);
			memcpy(expect + en, v[w], l + 1);
			en += l + 1;
			av[4 + nopt + w] = v[w];
		}
		av[4 + nopt + nw] = "}", av[5 + nopt + nw] = 0;
		st = run(av, &on);
		done++;
		if (st == -1) why = "did not end within 20 s";
		else if (!WIFEXITED(st)) why = "killed by a signal";
		else if (WEXITSTATUS(st)) why = "exit status not 0";
		else if (on != en) why = "the remote command got other words (length differs)";
		else if (memcmp(obuf, expect, en)) why = "the remote command got other words";
		if (!why) continue;
		if (++bad <= 3) {
			printf("    %s: vector %d (FARARGS_FIRST=%d, count 1, seed %llu): %s",
			       name, i, i, seed, why);
			if (st != -1 && WIFEXITED(st)) printf(" (exit %d)", WEXITSTATUS(st));
			printf("; %zu of %zu bytes came back; stderr: ", on, en);
			for (k = 0; ebuf[k] && k < 300; k++) putchar(ebuf[k] == '\n' ? '|' : ebuf[k]);
			putchar('\n');
			show(v, 6);
		}
	}
	if (bad) printf("FAIL %s: %d of %d vectors did not reach the remote command byte for byte (seed %llu)\n",
			name, bad, done, seed);
	else if (!done) printf("FAIL %s: no vector ran within %d s\n", name, secs);
	else printf("PASS %s (%d vectors)\n", name, done);
	return bad || !done;
}
