/* fz_quote.c: the remote command's words on our line (word_out(), as
 * local.c writes them) and back (word_in(), as far.c reads them).  Input:
 * two bytes of room, then words separated by NUL bytes.  Each word is
 * written into an exact-size heap block of that room: a result must stay
 * inside it, hold no byte a terminal or a word split would touch (<= ' ',
 * 0x7f), and read back as exactly the word.  The input as one word is also
 * read by word_in() as it comes (a stranger's line): it must not run past
 * its NUL. */
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf, *out, *p, *e, *raw;
	size_t cap, k, need;

	if (n < 2 || n > 20000) return 0;
	cap = (size_t)d[0] << 8 | d[1];
	d += 2, n -= 2;
	raw = cstr_copy(d, n);
	word_in(raw);	/* any bytes: only its own bounds matter */
	free(raw);
	buf = cstr_copy(d, n);
	for (p = buf; p <= buf + n; p += strlen(p) + 1) {
		out = malloc(cap + 2);
		e = word_out(out, out + cap + 1, p);	/* a byte left for a NUL */
		if (e) {
			CHECK(e > out && e <= out + cap + 1 && *out == '=');
			for (k = 1; out + k < e; k++) CHECK((unsigned char)out[k] > ' ' && out[k] != 127);
			*e = 0;
			CHECK(!word_in(out + 1) && !strcmp(out + 1, p));
		} else {
			/* refused only when the escaped word and 2 bytes of
			 * slack would not fit */
			for (need = 1, k = 0; p[k]; k++)
				need += (unsigned char)p[k] <= ' ' || p[k] == '%' || p[k] == 127 ? 3 : 1;
			CHECK(need + 2 > cap + 1);
		}
		free(out);
	}
	free(buf);
	return 0;
}
