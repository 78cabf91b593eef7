/* fz_hosts.c: /etc/hosts text, through hosts_parse().  Input: a mode byte
 * (room for 1-16 addresses), a length byte, that many bytes of the name
 * looked up (cut at a NUL), then the file's text, NUL-terminated on the heap
 * as resolve() leaves each window of the file (hosts_parse cuts it up in
 * place). */
#include "common.h"

#define PORT 4711

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	union sa *out;
	char *name, *text;
	size_t k;
	int max, got, i;

	if (n < 2 || n > 40000) return 0;
	max = 1 + (d[0] & 15);
	k = d[1];
	d += 2, n -= 2;
	if (k > n) k = n;
	name = cstr_copy(d, k);
	text = cstr_copy(d + k, n - k);
	out = malloc(max * sizeof *out);
	got = hosts_parse(text, name, PORT, out, max);
	CHECK(got >= 0 && got <= max);
	for (i = 0; i < got; i++) {
		CHECK(out[i].sa.sa_family == AF_INET || out[i].sa.sa_family == AF_INET6);
		CHECK(ntohs(out[i].in.sin_port) == PORT);
	}
	free(out);
	free(text);
	free(name);
	return 0;
}
