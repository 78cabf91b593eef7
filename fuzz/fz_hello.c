/* fz_hello.c: the first bytes on a data connection, judged by hello_check()
 * as the local end's hear() does: after every read, on all bytes so far.
 * Input: a mode byte, then what the stranger sends.  Each verdict is
 * compared with a plain model of the rule: a wrong magic is refused at
 * once, and only "socketpipe3 " + 32 bytes + "\n" is a hello, nothing
 * longer.
 * A SipHash test vector of the reference paper is checked on the way. */
#include "common.h"

static int model(const char *got, size_t n)
{
	size_t m = sizeof HELLO_MAGIC - 1, i;

	if (n > HELLO_LEN) return -1;
	for (i = 0; i < n && i < m; i++)
		if (got[i] != HELLO_MAGIC[i]) return -1;
	if (n < HELLO_LEN) return 0;
	return got[HELLO_LEN - 1] == '\n' ? 1 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const char good[] = HELLO_MAGIC "0123456789abcdef0123456789abcdef\n";
	unsigned char key[16], msg[15];
	char *stream, *got;
	size_t len, k, step, i;
	unsigned mode;

	/* SipHash-2-4, key 00..0f, messages 00..0e, 00 and 00..07 (the
	 * paper's vectors); the message's first byte goes in as siphash()'s
	 * byte in front */
	for (i = 0; i < 16; i++) key[i] = i;
	for (i = 0; i < 15; i++) msg[i] = i;
	CHECK(siphash(key, msg[0], msg + 1, 14) == 0xa129ca6149be45e5ULL);
	CHECK(siphash(key, msg[0], msg + 1, 0) == 0x74f839c593dc67fdULL);
	CHECK(siphash(key, msg[0], msg + 1, 7) == 0x93f5f5799a932462ULL);
	if (n < 1 || n > 4096) return 0;
	mode = d[0];
	d++, n--;
	/* the stream: the fuzz bytes, or a right hello with one byte of them
	 * put somewhere in it, so the near misses are reached */
	len = mode % 3 ? HELLO_LEN + n : n;
	stream = malloc(len ? len : 1);
	if (mode % 3) {
		memcpy(stream, good, HELLO_LEN);
		memcpy(stream + HELLO_LEN, d, n);
		if (mode % 3 == 2 && n) stream[(mode / 3) % HELLO_LEN] = d[0];
	} else if (n) {
		memcpy(stream, d, n);
	}
	step = 1 + (mode >> 6);
	for (k = 0; k <= len && k <= HELLO_LEN + 1; k += k < HELLO_LEN - 1 ? step : 1) {
		int r, w;
		got = exact_copy((const uint8_t *)stream, k);
		r = hello_check(got, k);
		w = model(stream, k);
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
