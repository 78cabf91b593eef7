/* quoteprop.c: the property test of the remote command's way to the far
 * side, through any login shell.
 *     quoteprop SEED PER-CLASS SHELL-ARGV0 [SHELL-ARGS...] -c
 * Generates PER-CLASS random argument vectors in each class below, writes
 * each as local.c does (word_out(): "=" and escapes, on our line to the
 * far end), and runs the far command line (far_command(), as local.c
 * makes it) with the given shell as the login shell (its last word is the
 * "-c" option), our line on its stdin.  The far command line starts this
 * program as its far socketpipe ("quoteprop -S4": reads the line, undoes
 * the escapes with word_in() as far.c does, writes each word and a NUL).
 * The output must be the vector, byte for byte.  Prints one PASS or FAIL
 * line per class, and for the first failures of a class the seed and index
 * that reproduce it; exits with the number of failed classes.  A vector
 * local.c would refuse (over its line's size) is skipped and counted. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sp.h"

#define CAP LINE_CAP		/* local.c's buffer for our line */
#define MAXW 600

static unsigned long long rs;

static unsigned long long rnd(void)
{
	rs ^= rs << 13, rs ^= rs >> 7, rs ^= rs << 17;
	return rs;
}

static unsigned below(unsigned n) { return n ? rnd() % n : 0; }

/* the bytes a shell treats specially, the likeliest to break quoting */
static const char special[] = "'\"\\$`!*?[]{}~#&;|<>() \t\n\r=%^,:-\001\177\377\200";

/* One byte, never NUL: a special one, printable ASCII or any byte. */
static char byte(int quotes)
{
	unsigned k = below(10);
	if (quotes && k < 4) return '\'';
	if (k < 6) return special[below(sizeof special - 1)];
	if (k < 8) return ' ' + below(95);
	return 1 + below(255);
}

/* Fills v with a vector of class c; words live in pool. */
static size_t gen(int c, char **v, char *pool, size_t poolcap)
{
	size_t nw, i, len, used = 0, j, max;

	switch (c) {
	case 0: nw = 1 + below(8); max = 20; break;	/* short words, any byte */
	case 1: nw = 1 + below(8); max = 40; break;	/* quote-heavy */
	case 2: nw = 1 + below(12); max = 3; break;	/* empty and tiny words */
	case 3: nw = 1 + below(3); max = 30000; break;	/* long words */
	case 4: nw = 100 + below(MAXW - 100); max = 8; break;	/* many words */
	default: nw = 1 + below(4); max = 40000; break;	/* near the size limit */
	}
	for (i = 0; i < nw; i++) {
		len = c == 2 ? below(2) * below(max) : below(max + 1);
		if (c == 5 && i == 0) len = max;
		if (used + len + 1 > poolcap) len = 0;
		v[i] = pool + used;
		for (j = 0; j < len; j++) v[i][j] = byte(c == 1 || (c == 5 && i == 1));
		v[i][len] = 0;
		used += len + 1;
	}
	v[nw] = 0;
	return nw;
}

/* Runs sh... -c cmd; returns what it wrote on stdout (in *got, *gn), or
 * -1 when it could not run or took over 20 s. */
