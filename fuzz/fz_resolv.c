/* fz_resolv.c: /etc/resolv.conf text, through resolv_parse().  Input: the
 * file's text, NUL-terminated on the heap as resolve() leaves its first
 * window (whole lines, up to 32 KiB).  Checked: at most 3 nameservers,
 * each an address with port 53; at most 6 search domains, each a
 * non-empty word of the text (inside the buffer, without a blank or '#' in
 * it), and the last search/domain line's words in order. */
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	union sa srv[3];
	char *text, *copy, *dom[6], *p;
	int nd = -1, got, i;

	if (n > 40000) return 0;
	text = cstr_copy(d, n);
	copy = cstr_copy(d, n);
	got = resolv_parse(text, srv, dom, &nd);
	CHECK(got >= 0 && got <= 3);
	CHECK(nd >= 0 && nd <= 6);
	for (i = 0; i < got; i++) {
		CHECK(srv[i].sa.sa_family == AF_INET || srv[i].sa.sa_family == AF_INET6);
		CHECK(ntohs(srv[i].in.sin_port) == 53);
	}
	for (i = 0; i < nd; i++) {
		CHECK(dom[i] >= text && dom[i] < text + n);
		CHECK(*dom[i]);
		for (p = dom[i]; *p; p++)
			CHECK(*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '#');
		/* the word is where the original text has it */
		CHECK(!memcmp(copy + (dom[i] - text), dom[i], strlen(dom[i])));
		if (i) CHECK(dom[i] > dom[i - 1]);
	}
	free(copy);
	free(text);
	return 0;
}
