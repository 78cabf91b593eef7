/* meet.c: the meeting of the two ends.  The data connection is made either
 * way, or both ways at once: the far end connects back to the local end's
 * listener, and the local end connects to the far end's (whose port comes
 * in a record on the login channel).  Every connection, whichever way it
 * goes, runs the same handshake (proto.c): the connecting side says hello,
 * the listening side proves first, then the connecting side; the local end
 * keeps the first connection that has proven itself and says "ok" on it
 * alone, and the far end keeps the one that says "ok".  Everything else is
 * closed: strangers, the slower way, connections of a wrong secret.
 *
 * A tag is made over the connecting side's nonce, then the listening
 * side's, with the signer's letter: 'L' or 'F' when the far end connects
 * (2.1's handshake, unchanged), 'l' or 'f' when the local end does, so a
 * tag made for one way is no use for the other. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "sp.h"

#define NCONN 32		/* connections at once, both ways */
#define SLOT_MS 2000		/* an accepted connection has this long to prove itself */
#define TRY_MS 3000		/* one connect and handshake of ours */
#define RETRY_MS 250		/* a refused target is tried again after this */

enum { CONNECTING, HELLO, CHAL, PROOF, OKAY };	/* what a connection waits for */
static const unsigned char need[] = { 0, HELLO_LEN, CHAL_LEN, PROOF_LEN, ACK_LEN };

static struct conn {
	int fd;
	unsigned char out, st, to;	/* we connected; state; its target */
	unsigned len;
	long long until;
	/* the connecting side's nonce, then the listening side's: what the
	 * tags are made over, in place */
	char nonce[2][NONCE_HEX];
	char buf[CHAL_LEN];		/* the largest message */
} c[NCONN];

static struct target {
	union sa a;
	int err, busy;
	long long retry;
} tg[MAXT];
int ntg;

static const unsigned char *key;
static int self, lfd = -1;	/* self: 'L', 'F', or 0 for 1.x's far form */
int wrong_secret, won_out, meet_tls;

/* Starts a meeting for end me ('L' or 'F'; 0 for 1.x's far form, which
 * only connects) with the secret k and the listener l (or -1). */
void meet_init(int me, const unsigned char *k, int l)
{
	int i;

	self = me, key = k, lfd = l;
	for (i = 0; i < NCONN; i++) c[i].fd = -1;
}

/* Adds a as a target to connect to, unless the table is full, it is
 * there already, or it is a loopback address and here is 0 (another
 * machine's loopback is anyone's). */
void meet_target(const union sa *a, int here)
{
	int i;

	if (ntg == MAXT || (!here && is_loopback(a))) return;
	for (i = 0; i < ntg; i++)
		if (!memcmp(&tg[i].a, a, sizeof *a)) return;
	tg[ntg++].a = *a;
}

/* Adds every numeric address of the comma-separated list s as a target at
 * port (see meet_target). */
void meet_targets(const char *s, unsigned port, int here)
{
	char w[64];
	union sa a;
	size_t n;

	for (; *s; s += n + !!s[n]) {
		n = seglen(s, " ,");
		if (n < sizeof w) {
			memcpy(w, s, n), w[n] = 0;
			if (!addr_parse(w, port, &a)) meet_target(&a, here);
		}
		if (s[n] == ' ') break;
	}
}

/* Writes message m of the handshake (the one a connection in state m
 * waits for) as its signer makes it, we when ours, else the peer, to p;
 * returns its end.  A message is, in this order: the magic (a hello), the
 * signer's nonce (a hello, a challenge), its tag (a challenge, a proof),
 * "\n" (all but the "ok"), and "ok\n" where the local end signs a proof or
 * the "ok": it says "ok" as soon as the peer has proven itself, with its
 * own proof when it connected.  What we wait for is the peer's message,
 * made here and compared whole: one rule for both directions. */
