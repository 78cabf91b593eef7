/* local.c: the local end.  It listens, starts the login command (which
 * starts the far end), waits for the one connection that proves it knows
 * the secret, then runs the input and output parts on it and waits for all
 * three parts (input, remote, output) to end, bounding every wait that
 * depends on the far side. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sp.h"

#define NSLOT 16		/* connections heard at once before the right one */
#define SLOT_MS 2000		/* a connection has this long to prove itself */

enum { IN, REM, OUT };		/* the parts, left to right as in a pipeline */

static struct slot {
	int fd;
	unsigned len;
	long long until;
	char buf[HELLO_LEN + PROOF_LEN];	/* the hello, then the far end's proof */
	char nonce[NONCE_HEX];			/* ours, in the challenge */
} slot[NSLOT];
#define CHALLENGED(i) (slot[i].len >= HELLO_LEN)	/* answered, proof owed */

static unsigned char key[SECRET_LEN];
static char cfg[1024];		/* our line to the far end, to know its echo */
static size_t cfglen;
static pid_t part[3], login;
static int st[3] = { -1, -1, -1 }, login_st = -1, wrong_secret;
static int lin = -1, lout = -1;	/* the login command's stdin and stdout */
static char line[sizeof cfg];
static size_t linelen;
static long long t0;

/* Reaps every child that has ended, recording its status. */
static void reap(void)
{
	pid_t p;
	int ws, i;

	sig_chld = 0;
	while ((p = waitpid(-1, &ws, WNOHANG)) > 0) {
		if (p == login) login = 0, login_st = exit_code(ws);
		for (i = 0; i < 3; i++)
			if (p == part[i]) part[i] = 0, st[i] = exit_code(ws);
	}
}

/* Takes one line the login command printed (a terminal's "\r" dropped):
 * the far end's status record, or a terminal's echo of our line (dropped:
 * it holds the secret), or anything else, which goes to stderr unchanged. */
static void take_line(int nl)
{
	char want[TAG_HEX];
	int s = -1;

	if (nl && linelen && line[linelen - 1] == '\r') linelen--;
	/* a record is "<tag> socketpipe-status N", the tag made with the
	 * secret: nothing else the login prints (motd, .bashrc) passes */
	if (nl && linelen > TAG_HEX + 1 && line[TAG_HEX] == ' ' &&
	    (s = status_line(line + TAG_HEX + 1, linelen - TAG_HEX - 1)) >= 0) {
		make_tag(want, key, 'S', line + TAG_HEX + sizeof STATUS_TAG, linelen - TAG_HEX - sizeof STATUS_TAG);
		if (!same_bytes(want, line, TAG_HEX)) s = -1;
	}
	if (s >= 0) {
		st[REM] = s;
	} else if (nl && linelen == cfglen - 1 && !memcmp(line, cfg, linelen)) {
		;	/* the echo of our line */
	} else if (linelen) {
		line[linelen++] = '\n';
		write_all(2, line, linelen - !nl);
	}
	linelen = 0;
}

/* Reads what the login command printed so far; closes lout at EOF. */
static void login_output(void)
{
	char b[256];
	ssize_t k, i;

	while ((k = read(lout, b, sizeof b)) != 0) {
		if (k < 0) {
			if (errno == EAGAIN) return;
			break;
		}
		for (i = 0; i < k; i++) {
			if (b[i] == '\n') take_line(1);
			else if ((line[linelen++] = b[i]), linelen == sizeof line - 1) take_line(0);
		}
	}
	if (linelen) take_line(0);
	close(lout);
	lout = -1;
}

/* Closes slot i.  One that was challenged and leaves without its proof
 * counts as a wrong secret (a far end with another secret does so). */
static void drop(int i)
{
	wrong_secret |= CHALLENGED(i);
	close(slot[i].fd);
	slot[i].fd = -1;
}

/* Writes slot s's tag of kind, over its hello's nonce and ours, to out. */
static void slot_tag(struct slot *s, int kind, char *out)
{
	char m[2 * NONCE_HEX];

	memcpy(m, s->buf + sizeof HELLO_MAGIC - 1, NONCE_HEX);
	memcpy(m + NONCE_HEX, s->nonce, NONCE_HEX);
	make_tag(out, key, kind, m, sizeof m);
}

