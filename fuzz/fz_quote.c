/* fz_quote.c: the far command line, built by append_quoted().  Input: two
 * bytes of buffer size, then words separated by NUL bytes.  The buffer is
 * an exact-size heap block holding "exec socketpipe" first, as in local.c.
 * A result must fit (NUL included) and read back, by a small model of the
 * POSIX shell's single quotes, as exactly the words; the real shells do
 * the same in tests/quote-prop.sh. */
#include "common.h"

#define HEAD "exec socketpipe"
#define MAXW 256

/* Reads one shell word made of '...' runs and \' at s; returns its end,
 * or NULL when s uses anything else (then the quoting is not plain). */
static const char *unquote(const char *s, const char *end, char *w, size_t *wn)
{
	*wn = 0;
	while (s < end && *s != ' ') {
		if (*s == '\'') {
			for (s++; s < end && *s != '\''; s++) w[(*wn)++] = *s;
			if (s == end) return 0;
			s++;
		} else if (*s == '\\' && s + 1 < end && s[1] == '\'') {
			w[(*wn)++] = '\'', s += 2;
		} else {
			return 0;
		}
	}
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf, *out, *w, *v[MAXW + 1], *p;
	size_t cap, nw = 0, h = sizeof HEAD - 1, r, i, wn, need;
	const char *s, *end;

	if (n < 2 || n > 20000) return 0;
	cap = (size_t)d[0] << 8 | d[1];
	d += 2, n -= 2;
	buf = cstr_copy(d, n);
	for (p = buf; nw < MAXW; p += strlen(p) + 1) {
		v[nw++] = p;
		if (p + strlen(p) >= buf + n) break;
	}
	v[nw] = 0;

	/* shell_quote alone, into exactly cap bytes */
	out = malloc(cap ? cap : 1);
	r = shell_quote(out, cap, v[0]);
	CHECK(r <= cap);
	free(out);

	if (cap <= h) cap = h + 1;
	out = malloc(cap);
	memcpy(out, HEAD, h + 1);
	r = append_quoted(out, cap, h, v);
	/* the room needed: per word a space, two quotes, 4 bytes per quote
	 * in it, 1 for any other byte; and the NUL */
	for (need = h + 1, i = 0; i < nw; i++) {
		need += 3;
		for (s = v[i]; *s; s++) need += *s == '\'' ? 4 : 1;
	}
	if (!r) {
		free(out), free(buf);
		return 0;
	}
	CHECK(r < cap && out[r] == 0 && strlen(out) == r);
	CHECK(r + 1 == need);
	CHECK(!memcmp(out, HEAD, h));
	w = malloc(r + 1);
	for (s = out + h, end = out + r, i = 0; s < end; i++) {
		CHECK(*s == ' ');
		s++;
		s = unquote(s, end, w, &wn);
		CHECK(s);
		CHECK(i < nw && wn == strlen(v[i]) && !memcmp(w, v[i], wn));
	}
	CHECK(i == nw);
	free(w), free(out), free(buf);
	return 0;
}