static char *message(struct conn *x, int m, int ours, char *p)
{
	int who = ours ? self : 'L' + 'F' - self;

	if (m == HELLO) memcpy(p, HELLO_MAGIC, sizeof HELLO_MAGIC - 1), p += sizeof HELLO_MAGIC - 1;
	/* the signer's nonce is the first when the signer connected */
	if (m <= CHAL) memcpy(p, x->nonce[ours ^ x->out], NONCE_HEX), p += NONCE_HEX;
	/* the tag's letter is in lower case when the local end connected */
	if (m == CHAL || m == PROOF)
		make_tag(p, key, who | 32 * ((self == 'L') == x->out), x->nonce[0], 2 * NONCE_HEX), p += TAG_HEX;
	if (m < OKAY) *p++ = '\n';
	if (who == 'L' && m >= PROOF) memcpy(p, ACK, ACK_LEN), p += ACK_LEN;
	return p;
}

/* Closes connection x, noting err for its target (ours) and counting one
 * that failed a proof (err EPROTO, or an accepted one that leaves once
 * challenged) as a wrong secret. */
static void drop(struct conn *x, int err)
{
	struct target *t = &tg[x->to];

	wrong_secret |= err == EPROTO || (!x->out && x->st == PROOF);
	if (x->out) t->err = err, t->busy = 0, t->retry = now_ms() + RETRY_MS;
	close(x->fd);
	x->fd = -1;
}

/* Moves connection x on by what it can read or write now; returns its
 * socket once it is the one (emptying its place), else -1.  Having taken
 * message st, a connection sends message st + 1 (if it has one) and waits
 * for st + 2; the local end is done once the peer proved itself, the far
 * end once it has the "ok". */
static int step(struct conn *x)
{
	char b[CHAL_LEN], *p;
	int e = 0, fd = x->fd, st = x->st;
	/* the local end's proof brings its "ok" along */
	unsigned n = need[st] + (st == PROOF && self == 'F') * ACK_LEN;
	socklen_t k = sizeof e;
	ssize_t r;

	if (st == CONNECTING) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &k) || e) goto fail;
		if (!self) goto won;	/* 1.x: no handshake */
	} else {
		r = recv(fd, x->buf + x->len, n - x->len, 0);
		if (r < 0 && errno == EAGAIN) return -1;
		if (r <= 0) {
			e = r ? errno : ECONNRESET;
			goto fail;
		}
		x->len += r;
		if (st == HELLO && hello_check(x->buf, x->len) < 0) goto fail;	/* a stranger */
		if (x->len < n) return -1;
		x->len = 0;
		/* a hello or a challenge brings the peer's nonce */
		if (st <= CHAL) memcpy(x->nonce[x->out], x->buf + (st == HELLO) * (sizeof HELLO_MAGIC - 1), NONCE_HEX);
		e = EPROTO;
		if (!same_bytes(b, x->buf, message(x, st, 0, b) - b)) goto fail;
	}
	p = message(x, st + 1, 1, b);
	x->st = st + 2;
	/* -e: the kernel takes TLS only on a connection still established
	 * both ways, so before a message after which the peer may send its
	 * data and even its FIN */
	if (meet_tls) tls_ulp(fd);
	/* a fresh socket's buffer takes it whole */
	if (p > b && send(fd, b, p - b, MSG_NOSIGNAL) != p - b) {
		e = errno;
		goto fail;
	}
	if (st < (self == 'L' ? CHAL : PROOF)) return -1;
won:
	x->fd = -1;
	won_out = x->out;
	return fd;
fail:
	drop(x, e);
	return -1;
}

/* Returns the accepted connection to evict first, or NULL when there is
 * none: the oldest of those that have not said a whole hello, else the
 * oldest (the far end answers its challenge within a round trip: a crowd
 * must not push it out while it does). */
static struct conn *oldest(void)
{
	struct conn *x, *j = 0;

	for (x = c; x < c + NCONN; x++) {
		if (x->fd < 0 || x->out) continue;
		if (!j || (x->st > HELLO) < (j->st > HELLO) ||
		    ((x->st > HELLO) == (j->st > HELLO) && x->until < j->until))
			j = x;
	}
	return j;
}

/* Takes connection fd into a free place, evicting the oldest accepted one
 * when all are taken, in state st: ours to target to when st is
 * CONNECTING, else accepted; it has ms to prove itself.  Returns 0, or -1
 * (fd closed) when no place can be had (never for ours: there are fewer
 * targets than places). */
