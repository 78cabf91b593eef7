/* args.c: the user's command line.  Options and help live here and only
 * here; a brace block is cut out of argv in place (its closing brace becomes
 * the NULL that ends it), so no word is ever copied. */
#include <string.h>
#include "sp.h"

/* The one table of options: the parser looks letters up in it, and --help
 * prints it under a synopsis made of its rows' heads, so they cannot
 * disagree.  A row is "  HEAD\tHELP\n", tabs aligning HELP at column 16;
 * HEAD is as the synopsis shows it, in brackets unless it must be given
 * (parse_args() checks those by name).  After the letter:
 *   nothing         a flag; flags combine (-bv)
 *   " word"         takes a value: the rest of its word or the next word
 *                   (-vt5, -vt 5), so it ends a group of flags
 *   " { word }"     takes a block: "{", words, "}", each brace a word of its
 *                   own; the letter may end a group (-vl { ssh nas } ...) */
const char usage_text[] =
"  [-h host]\tfar end connects to host (SSH_CONNECTION)\n"
"  [-t secs]\tset-up and dead-peer bound, 1-86400 (30)\n"
"  [-c way]\tonly far or local connects (both)\n"
"  [-p ports]\tports to listen on, as 40000-40100\n"
"  [-L rate]\tcap bytes/s, as 500k or 40M\n"
"  [-f path]\tfar socketpipe (on PATH, else sent)\n"
"  [-e]\t\tencrypt: kernel TLS, keys via login\n"
"  [-i { cmd }]\tinput command (stdin)\n"
"  -l { login }\tlogin, as { ssh host }\n"
"  -r { cmd }\tremote command\n"
"  [-o { cmd }]\toutput command (stdout)\n"
"  [-b]\t\tlogin off stdin (always)\n"
"  [-v]\t\tbytes and rate on stderr\n"
"  [-V]\t\tversion (--version); --help: this text\n";

/* -V: the Makefile's one line (version, CPU, commit), else the version */
#ifndef VERSION_LINE
#define VERSION_LINE "socketpipe " VERSION
#endif
const char version_text[] = VERSION_LINE "\n";

/* Returns --help's text: "usage: socketpipe" and each row's head, then the
 * table. */
static const char *usage(void)
{
	static char u[2 * sizeof usage_text];	/* a row's head is shorter than the row */
	const char *r;
	char *d = u + sizeof "usage: socketpipe" - 1;

	memcpy(u, "usage: socketpipe", d - u);
	for (r = usage_text; *r; r++) {
		*d++ = ' ';
		for (r += 2; *r != '\t'; ) *d++ = *r++;
		while (*r != '\n') r++;
	}
	*d++ = '\n';
	memcpy(d, usage_text, sizeof usage_text);
	return u;
}

/* Returns the row of option letter c (at its letter), or NULL. */
static const char *row(int c)
{
	const char *r, *l;

	for (r = usage_text; *r; r++) {
		l = r + 3 + (r[2] == '[');
		if (*l == c) return l;
		while (*r != '\n') r++;
	}
	return 0;
}

/* Parses v, the value of option c, into o; returns 0, or 1 when v is not
 * one the option takes (parse_args() names both in the message; --help
 * gives the ranges). */
static int value(int c, char *v, struct opts *o)
{
	size_t k = strlen(v);
	unsigned n;
	char b[24], *s;

	if (c == 'h') {
		o->host = v;
		return !k || k > 255 || v[seglen(v, " \t\n")];
	}
	if (c == 'f') {	/* into the far command line's double quotes */
		o->far = v;
		return !k || k > 255 || v[seglen(v, "\"'\\$`!\n")];
	}
	if (c == 'c') {
		o->way = *v;
		return !!strcmp(v, *v == 'f' ? "far" : "local");
	}
	if (k > 20) k = 0;	/* too long for any of the rest */
	memcpy(b, v, k);
	b[k] = 0;
	if (c == 't') return !!parse_num(b, 1, 86400, &o->timeout);
	if (c == 'p') {	/* N or N-M */
		s = b + seglen(b, "-");
		if (*s) *s++ = 0;
		else s = b;
		return parse_num(b, 1, 65535, &o->plo) || parse_num(s, o->plo, 65535, &o->phi);
	}
	/* -L: bytes a second, with k, M or G (its place in "kMG"; 3: none) */
	n = k ? seglen("kMG", b + k - 1) : 3;
	if (n < 3) b[k - 1] = 0, n = 10 * n + 10;
	else n = 0;
	if (parse_num(b, 1, 0xffffffffUL >> n, &o->rate)) return 1;
	o->rate <<= n;
	return 0;
}