/* Answers the complete hello in slot s with our nonce and our proof;
 * returns 0, or -1. */
static int challenge(struct slot *s)
{
	char chal[CHAL_LEN];

	if (make_nonce(s->nonce)) return -1;
	memcpy(chal, s->nonce, NONCE_HEX);
	slot_tag(s, 'L', chal + NONCE_HEX);
	chal[CHAL_LEN - 1] = '\n';
	/* a fresh socket's buffer takes it whole */
	return send(s->fd, chal, CHAL_LEN, 0) == CHAL_LEN ? 0 : -1;
}

/* Returns 1 when the proof after the hello in slot s is the far end's. */
static int proven(struct slot *s)
{
	char want[TAG_HEX];

	slot_tag(s, 'F', want);
	return same_bytes(want, s->buf + HELLO_LEN, TAG_HEX) & (s->buf[HELLO_LEN + TAG_HEX] == '\n');
}

/* Reads what slot i has sent: a hello is answered, a proof checked;
 * returns the slot's fd once it has proven itself (emptying the slot),
 * else -1. */
static int hear(int i)
{
	struct slot *s = &slot[i];
	size_t want = s->len < HELLO_LEN ? HELLO_LEN : sizeof s->buf;
	ssize_t k = recv(s->fd, s->buf + s->len, want - s->len, 0);
	int fd = s->fd;

	if (k < 0 && errno == EAGAIN) return -1;
	if (k > 0) s->len += k;
	if (k <= 0 || hello_check(s->buf, s->len < HELLO_LEN ? s->len : HELLO_LEN) < 0 ||
	    (s->len == HELLO_LEN && challenge(s))) {
		drop(i);
		return -1;
	}
	if (s->len < sizeof s->buf) return -1;
	if (!proven(s)) {
		drop(i);
		return -1;
	}
	s->fd = -1;
	return fd;
}

/* Returns the slot to evict first, or -1 when none is open: the oldest of
 * those that have not said a whole hello, else the oldest (the far end
 * answers its challenge within a round trip: a crowd must not push it out
 * while it does). */
static int oldest(void)
{
	int i, j = -1;

	for (i = 0; i < NSLOT; i++) {
		if (slot[i].fd < 0) continue;
		if (j < 0 || CHALLENGED(i) < CHALLENGED(j) ||
		    (CHALLENGED(i) == CHALLENGED(j) && slot[i].until < slot[j].until))
			j = i;
	}
	return j;
}

/* Accepts what is waiting on the listener into the slots, evicting the
 * oldest when all are taken, or when the descriptor limit is reached (the
 * far end says hello at once, so a crowd of silent connections only
 * pushes out its own kind); returns a socket that has already proven
 * itself, -1, or -2 when no descriptor is left for even one connection. */
static int take(int lfd)
{
	int fd, i, n;

	for (n = 0; n < 4 * NSLOT; n++) {
		if ((fd = sys_accept(lfd)) < 0) {
			if (errno != EMFILE && errno != ENFILE) break;
			if ((i = oldest()) < 0) return -2;
			drop(i);	/* out of descriptors: the oldest makes room */
			continue;
		}
		for (i = 0; i < NSLOT && slot[i].fd >= 0; i++)
			;
		if (i == NSLOT) drop(i = oldest());
		slot[i].fd = fd;
		slot[i].len = 0;
		slot[i].until = now_ms() + SLOT_MS;
		if ((fd = hear(i)) >= 0) return fd;
	}
	return -1;
}

/* Waits for the far end to connect back and prove itself before deadline;
 * returns the socket, or minus our exit status after saying why. */