static int open_conn(int fd, int st, int to, int ms)
{
	struct conn *x;

	for (x = c; x < c + NCONN && x->fd >= 0; x++)
		;
	if (x == c + NCONN && (x = oldest())) drop(x, 0);
	if (!x) {
		close(fd);
		return -1;
	}
	memset(x, 0, sizeof *x);
	x->fd = fd, x->st = st, x->out = st == CONNECTING, x->to = to, x->until = now_ms() + ms;
	make_nonce(x->nonce[!x->out]);
	return 0;
}

/* Accepts what waits on the listener, evicting the oldest accepted
 * connection when the places or the descriptors run out (the far end says
 * hello at once, so a crowd of silent connections only pushes out its own
 * kind); returns 0, or -1 when no descriptor is left for even one. */
static int take(void)
{
	struct conn *x;
	int fd, n;

	for (n = 0; n < 2 * NCONN; n++) {
		if ((fd = sys_accept(lfd)) < 0) {
			if (errno != EMFILE && errno != ENFILE) break;
			if (!(x = oldest())) return -1;
			drop(x, 0);	/* out of descriptors: the oldest makes room */
			continue;
		}
		if (open_conn(fd, HELLO, 0, SLOT_MS)) break;
	}
	return 0;
}

/* Starts connections to the targets that are due; returns the
 * milliseconds until the next one is, capped at w. */
static int dial(int w)
{
	struct target *t;
	int fd, d;

	for (t = tg; t < tg + ntg; t++) {
		if (t->busy) continue;
		if ((d = ms_left(t->retry))) {
			if (d < w) w = d;
			continue;
		}
		if ((fd = connect_start(&t->a)) < 0) {
			t->err = errno, t->retry = now_ms() + RETRY_MS;
			continue;
		}
		t->busy = !open_conn(fd, CONNECTING, t - tg, TRY_MS);
	}
	return w;
}

/* Closes every connection left, and the listener.  A connection of ours
 * still waiting had no answer (for meet_tried()). */
static void meet_end(void)
{
	struct conn *x;

	for (x = c; x < c + NCONN; x++) {
		if (x->fd < 0) continue;
		if (x->out) tg[x->to].err = ETIMEDOUT;
		close(x->fd), x->fd = -1;
	}
	if (lfd >= 0) close(lfd), lfd = -1;
}

/* Meets the other end before end, polling fd as well: after each wait,
 * tick(readable) is called and may end the meeting with a non-zero
 * result.  Returns the connection that proved itself, or that result, or
 * -EX_TIMEOUT at end, or -EX_SYS when out of descriptors; every other
 * connection and the listener are closed. */
int meet(long long end, int fd, int (*tick)(int readable))
{
	struct pollfd p[2 + NCONN];
	struct conn *x;
	int i, w, r = -EX_TIMEOUT, s;

	while ((w = ms_left(end))) {
		w = dial(w);
		p[0].fd = lfd, p[0].events = POLLIN;
		p[1].fd = fd, p[1].events = POLLIN;
		for (i = 0; i < NCONN; i++) {
			x = &c[i];
			p[2 + i].fd = x->fd;
			p[2 + i].events = x->st == CONNECTING ? POLLOUT : POLLIN;
			if (x->fd >= 0) w = ms_cap(x->until, w);
		}
		sig_wait(p, 2 + NCONN, w);
		if ((s = tick(p[1].revents))) {
			r = s;
			break;
		}
		for (i = 0; i < NCONN; i++) {
			x = &c[i];
			if (x->fd >= 0 && p[2 + i].revents && (s = step(x)) >= 0) {
				r = s;
				goto out;
			}
			if (x->fd >= 0 && !ms_left(x->until)) drop(x, ETIMEDOUT);
		}
		if (p[0].revents && take()) {
			say("out of file descriptors (ulimit -n)");
			r = -EX_SYS;
			break;
		}
	}
out:
	meet_end();
	return r;
}

/* Writes what became of each target tried, as "to ADDR port N: what,
 * ...", or "tried nothing", to out (cap bytes, NUL-terminated). */
void meet_tried(char *out, size_t cap)
{
	struct target *t;
	char *p = out;

	put(out, "tried nothing");
	for (t = tg; t < tg + ntg && p + 84 < out + cap; t++) {
		if (!t->err) continue;
		p = put(p, p == out ? "to " : ", to ");
		p += addr_text(p, &t->a);
		p = put(put(p, ": "), err_text(t->err));
	}
}
