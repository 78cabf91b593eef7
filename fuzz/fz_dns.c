/* fz_dns.c: a UDP answer from a nameserver (or anyone who can send to our
 * port), through dns_parse().  Input: a mode byte (bit 0: the query id is
 * the message's own, so the parser goes past the id check; bits 1-4: room
 * for 1-16 addresses), then the message.  The room is an exact-size heap
 * array, so a write past max is caught. */
#include "common.h"

#define PORT 4711

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	union sa *out;
	unsigned char *msg;
	unsigned id;
	int max, got, i;

	if (n < 1 || n > 1600) return 0;
	max = 1 + (d[0] >> 1 & 15);
	id = d[0] & 1 && n >= 3 ? (unsigned)(d[1] << 8 | d[2]) : 0x1234;
	msg = (unsigned char *)exact_copy(d + 1, n - 1);
	out = malloc(max * sizeof *out);
	got = dns_parse(msg, n - 1, id, PORT, out, max);
	CHECK(got >= -1 && got <= max);
	for (i = 0; i < got; i++) {
		CHECK(out[i].sa.sa_family == AF_INET || out[i].sa.sa_family == AF_INET6);
		CHECK(ntohs(out[i].in.sin_port) == PORT);
	}
	free(out);
	free(msg);
	return 0;
}