static int await_far(int lfd, long long deadline, unsigned long timeout)
{
	struct pollfd p[2 + NSLOT];
	int i, fd, w;

	for (i = 0; i < NSLOT; i++) slot[i].fd = -1;
	for (;;) {
		w = ms_left(deadline);
		p[0].fd = lfd, p[0].events = POLLIN;
		p[1].fd = lout, p[1].events = POLLIN;
		for (i = 0; i < NSLOT; i++) {
			p[2 + i].fd = slot[i].fd, p[2 + i].events = POLLIN;
			if (slot[i].fd >= 0) w = ms_cap(slot[i].until, w);
		}
		sig_wait(p, 2 + NSLOT, w);
		if (sig_got) return -(128 + sig_got);
		if (lout >= 0 && p[1].revents) login_output();
		for (i = 0; i < NSLOT; i++) {
			if (slot[i].fd >= 0 && p[2 + i].revents && (fd = hear(i)) >= 0) return fd;
			if (slot[i].fd >= 0 && !ms_left(slot[i].until)) drop(i);
		}
		if (p[0].revents && (fd = take(lfd)) != -1) {
			if (fd >= 0) return fd;
			say("no file descriptor left for the far end's connection (ulimit -n)");
			return -EX_SYS;
		}
		if (sig_chld) reap();
		if (!login) {
			if (lout >= 0) login_output();
			/* the far end's own failures: it said why */
			if (login_st == EX_TIMEOUT || login_st == EX_AUTH || login_st == EX_NOSTDIN) return -login_st;
			say("the login command ended (status %u) before the far end connected back%s",
			    login_st, login_st == 127 ? "; is socketpipe on the far PATH?" : "");
			return -EX_LOGIN;
		}
		if (!ms_left(deadline)) {
			if (wrong_secret) {
				say("only connections with a wrong secret came within %u s", (unsigned)timeout);
				return -EX_AUTH;
			}
			say("no connection from the far end within %u s", (unsigned)timeout);
			return -EX_TIMEOUT;
		}
	}
}

/* The TCP states (as bits) after our FIN was acknowledged, and after the
 * peer's was taken. */
#define FIN_SENT (1 << TCP_FIN_WAIT2 | 1 << TCP_TIME_WAIT | 1 << TCP_CLOSE)
#define FIN_TAKEN (1 << TCP_TIME_WAIT | 1 << TCP_CLOSE | 1 << TCP_CLOSE_WAIT | 1 << TCP_LAST_ACK | 1 << TCP_CLOSING)

/* Prints the bytes moved each way, read from the socket so the data path
 * is not touched, and the rate. */
static void progress(int sock)
{
	unsigned long long out = 0, in = 0, big;
	unsigned ms = now_ms() - t0;
	unsigned long r = 0, rem;
	int s;

	if (tcp_info(sock) == sizeof ti) {
		/* the counters include the handshake, and each FIN once it is
		 * acknowledged (sent) or taken (received) */
		s = 1 << TI_STATE(&ti);
		out = TI_BYTES_ACKED(&ti) - CHAL_LEN - ACK_LEN - !!(s & FIN_SENT);
		in = TI_BYTES_RECEIVED(&ti) - HELLO_LEN - PROOF_LEN - !!(s & FIN_TAKEN);
		if ((long long)out < 0) out = 0;
		if ((long long)in < 0) in = 0;
	}
	big = out > in ? out : in;
	if (ms) r = udiv(big * 10000 >> 20, ms, &rem);	/* tenths of MiB/s */
	say("%L bytes sent, %L received, %u.%u s, %u.%u MiB/s",
	    out, in, ms / 1000, ms % 1000 / 100, (unsigned)(r / 10), (unsigned)(r % 10));
}

/* What run() has seen of the parts and the socket. */
static int in_done, out_done, unread, watch;
static long long waiting;	/* when the wait for the status began */

/* Notes the parts that have ended: the input part's end is the far
 * side's EOF; after the output part's, data that comes has no reader. */
static void note_ends(int sock)
{
	if (!part[IN] && !in_done) {
		in_done = 1;
		shutdown(sock, SHUT_WR);
	}
	if (!part[OUT] && !out_done) {
		out_done = 1;
		watch = st[REM] < 0;
	}
}

/* Once the remote status is in and the output part has ended, nobody
 * reads any more: the socket is closed both ways, so the input part gets
 * EPIPE at its next write, as a pipe's writer does, and ends on its own
 * (never by a signal of ours); our own relay of stdin stops at once. */
static void close_unread(struct opts *o, int sock)
{
	unread = 1;
	shutdown(sock, SHUT_RDWR);
	if (!o->in) stop_proc(&part[IN], &st[IN], 0, 0), st[IN] = 0;
}