static int run(char **sh, int nsh, const char *cmd, int in, char **got, size_t *gn, int *status)
{
	static char *buf;
	static size_t cap;
	char *argv[16];
	int p[2], i;
	pid_t pid;
	ssize_t k;
	long long end;
	struct timespec ts;

	if (!buf) cap = 1 << 20, buf = malloc(cap);
	if (pipe(p)) return -1;
	for (i = 0; i < nsh; i++) argv[i] = sh[i];
	argv[nsh] = (char *)cmd, argv[nsh + 1] = 0;
	if (!(pid = fork())) {
		dup2(p[1], 1);
		dup2(in, 0);
		close(p[0]), close(p[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	end = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 + 20000;
	*gn = 0;
	for (;;) {
		struct pollfd pf = { p[0], POLLIN, 0 };
		long long now;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
		if (now >= end || poll(&pf, 1, end - now) != 1) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			close(p[0]);
			return -1;
		}
		if (*gn == cap) buf = realloc(buf, cap *= 2);
		k = read(p[0], buf + *gn, cap - *gn);
		if (k < 0 && errno == EINTR) continue;
		if (k <= 0) break;
		*gn += k;
	}
	close(p[0]);
	waitpid(pid, status, 0);
	*got = buf;
	return 0;
}

/* Prints a vector for a failure report: words in C escapes, cut short. */
static void show(char **v)
{
	size_t i;
	const unsigned char *s;
	for (i = 0; v[i]; i++) {
		int k = 0;
		fprintf(stderr, "    word %zu (%zu bytes): \"", i, strlen(v[i]));
		for (s = (const unsigned char *)v[i]; *s && k < 60; s++, k++)
			if (*s >= ' ' && *s < 127 && *s != '"' && *s != '\\') fputc(*s, stderr);
			else fprintf(stderr, "\\%03o", *s);
		fprintf(stderr, "%s\"\n", *s ? "..." : "");
		if (i >= 8) { fprintf(stderr, "    ...\n"); break; }
	}
}

/* The far socketpipe's part: reads our line, writes its words. */
static int far_words(void)
{
	static char l[CAP + 1];
	size_t n = 0;
	ssize_t k;
	char *p = l, *w, *nl;

	while (n < CAP && (k = read(0, l + n, CAP - n)) > 0) n += k;
	l[n] = 0;
	if (!(nl = memchr(l, '\n', n))) return 3;
	*nl = 0;
	while ((w = word(&p))) {
		if (*w++ != '=' || word_in(w)) return 4;
		fwrite(w, 1, strlen(w) + 1, stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *cname[] = { "short words of any byte", "quote-heavy words",
		"empty and one-byte words", "long words (to 30000 bytes)",
		"many words (100-600)", "vectors near the 128 KiB limit" };
	static char cmd[FAR_CMD_MAX], line[CAP], pool[CAP * 2], expect[CAP * 2], self[4096];
	static char *v[MAXW + 1];
	unsigned long long seed;
	int per, c, i, nsh, failed_classes = 0, status;
	char **sh;

	if (argc == 2 && !strcmp(argv[1], "-S4")) return far_words();
	if (readlink("/proc/self/exe", self, sizeof self - 1) < 0) return 98;
	if (argc < 4) {
		fprintf(stderr, "usage: quoteprop SEED PER-CLASS SHELL... -c\n");
		return 99;
	}
	seed = strtoull(argv[1], 0, 0);
	per = atoi(argv[2]);
	sh = argv + 3, nsh = argc - 3;
	for (c = 0; c < 6; c++) {
		int ok = 0, bad = 0, refused = 0;
		rs = seed * 0x9e3779b97f4a7c15ULL + c + 1;
		for (i = 0; i < per; i++) {
			size_t nw = gen(c, v, pool, sizeof pool), n = 0, en = 0, w, gn;
			char *got;
			const char *why = 0;
			FILE *f = 0;

			/* as local.c: refused when it does not fit */
			for (w = 0; w < nw && (got = word_out(line + n, line + sizeof line - 1, v[w])); w++)
				n = got - line, line[n++] = ' ';
			if (w < nw) {
				/* refusing is right only when the escaped words (and
				 * word_out's 2 bytes of slack) do not fit */
				size_t need = 0, j;
				for (w = 0; w < nw; w++)
					for (need += 2, j = 0; v[w][j]; j++)
						need += (unsigned char)v[w][j] <= ' ' || v[w][j] == '%' || v[w][j] == 127 ? 3 : 1;
				if (need + 2 <= sizeof line - 1) why = "refused a vector that fits";
				else { refused++; continue; }
			}
			if (!why) {
				line[n - 1] = '\n';
				far_command(cmd, self, "-S4", n);
				if (!(f = tmpfile()) || fwrite(line, 1, n, f) != n || fflush(f) || fseek(f, 0, SEEK_SET)) return 97;
			}
			for (w = 0; w < nw; w++) {
				size_t k = strlen(v[w]);
				memcpy(expect + en, v[w], k + 1);
				en += k + 1;
			}
			if (!why && run(sh, nsh, cmd, fileno(f), &got, &gn, &status)) why = "shell did not end within 20 s";
			else if (!why && !WIFEXITED(status)) why = "shell killed by a signal";
			else if (!why && WEXITSTATUS(status)) why = "shell exit status non-zero";
			else if (!why && (gn != en || memcmp(got, expect, en))) why = "output differs from the vector";
			if (f) fclose(f);
			if (!why) {
				ok++;
				continue;
			}
			if (++bad <= 3) {
				fprintf(stderr, "quoteprop: %s: class %d vector %d (seed %llu): %s\n",
					sh[0], c, i, seed, why);
				show(v);
			}
		}
		if (bad) {
			failed_classes++;
			printf("FAIL quoting through %s, %s: %d of %d vectors wrong\n", sh[0], cname[c], bad, per);
		} else {
			printf("PASS quoting through %s, %s: %d vectors give back the same words%s\n",
			       sh[0], cname[c], ok, refused ? " (some too long, refused)" : "");
		}
		fflush(stdout);
	}
	return failed_classes;
}