/* Errors that name the option letter as well as the bad word. */
#define BRACE_PRE "expected a separate '{' after '-"
static char brace_err[] = BRACE_PRE "?', not";
#define VALUE_PRE "bad -"
static char value_err[] = VALUE_PRE "? value";

/* Parses the local end's command line into o; returns NULL, or an error
 * message with *bad set to the word it concerns (the option, for one that
 * is missing).  "--help", "-?", "-V" and "--version" return
 * usage_text or version_text with *bad set to the text to print on stdout.
 * Options are read left to right, so "-V -x" prints the version, as getopt
 * tools do. */
const char *parse_args(char **argv, struct opts *o, const char **bad)
{
	static char name[3] = "-";	/* the option letter being parsed */
	/* the blocks' places in o, indexed by the letter's place in "ilr"
	 * (seglen() gives 3 for o, which is not in it) */
	static const unsigned char slots[] = { offsetof(struct opts, in),
		offsetof(struct opts, login), offsetof(struct opts, rem), offsetof(struct opts, out) };
	char ***slot, *a, *v, *w;
	const char *r;
	int i, j, c, depth;

	memset(o, 0, sizeof *o);
	o->timeout = DEF_TIMEOUT;
	o->way = 'b';
	for (i = 1; (a = argv[i]); i++) {
		*bad = a;
		if (a[0] != '-' || !a[1]) return "unexpected argument";
		if (a[1] == '-') {
			if (!strcmp(a, "--help")) return *bad = usage(), usage_text;
			if (!strcmp(a, "--version")) return *bad = version_text;
			return "unknown option";
		}
		while ((c = *++a)) {
			name[1] = c;
			*bad = name;
			if (c == '?') return *bad = usage(), usage_text;
			if (!(r = row(c))) return "unknown option";
			if (r[1] != ' ') {	/* a flag */
				if (c == 'V') return *bad = version_text;
				if (c == 'v') o->verbose = 1;
				if (c == 'e') o->enc = 1;
				continue;
			}
			if (!(v = a[1] ? a + 1 : argv[++i])) return "missing argument after";
			if (r[2] != '{') {	/* a value */
				*bad = v;
				value_err[sizeof VALUE_PRE - 1] = c;
				if (value(c, v, o)) return value_err;
				break;
			}
			/* a block: "{" is the next word, not the rest of this one */
			slot = (char ***)((char *)o + slots[seglen("ilr", name + 1)]);
			if (*slot) return "given twice:";
			if (v != argv[i] || v[0] != '{' || v[1]) {
				brace_err[sizeof BRACE_PRE - 1] = c;
				*bad = argv[i];	/* the word "{" should have been */
				return brace_err;
			}
			for (depth = 1, j = i + 1; (w = argv[j]); j++) {
				if (w[0] == '{' && !w[1]) depth++;
				else if (w[0] == '}' && !w[1] && !--depth) break;
			}
			if (!argv[j]) return "missing '}' for";
			if (j == i + 1) return "empty command for";
			argv[j] = 0;
			*slot = argv + i + 1;
			i = j;
			break;
		}
	}
	*bad = !o->login ? "-l" : !o->rem ? "-r" : 0;
	return *bad ? "missing option" : 0;
}
