/* fz_status.c: a line the login command printed, read by status_line() as
 * the far side's status record.  The verdict is compared with a model of
 * the record "socketpipe-status N", N 0-255 in at most three digits; any
 * other line must give -1 (it goes to stderr). */
#include "common.h"

static int model(const char *s, size_t n)
{
	size_t m = sizeof STATUS_TAG - 1, i;
	unsigned v = 0;

	if (n < m + 1 || n > m + 3 || memcmp(s, STATUS_TAG, m)) return -1;
	for (i = m; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v <= 255 ? (int)v : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *line;
	int r, w;

	if (n > 1024) return 0;
	line = exact_copy(d, n);
	r = status_line(line, n);
	w = model(line, n);
	if (r != w) {
		fprintf(stderr, "status_line = %d, model %d\n", r, w);
		abort();
	}
	free(line);
	return 0;
}
