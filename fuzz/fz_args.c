/* fz_args.c: the user's command line.  The input is split on NUL bytes into
 * words after argv[0]; parse_args() cuts brace blocks out of argv in place,
 * so each run gets a fresh vector.  Beyond "no crash", a success must leave
 * slices that lie inside the vector, end in NULL, are not empty and hold
 * balanced braces, as the far command line is built from them; an error
 * must name a live word; --help's text must be the synopsis made from the
 * option table, then the table, all of it. */
#include "common.h"

#define MAXW 512

/* Checks one slice returned in struct opts. */
static void check_slice(char **s, char **v, size_t nv)
{
	int depth = 0;
	size_t k;

	if (!s) return;
	CHECK(s > v && s < v + nv);
	CHECK(*s);		/* never an empty block */
	for (k = 0; s + k < v + nv && s[k]; k++) {
		if (!strcmp(s[k], "{")) depth++;
		else if (!strcmp(s[k], "}")) CHECK(--depth >= 0);
	}
	CHECK(s + k < v + nv);	/* ended by a NULL inside the vector */
	CHECK(depth == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf, *v[MAXW + 2], *orig[MAXW + 2], *p;
	size_t nw = 0, i;
	struct opts o;
	const char *err, *bad = 0;

	if (n > 8192) return 0;
	buf = cstr_copy(d, n);
	v[nw++] = "socketpipe";
	for (p = buf; nw <= MAXW; p += strlen(p) + 1) {
		v[nw++] = p;
		if (p + strlen(p) >= buf + n) break;
	}
	v[nw] = 0;
	memcpy(orig, v, sizeof v);
	err = parse_args(v, &o, &bad);
	if (err == usage_text) {
		/* "usage: socketpipe", each row's head, a newline, the table */
		char want[2048] = "usage: socketpipe";
		const char *r;
		for (r = usage_text; *r; r = strchr(r, '\n') + 1) {
			CHECK(r[0] == ' ' && r[1] == ' ' && strchr(r, '\t'));
			strcat(want, " ");
			strncat(want, r + 2, strchr(r, '\t') - r - 2);
		}
		strcat(want, "\n");
		strcat(want, usage_text);
		CHECK(bad && !strcmp(bad, want));
	} else if (err == version_text) {
		CHECK(bad == version_text);
	} else if (err) {
		CHECK(bad);
		(void)strlen(err);
		(void)strlen(bad);	/* must point at a live string */
		CHECK(!strchr(err, '\n'));	/* one line, as far as ours go */
	} else {
		CHECK(o.login && o.rem);
		check_slice(o.in, v, nw + 1);
		check_slice(o.login, v, nw + 1);
		check_slice(o.rem, v, nw + 1);
		check_slice(o.out, v, nw + 1);
		CHECK(o.timeout >= 1 && o.timeout <= 86400);
		if (o.host) CHECK(*o.host && strlen(o.host) <= 255);
	}
	/* only NULLs may be written into the vector, never other pointers */
	for (i = 0; i <= nw; i++) CHECK(!v[i] || v[i] == orig[i]);
	free(buf);
	return 0;
}