/* Throws away data that comes after the output part ended.  Half-closed
 * both ways, the socket answers the remote's next segment with a reset,
 * so its writes fail as into a closed pipe; what is queued goes, so that
 * a next segment can come (a full window would stall it). */
static void drain(int sock)
{
	char b[8192];
	ssize_t k;

	if (watch == 1 && recv(sock, b, 1, MSG_PEEK | MSG_DONTWAIT) > 0)
		watch = 2, shutdown(sock, SHUT_RDWR);
	if (watch == 1 || (k = recv(sock, b, sizeof b, MSG_DONTWAIT)) == 0 || (k < 0 && errno != EAGAIN))
		watch = 0;
}

/* Returns EX_LOGIN, after one line saying why, when the far end is lost:
 * the login ended without a status, the link is dead, or no status came
 * and nothing was heard from the far end for -t (its socket answers
 * keepalives while it lives, however long the remote command takes);
 * else 0. */
static int far_lost(struct opts *o, int sock)
{
	const char *why;
	unsigned n = o->timeout, quiet;
	int i, k = 0;

	if (st[REM] >= 0) return 0;
	if (!login && lout < 0) {
		why = "no status, and nothing more from the far end: the login command ended (status %u)";
		n = login_st;
	} else if ((k = link_lost(sock, o->timeout)) > 0) {
		why = "the data connection is lost: the far end answered nothing for %u s";
	} else {
		k = !k;	/* ti holds TCP_INFO */
		/* a closed socket takes nothing more from an input part still
		 * running (idle, or blocked elsewhere): no reason to wait for it */
		if (!out_done || !(in_done || (k && TI_STATE(&ti) == TCP_CLOSE))) return 0;
		if (!waiting) waiting = now_ms();
		quiet = k ? TI_LAST_ACK_RECV(&ti) : now_ms() - waiting;
		if (quiet < o->timeout * 1000) return 0;
		why = "no status, and nothing from the far end for %u s: the connection or the login was lost";
	}
	/* our relays that lost the connection have said so: one reason */
	for (i = IN; i <= OUT; i += 2)
		if (!(i == IN ? o->in : o->out)) stop_proc(&part[i], &st[i], 300, 0);
	if ((o->in || st[IN] != EX_LOGIN) && (o->out || st[OUT] != EX_LOGIN)) say(why, n);
	return EX_LOGIN;
}

/* Runs the input and output parts on sock and waits until the three parts
 * have ended; returns socketpipe's own failure status, or 0. */
static int run(struct opts *o, int sock)
{
	struct winsize ws;
	int tty = o->verbose && !sysc(SYS_ioctl, 2, TIOCGWINSZ, &ws);
	int tick = o->timeout * 250 < 1000 ? o->timeout * 250 : 1000, rc;
	long long shown = 0;
	struct pollfd p[2];

	/* own process groups, so what a part leaves running is stopped with
	 * it; but an input part that reads our terminal stays in the
	 * terminal's foreground group, where reading it is allowed */
	part[IN] = o->in ? spawn("the input command ", o->in, -1, sock,
				 sysc(SYS_ioctl, 0, TIOCGWINSZ, &ws) ? SPAWN_PGRP : 0)
			 : spawn_relay(0, sock);
	part[OUT] = o->out ? spawn("the output command ", o->out, sock, -1, SPAWN_PGRP) : spawn_relay(sock, 1);
	if (part[IN] < 0 || part[OUT] < 0) {
		say("fork: %m");
		return EX_SYS;
	}
	for (;;) {
		if (sig_chld) reap();
		note_ends(sock);
		if (!login && lout >= 0) login_output();
		if (in_done && out_done && st[REM] >= 0) return 0;
		if (st[REM] >= 0 && out_done && !unread) close_unread(o, sock);
		if ((rc = far_lost(o, sock))) return rc;
		p[0].fd = lout, p[0].events = POLLIN;
		p[1].fd = watch ? sock : -1, p[1].events = POLLIN;
		sig_wait(p, 2, tick);
		if (sig_got) return 128 + sig_got;
		if (lout >= 0 && p[0].revents) login_output();
		if (watch && p[1].revents) drain(sock);
		if (tty && now_ms() - shown >= 1000) shown = now_ms(), progress(sock);
	}
}

