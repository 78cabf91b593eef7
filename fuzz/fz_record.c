/* fz_record.c: a line the login command printed, read by get_record() as a
 * record of the far end's, "<tag> socketpipe-<kind> <payload>", checked
 * against a model of the rule under a fixed key (00..0f).  The first byte
 * chooses the mode:
 *   even   the rest is one line (without its "\n"), as local.c hands it
 *          over: get_record must agree with the model (NULL for anything
 *          but a record with the right tag; else a pointer into the line
 *          at the payload, and the kind's first byte)
 *   odd    the rest is a kind, a space and a payload (each cut at a NUL
 *          or "\n", as put_record takes C strings; the kind at 24 bytes).
 *          put_record writes the record (fd 1 is a pipe for the call); its
 *          bytes must be the model's; read back, get_record must return
 *          exactly that payload and kind; with one byte of the tag changed
 *          (which and how: the mode byte) it must return NULL.  Then one
 *          more change of the record, chosen by the mode byte (a byte of
 *          the header, kind or payload changed, a byte cut off, the bytes
 *          put_record dropped past MAX_RECORD put back), and the verdict
 *          on that line must agree with the model again.
 * The model: the tag is SipHash-2-4 (checked against the paper's vector in
 * fz_hello.c) under the key of the kind's first letter minus 32, then the
 * payload, its 8 bytes lowest first in lowercase hex.  A record's kind is
 * a non-empty word; its payload is at most MAX_RECORD bytes (put_record
 * never writes more, and the tag covers no more: a longer one is refused).
 * A payload with a NUL in it is taken as the code takes it (the tag covers
 * the bytes past the NUL; only the key could make one).
 * FUZZ_KNOWN_LONGREC=1 steps past one known fault in get_record (a payload
 * past MAX_RECORD is taken, its tail unchecked by the tag;
 * fuzz/regress/record/payload-past-max-record) until src/proto.c refuses
 * it. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "common.h"

#define KIND_MAX 24	/* put_record's buffer holds a kind of 33 bytes */
#define HEAD (TAG_HEX + 1 + sizeof RECORD - 1)	/* where the kind starts */

static const unsigned char key[SECRET_LEN] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
};
static int skip_long = -1;

/* The model's tag of kind letter k over the m bytes at p (m <= MAX_RECORD). */
static void model_tag(char *out, int k, const char *p, size_t m)
{
	unsigned char *b = malloc(m + 1);
	uint64_t h;
	int i;

	if (!b) abort();
	b[0] = (unsigned char)(k - 32);
	if (m) memcpy(b + 1, p, m);
	h = siphash(key, b[0], b + 1, m);	/* checked against the paper in fz_hello.c */
	for (i = 0; i < 8; i++) {
		out[2 * i] = "0123456789abcdef"[(h >> (8 * i + 4)) & 15];
		out[2 * i + 1] = "0123456789abcdef"[(h >> (8 * i)) & 15];
	}
	free(b);
}

/* The model of get_record on the n bytes at l: the offset of the payload,
 * or -1 for a line that is no record. */
static long model(const char *l, size_t n)
{
	char want[TAG_HEX];
	size_t i;

	if (n < HEAD + 2 || l[TAG_HEX] != ' ' || memcmp(l + TAG_HEX + 1, RECORD, sizeof RECORD - 1))
		return -1;
	for (i = HEAD; i < n && l[i] != ' ' && l[i] != 0; i++)
		;
	if (i == HEAD || i == n || l[i] != ' ') return -1;	/* no kind, or no space after it */
	i++;
	if (n - i > MAX_RECORD && !skip_long) return -1;
	model_tag(want, l[HEAD], l + i, n - i > MAX_RECORD ? MAX_RECORD : n - i);
	return memcmp(want, l, TAG_HEX) ? -1 : (long)i;
}

/* get_record on a heap copy of the n bytes at s (n + 1 bytes: it ends the
 * payload with a NUL at [n]); checks its verdict against the model; returns
 * 1 when it took the line as a record. */
static int judge(const char *s, size_t n)
{
	char *l = malloc(n + 1), *r;
	long w = model(s, n);
	int kind = -999;

	if (!l) abort();
	if (n) memcpy(l, s, n);
	l[n] = 'Z';
	r = get_record(key, l, n, &kind);
	CHECK(!memcmp(l, s, n));	/* the line itself is left as it was */
	if (w < 0 && r) {
		fprintf(stderr, "get_record took a line the model refuses (payload at %ld of %zu)\n",
			(long)(r - l), n);
		abort();
	}
	if (w >= 0) {
		if (!r) {
			fprintf(stderr, "get_record refused a record the model takes (payload at %ld of %zu)\n", w, n);
			abort();
		}
		CHECK(r == l + w);
		CHECK(l[n] == 0);
		CHECK(kind == l[HEAD]);
	}
	free(l);
	return r != 0;
}

