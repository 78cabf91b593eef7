/* args.c: the user's command line.  Options and help live here and only
 * here; a brace block is cut out of argv in place (its closing brace becomes
 * the NULL that ends it), so no word is ever copied. */
#include <string.h>
#include "sp.h"

const char usage_text[] =
"usage: socketpipe [-bv] [-h host] [-t secs] [-i { cmd }] -l { login } -r { cmd } [-o { cmd }]\n"
"  -i -o  local input/output command (default stdin/stdout)\n"
"  -l     login command, as { ssh host }\n"
"  -r     remote command (socketpipe on the far PATH)\n"
"  -h     address to connect back to (default SSH_CONNECTION)\n"
"  -t     set-up and dead-peer bound, seconds (30)\n"
"  -b     login off stdin (always)  -v  bytes, rate  -V  version\n";

const char version_text[] = "socketpipe " VERSION "\n";

/* Cuts the brace block starting at argv[*i] (which must be "{") out of argv;
 * leaves *i on its closing brace; returns the block's first word, or NULL
 * with *err set. */
static char **block(char **argv, int *i, const char **err)
{
	int depth = 1, start = *i + 1, j;

	if (!argv[*i] || strcmp(argv[*i], "{")) {
		*err = "expected '{' after";
		return 0;
	}
	for (j = start; argv[j]; j++) {
		if (!strcmp(argv[j], "{")) depth++;
		else if (!strcmp(argv[j], "}") && !--depth) break;
	}
	if (!argv[j]) {
		*err = "missing '}' for";
		return 0;
	}
	if (j == start) {
		*err = "empty command for";
		return 0;
	}
	argv[j] = 0;
	*i = j;
	return argv + start;
}

/* Parses the local end's command line into o; returns NULL, or an error
 * message with *bad set to the word it concerns.  "--help" and "-V" come
 * back as usage_text and version_text, for stdout. */
const char *parse_args(char **argv, struct opts *o, const char **bad)
{
	unsigned long t;
	char ***slot, **b;
	const char *err = 0, *a;
	int i;

	memset(o, 0, sizeof *o);
	o->timeout = DEF_TIMEOUT;
	for (i = 1; (a = argv[i]); i++) {
		*bad = a;
		if (!strcmp(a, "--help") || !strcmp(a, "-?")) return usage_text;
		if (a[0] != '-' || !a[1] || a[2]) return "unexpected argument";
		slot = 0;
		switch (a[1]) {
		case 'b': break;
		case 'v': o->verbose = 1; break;
		case 'V': return version_text;
		case 'i': slot = &o->in; break;
		case 'l': slot = &o->login; break;
		case 'r': slot = &o->rem; break;
		case 'o': slot = &o->out; break;
		case 'h':
			if (!argv[++i]) return "missing host after";
			*bad = argv[i];
			if (!*argv[i] || strlen(argv[i]) > 255) return "bad host";
			o->host = argv[i];
			break;
		case 't':
			if (!argv[++i]) return "missing seconds after";
			*bad = argv[i];
			if (parse_num(argv[i], 1, 86400, &t)) return "bad timeout (1-86400 seconds)";
			o->timeout = t;
			break;
		default: return "unknown option";
		}
		if (!slot) continue;
		if (*slot) return "given twice:";
		i++;
		if (!(b = block(argv, &i, &err))) return err;
		*slot = b;
	}
	*bad = "";
	if (!o->login) return "missing -l { login command }";
	if (!o->rem) return "missing -r { remote command }";
	return 0;
}
