/* fz_addr.c: addresses for -h and from SSH_CONNECTION, SSH_CLIENT and the
 * candidate list, through addr_parse().  The input is used whole, and also
 * split at ' ' and ',' into words as the far end splits those variables.
 *
 * Differential check against glibc: a word inet_pton(AF_INET) accepts must
 * be accepted as that IPv4 address, and one addr_parse() reads as IPv4 must
 * be one inet_pton accepts (the same dotted quads since 2.2), or the input
 * is kept as a crash.  When addr_parse() and inet_pton(AF_INET6) (for the
 * part before a '%') both accept a word, the address bytes must be the
 * same; where only one of them accepts, that is a difference of dialect,
 * not memory safety: listed by fuzz/addr-diff (this file built with
 * -DADDR_DIFF_MAIN) over a corpus.  Words in socketpipe's own candidate
 * form ("x" and the address in hex, see net.c) are checked against a model
 * of that form instead. */
#include <arpa/inet.h>
#include <ctype.h>
#include "common.h"

#define PORT 0xbeef

static int report;	/* addr-diff: print one line per difference */
/* FUZZ_KNOWN_XPCT=1: words in the own form with a '%' are not judged, so a
 * run can go past that known fault (fuzz/regress/addr/x-form-*) until
 * src/net.c refuses them */
static int skip_xpct = -1;

/* Prints s with anything unprintable escaped. */
static void show(const char *why, const char *s)
{
	printf("%s: \"", why);
	for (; *s; s++)
		if (isprint((unsigned char)*s) && *s != '\\' && *s != '"') putchar(*s);
		else printf("\\x%02x", (unsigned char)*s);
	printf("\"\n");
}

static void one(const char *s)
{
	union sa a;
	struct in_addr v4;
	struct in6_addr v6;
	const char *pct = strchr(s, '%');
	char pre[128];
	int r = addr_parse(s, PORT, &a), g4, g6 = 0;

	g4 = inet_pton(AF_INET, s, &v4) == 1;
	if (strlen(s) < sizeof pre) {
		size_t k = pct ? (size_t)(pct - s) : strlen(s);
		memcpy(pre, s, k), pre[k] = 0;
		g6 = inet_pton(AF_INET6, pre, &v6) == 1;
	}
	if (skip_xpct < 0) skip_xpct = getenv("FUZZ_KNOWN_XPCT") != 0;
	if (skip_xpct && *s == 'x' && pct) return;
	if (!r && *s == 'x') {
		/* socketpipe's own candidate form: "x" and 8 or 32 hex digits
		 * of the address; nothing else may follow */
		size_t k = strlen(s), i;
		unsigned char b[16];
		CHECK(k == 9 || k == 33);
		for (i = 0; i + 1 < k; i++) {
			char h[3] = { s[i + 1], 0, 0 };
			CHECK(isxdigit((unsigned char)h[0]));
			if (i & 1) b[i / 2] = b[i / 2] << 4 | strtoul(h, 0, 16);
			else b[i / 2] = strtoul(h, 0, 16);
		}
		CHECK(a.sa.sa_family == (k == 9 ? AF_INET : AF_INET6));
		CHECK(!memcmp(k == 9 ? (void *)&a.in.sin_addr : (void *)&a.in6.sin6_addr, b, k / 2));
		CHECK(ntohs(a.in.sin_port) == PORT);
	} else if (!r) {
		CHECK(a.sa.sa_family == AF_INET || a.sa.sa_family == AF_INET6);
		if (a.sa.sa_family == AF_INET) {
			CHECK(ntohs(a.in.sin_port) == PORT);
			CHECK(!pct);
			if (!g4) show("addr_parse accepts, inet_pton(AF_INET) rejects", s), abort();
			if (memcmp(&a.in.sin_addr, &v4, 4)) {
				show("BYTES DIFFER (v4)", s);
				abort();
			}
		} else {
			CHECK(ntohs(a.in6.sin6_port) == PORT);
			CHECK(!pct || a.in6.sin6_scope_id != 0);
			if (g6) {
				if (memcmp(&a.in6.sin6_addr, &v6, 16)) {
					show("BYTES DIFFER (v6)", s);
					abort();
				}
			} else if (report) show("addr_parse accepts, inet_pton(AF_INET6) rejects", s);
		}
	} else if (g4) {
		show("inet_pton(AF_INET) accepts, addr_parse rejects", s);
		abort();
	} else if (report && g6 && !pct) {
		show("inet_pton(AF_INET6) accepts, addr_parse rejects", s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *s, *w;
	size_t k;

	if (n > 512) return 0;
	s = cstr_copy(d, n);
	one(s);
	/* the far end's split: words up to ' ' or ',', each at most 63 bytes */
	for (w = s; *w; ) {
		k = strcspn(w, " ,");
		if (k && k < 64) {
			char *word = cstr_copy((const uint8_t *)w, k);
			one(word);
			free(word);
		}
		w += k;
		if (*w) w++;
	}
	free(s);
	return 0;
}

#ifdef ADDR_DIFF_MAIN
/* addr-diff FILE...: runs each file through the check above, printing every
 * difference between addr_parse and glibc. */
int main(int argc, char **argv)
{
	static uint8_t b[513];
	int i;

	report = 1;
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;
		if (!f) continue;
		n = fread(b, 1, sizeof b, f);
		fclose(f);
		LLVMFuzzerTestOneInput(b, n);
	}
	return 0;
}
#endif
