/* fz_hello.c: the first bytes on a data connection, judged by hello_check()
 * as the local end's hear() does: after every read, on all bytes so far.
 * Input: 16 bytes of secret, a mode byte, then what the stranger sends.
 * Each verdict is compared with a plain model of the rule: a wrong magic is
 * refused at once, a wrong secret once all 45 bytes are in, only the exact
 * hello is taken, nothing longer. */
#include "common.h"

static int model(const char *got, size_t n, const char *want)
{
	size_t m = sizeof HELLO_MAGIC - 1;
	if (n > HELLO_LEN) return -1;
	if (memcmp(got, want, n < m ? n : m)) return -1;
	if (n < HELLO_LEN) return 0;
	return memcmp(got, want, HELLO_LEN) ? -1 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char want[HELLO_LEN], hx[2 * SECRET_LEN + 1], *stream, *got;
	size_t len, k, step;
	unsigned mode;

	if (n < SECRET_LEN + 1 || n > 4096) return 0;
	hex(hx, d, SECRET_LEN);
	hx[2 * SECRET_LEN] = '\n';
	make_hello(want, hx);
	CHECK(!memcmp(want, HELLO_MAGIC, sizeof HELLO_MAGIC - 1) && want[HELLO_LEN - 1] == '\n');
	mode = d[SECRET_LEN];
	d += SECRET_LEN + 1, n -= SECRET_LEN + 1;

	/* the stream: the fuzz bytes, or the right hello with one byte of
	 * them put somewhere in it, so the near misses are reached */
	len = mode % 3 ? HELLO_LEN + n : n;
	stream = malloc(len ? len : 1);
	if (mode % 3) {
		memcpy(stream, want, HELLO_LEN);
		memcpy(stream + HELLO_LEN, d, n);
		if (mode % 3 == 2 && n) stream[(mode / 3) % HELLO_LEN] = d[0];
	} else if (n) {
		memcpy(stream, d, n);
	}
	/* every length a sequence of reads can deliver, up to one past the
	 * hello, each in an exact-size copy */
	step = 1 + (mode >> 6);
	for (k = 0; k <= len && k <= HELLO_LEN + 1; k += k < HELLO_LEN - 1 ? step : 1) {
		int r, w;
		got = exact_copy((const uint8_t *)stream, k);
		r = hello_check(got, k, want);
		w = model(stream, k, want);
		if (r != w) {
			fprintf(stderr, "hello_check(len %zu) = %d, model %d\n", k, r, w);
			abort();
		}
		free(got);
		if (r < 0) break;	/* hear() drops the connection here */
	}
	free(stream);
	return 0;
}