/* Runs put_record(key, kind, payload) with fd 1 on a pipe; returns what it
 * wrote (malloc'd) and its length in *len. */
static char *capture(const char *kind, const char *payload, size_t *len)
{
	static int p[2] = { -1, -1 }, saved = -1;
	static char buf[MAX_RECORD + 128];
	char *out;
	ssize_t k;
	size_t n = 0;

	if (p[0] < 0) {
		if (pipe(p) || fcntl(p[0], F_SETFL, O_NONBLOCK)) abort();
		if ((saved = dup(1)) < 0) abort();
	}
	fflush(stdout);
	if (dup2(p[1], 1) < 0) abort();
	put_record(key, kind, payload);
	if (dup2(saved, 1) < 0) abort();
	while ((k = read(p[0], buf + n, sizeof buf - n)) > 0) n += k;
	CHECK(k < 0 && errno == EAGAIN);	/* all of it read, nothing more */
	CHECK(n < sizeof buf);
	out = malloc(n);
	if (!out) abort();
	memcpy(out, buf, n);
	*len = n;
	return out;
}

static void signed_mode(unsigned mode, const uint8_t *d, size_t n)
{
	char kind[KIND_MAX + 1], *payload, *rec, *l, *w;
	size_t k, m, full, len, ln, at, i;
	int kd = -999;

	/* the kind: up to the first space, NUL or newline */
	for (k = 0; k < n && k < KIND_MAX && d[k] != ' ' && d[k] && d[k] != '\n'; k++) kind[k] = d[k];
	kind[k] = 0;
	if (!k) strcpy(kind, (const char *[]){ "status", "port", "tried" }[(mode >> 1) % 3]);
	while (k < n && d[k] != ' ') k++;	/* the rest of a long kind is dropped */
	k += k < n;
	for (full = 0; k + full < n && d[k + full] && d[k + full] != '\n'; full++)
		;
	payload = cstr_copy(d + k, full);
	m = full > MAX_RECORD ? MAX_RECORD : full;

	/* put_record's bytes against the model's */
	rec = capture(kind, payload, &len);
	k = strlen(kind);
	CHECK(len == 1 + HEAD + k + 1 + m + 1);
	CHECK(rec[0] == '\n' && rec[len - 1] == '\n');
	w = malloc(len);
	if (!w) abort();
	w[0] = '\n';
	model_tag(w + 1, kind[0], payload, m);
	w[1 + TAG_HEX] = ' ';
	memcpy(w + 2 + TAG_HEX, RECORD, sizeof RECORD - 1);
	memcpy(w + 1 + HEAD, kind, k);
	w[1 + HEAD + k] = ' ';
	memcpy(w + 2 + HEAD + k, payload, m);
	w[len - 1] = '\n';
	if (memcmp(rec, w, len)) {
		fprintf(stderr, "put_record wrote a record other than the model's\n");
		abort();
	}
	free(w);

	/* read back: exactly that payload and kind */
	ln = len - 2;
	l = malloc(ln + full - m + 1);	/* room to put the dropped tail back */
	if (!l) abort();
	memcpy(l, rec + 1, ln);
	l[ln] = 'Z';
	w = get_record(key, l, ln, &kd);
	CHECK(w == l + ln - m);
	CHECK(!memcmp(w, payload, m) && w[m] == 0);
	CHECK(kd == kind[0]);
	CHECK(judge(rec + 1, ln));

	/* one byte of the tag changed: refused */
	memcpy(l, rec + 1, ln);
	at = (mode >> 1) % TAG_HEX;
	l[at] ^= 1 + (mode >> 5);
	CHECK(!get_record(key, l, ln, &kd));
	CHECK(!judge(l, ln));

	/* one more change, judged by the model */
	memcpy(l, rec + 1, ln);
	i = (mode >> 3) % ln;
	switch ((mode >> 1) & 3) {
	case 0:		/* a byte past the tag changed */
		i = TAG_HEX + (mode >> 3) % (ln - TAG_HEX);
		l[i] ^= 1 + (m ? (unsigned char)payload[m - 1] % 127 : 32);
		break;
	case 1:		/* the last byte cut off */
		ln--;
		break;
	case 2:		/* a byte taken out */
		memmove(l + i, l + i + 1, ln - i - 1), ln--;
		break;
	case 3:		/* the bytes put_record dropped put back (none under MAX_RECORD) */
		memcpy(l + ln, payload + m, full - m), ln += full - m;
		break;
	}
	judge(l, ln);
	free(l);
	free(rec);
	free(payload);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (skip_long < 0) skip_long = getenv("FUZZ_KNOWN_LONGREC") != 0;
	if (n < 1 || n > 2048) return 0;
	if (d[0] & 1) signed_mode(d[0], d + 1, n - 1);
	else judge((const char *)d + 1, n - 1);
	return 0;
}