/* Stops everything still running: the parts, then the login command, which
 * first gets its stdin closed and wait_ms to go, so the far end stops the
 * remote command; then what any of them left behind in its group. */
static void stop_all(int wait_ms)
{
	int i;

	for (i = IN; i <= OUT; i += 2) stop_proc(&part[i], &st[i], 0, 1000);
	if (lin >= 0) close(lin), lin = -1;
	stop_proc(&login, &login_st, wait_ms, 1000);
	stop_groups();
}

/* Writes our line for the far end (proto.c) into cfg. */
static void make_line(struct opts *o, const char *sec, unsigned port)
{
	char num[2][8], id[128], cands[400];
	const char *w[6];
	size_t k;
	int i;

	num[0][7] = num[1][7] = 0;
	local_addrs(cands, sizeof cands);
	machine_id(id, sizeof id);
	w[0] = sec, w[1] = utoa(num[0] + 7, port), w[2] = utoa(num[1] + 7, o->timeout);
	w[3] = o->host ? o->host : "-", w[4] = id, w[5] = *cands ? cands : "-";
	for (i = 0; i < 6; i++) {
		k = strlen(w[i]);
		memcpy(cfg + cfglen, w[i], k);
		cfglen += k;
		cfg[cfglen++] = i < 5 ? ' ' : '\n';
	}
}

/* Returns 1 when we have a controlling terminal: a login command that may
 * ask for a password there must stay in its foreground process group. */
static int have_tty(void)
{
	int fd = sys_open("/dev/tty", O_RDWR | O_NOCTTY);
	if (fd >= 0) close(fd);
	return fd >= 0;
}

/* The local end's main; returns the exit status. */
int local_main(struct opts *o)
{
	static char cmd[131072];
	static char *largv[64];
	char sec[2 * SECRET_LEN + 1], *head[] = { FAR_FORM, 0 };
	unsigned lport;
	int lfd, sock, i, rc, pin[2], pout[2];
	size_t n;

	t0 = now_ms();
	for (n = 0; o->login[n]; n++) {
		if (n >= 62) die(EX_USAGE, "-l: more than 62 words");
		largv[n] = o->login[n];
	}
	if ((lfd = listen_any(&lport)) < 0) die(EX_SYS, "cannot listen: %m");
	if (make_secret(key, sizeof key)) die(EX_SYS, "no random bytes for the secret: %m");
	hex(sec, key, SECRET_LEN);
	sec[2 * SECRET_LEN] = 0;
	make_line(o, sec, lport);
	memcpy(cmd, "exec socketpipe", 16);
	if (!(i = append_quoted(cmd, sizeof cmd, 15, head)) ||
	    !append_quoted(cmd, sizeof cmd, i, o->rem))
		die(EX_USAGE, "-r: the remote command is longer than %u bytes", (unsigned)sizeof cmd);
	largv[n] = cmd;

	sig_init();
	if (sys_pipe(pin) || sys_pipe(pout)) die(EX_SYS, "pipe: %m");
	login = spawn("the login command ", largv, pin[0], pout[1], SPAWN_CLOSE | (have_tty() ? 0 : SPAWN_PGRP));
	if (login < 0) die(EX_SYS, "fork: %m");
	close(pin[0]), close(pout[1]);
	lin = pin[1], lout = pout[0];
	set_nonblock(lout, 1);
	if (spawn_failed) {
		stop_all(1000);	/* it said why, and ends */
		return EX_LOGIN;
	}
	write_all(lin, cfg, cfglen);	/* fits the empty pipe */

	sock = await_far(lfd, t0 + o->timeout * 1000, o->timeout);
	close(lfd);
	for (i = 0; i < NSLOT; i++) if (slot[i].fd >= 0) drop(i);
	if (sock < 0) {
		/* half a second for the far end to say why it gave up */
		stop_all(500);
		return -sock;
	}
	write_all(sock, ACK, ACK_LEN);	/* the far end starts the remote command */
	tune_data_socket(sock, o->timeout);
	rc = run(o, sock);
	if (o->verbose) progress(sock);
	close(sock);
	stop_all(2000);
	if (rc) return rc;
	for (i = OUT; i >= IN; i--)
		if (st[i] > 0) return st[i];
	return 0;
}
