/* local.c: the local end.  It listens, starts the login command (which
 * starts the far end), waits for the one connection that knows the secret,
 * then runs the input and output parts on it and waits for all three parts
 * (input, remote, output) to end, bounding every wait that depends on the
 * far side. */
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
#define SLOT_MS 2000		/* a connection has this long to say its hello */
#define GRACE_MS 2000		/* input part's time to end once nobody reads */

enum { IN, REM, OUT };		/* the parts, left to right as in a pipeline */

static struct slot {
	int fd;
	unsigned len;
	long long until;
	char buf[HELLO_LEN];
} slot[NSLOT];

static char hello[HELLO_LEN];
static pid_t part[3], login;
static int st[3] = { -1, -1, -1 }, login_st = -1, wrong_secret;
static int lin = -1, lout = -1;	/* the login command's stdin and stdout */
static char line[512];
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

/* Takes one line the login command printed: the far end's status record,
 * or anything else, which goes to stderr unchanged. */
static void take_line(int nl)
{
	/* a record is "<secret> socketpipe-status N": nothing else the login
	 * prints (motd, .bashrc) can pass for one */
	const char *sec = hello + sizeof HELLO_MAGIC - 1;
	int s = linelen > 2 * SECRET_LEN && line[2 * SECRET_LEN] == ' ' &&
		!memcmp(line, sec, 2 * SECRET_LEN) ?
		status_line(line + 2 * SECRET_LEN + 1, linelen - 2 * SECRET_LEN - 1) : -1;
	if (s >= 0 && nl) {
		st[REM] = s;
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

/* Closes slot i. */
static void drop(int i)
{
	close(slot[i].fd);
	slot[i].fd = -1;
}

/* Reads what slot i has sent; returns its fd once its hello is right
 * (emptying the slot), else -1. */
static int hear(int i)
{
	struct slot *s = &slot[i];
	ssize_t k = recv(s->fd, s->buf + s->len, HELLO_LEN - s->len, 0);
	int fd = s->fd, c;

	if (k < 0 && errno == EAGAIN) return -1;
	if (k <= 0) {
		drop(i);
		return -1;
	}
	s->len += k;
	c = hello_check(s->buf, s->len, hello);
	if (c < 0) {
		if (s->len == HELLO_LEN) wrong_secret = 1;
		drop(i);
	}
	if (c <= 0) return -1;
	s->fd = -1;
	return fd;
}

/* Accepts what is waiting on the listener into the slots, evicting the
 * oldest when all are taken (the far end sends its hello at once, so a
 * crowd of silent connections only pushes out its own kind); returns a
 * socket whose hello is already right, or -1. */
static int take(int lfd)
{
	int fd, i, j, n;

	for (n = 0; n < 4 * NSLOT && (fd = sys_accept(lfd)) >= 0; n++) {
		for (i = j = 0; i < NSLOT && slot[i].fd >= 0; i++)
			if (slot[i].until < slot[j].until) j = i;
		if (i == NSLOT) drop(i = j);
		slot[i].fd = fd;
		slot[i].len = 0;
		slot[i].until = now_ms() + SLOT_MS;
		if ((fd = hear(i)) >= 0) return fd;
	}
	return -1;
}

/* Waits for the far end to connect back with the secret before deadline;
 * returns the socket, or exits with a reason. */
static int await_far(int lfd, long long deadline, unsigned long timeout)
{
	struct pollfd p[2 + NSLOT];
	int n, i, fd, w;

	for (i = 0; i < NSLOT; i++) slot[i].fd = -1;
	for (;;) {
		n = 0, w = ms_left(deadline);
		p[n].fd = lfd, p[n++].events = POLLIN;
		p[n].fd = lout, p[n++].events = POLLIN;
		for (i = 0; i < NSLOT; i++) {
			p[n].fd = slot[i].fd, p[n++].events = POLLIN;
			if (slot[i].fd >= 0) w = ms_cap(slot[i].until, w);
		}
		sig_wait(p, n, w);
		if (sig_got) return -1;
		if (lout >= 0 && p[1].revents) login_output();
		for (i = 0; i < NSLOT; i++) {
			if (slot[i].fd >= 0 && p[2 + i].revents && (fd = hear(i)) >= 0) return fd;
			if (slot[i].fd >= 0 && !ms_left(slot[i].until)) drop(i);
		}
		if (p[0].revents && (fd = take(lfd)) >= 0) return fd;
		if (sig_chld) reap();
		if (!login) {
			if (lout >= 0) login_output();
			if (login_st == 122 || login_st == 123) return -login_st;
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

/* The kernel's struct tcp_info up to tcpi_bytes_received (Linux 4.1), by
 * offset: libcs' headers disagree on how much of it they know. */
static union {
	uint64_t q[17];
	uint32_t w[34];
	unsigned char state;
} ti;

/* Reads the socket's TCP_INFO into ti; returns how many bytes the kernel
 * filled in (0 on failure; 4 under qemu-user, which passes only an int). */
static socklen_t tcp_info(int sock)
{
#ifndef SP_NO_TCPINFO
	socklen_t n = sizeof ti;
	if (!getsockopt(sock, IPPROTO_TCP, TCP_INFO, &ti, &n)) return n;
#else
	(void)sock;
#endif
	return 0;
}

/* Prints the bytes moved each way, read from the socket so the data path
 * is not touched, and the rate. */
static void progress(int sock)
{
	unsigned long long out = 0, in = 0, big;
	unsigned ms = now_ms() - t0;
	unsigned long r = 0, rem;

	if (tcp_info(sock) == sizeof ti) {
		/* the counters include the hello, the "ok", and each FIN once
		 * it is acknowledged (sent) or taken (received) */
		out = ti.q[15] - ACK_LEN - (ti.state >= 5 && ti.state <= 7);
		in = ti.q[16] - HELLO_LEN - (ti.state >= 6 && ti.state != 10);
		if ((long long)out < 0) out = 0;
		if ((long long)in < 0) in = 0;
	}
	big = out > in ? out : in;
	if (ms) r = udiv(big * 10000 >> 20, ms, &rem);	/* tenths of MiB/s */
	say("%L bytes sent, %L received, %u.%u s, %u.%u MiB/s",
	    out, in, ms / 1000, ms % 1000 / 100, (unsigned)(r / 10), (unsigned)(r % 10));
}

/* Runs the input and output parts on sock and waits until the three parts
 * have ended; returns socketpipe's own failure status, or 0. */
static int run(struct opts *o, int sock)
{
	long long grace = 0, report = 0, tick = 0;
	struct winsize ws;
	int in_done = 0, out_done = 0, watch = 0, w, n, k, tty = o->verbose && !sysc(SYS_ioctl, 2, TIOCGWINSZ, &ws);
	struct pollfd p[2];
	char b[8192];

	part[IN] = o->in ? spawn(o->in, -1, sock, 0) : spawn_relay(0, sock);
	part[OUT] = o->out ? spawn(o->out, sock, -1, 0) : spawn_relay(sock, 1);
	if (part[IN] < 0 || part[OUT] < 0) {
		say("fork: %m");
		return EX_SYS;
	}
	for (;;) {
		if (sig_chld) reap();
		if (!part[IN] && !in_done) {
			in_done = 1;
			shutdown(sock, SHUT_WR);	/* the input part's EOF */
		}
		if (!part[OUT] && !out_done) {
			out_done = 1;
			watch = st[REM] < 0;
		}
		if (!login && lout >= 0) login_output();
		if (st[REM] < 0 && !login && lout < 0) {
			say("the far end was lost (login command status %u)", login_st);
			return EX_LOGIN;
		}
		if (in_done && out_done && st[REM] >= 0) return 0;
		if (st[REM] >= 0 && out_done && !grace) {
			/* nobody reads any more: the input part ends as in a pipe */
			grace = now_ms() + GRACE_MS;
			shutdown(sock, SHUT_RDWR);
			if (!o->in) stop_proc(&part[IN], &st[IN], 0, 0), st[IN] = 0;
			continue;
		}
		if (grace && !ms_left(grace)) stop_proc(&part[IN], &st[IN], 0, 1000);
		if (out_done && !report) {
			/* ti up to tcpi_last_ack_recv, the ms since the peer sent
			 * anything (every segment carries an ack): a peer silent
			 * that long has used up that much of -t already */
			k = tcp_info(sock) >= 60;
			/* a closed socket takes nothing more from an input part
			 * still running (idle, or blocked elsewhere): no reason to
			 * wait for it to find out by writing */
			if (in_done || (k && ti.state == TCP_CLOSE))
				report = now_ms() + o->timeout * 1000 - (k ? ti.w[14] : 0);
		}
		if (report && !ms_left(report)) {
			/* our relay that lost the connection has said so: one reason */
			if ((o->in || st[IN] != EX_LOGIN) && (o->out || st[OUT] != EX_LOGIN))
				say("no status, and nothing from the far end for %u s:"
				    " the connection or the login was lost", (unsigned)o->timeout);
			return EX_LOGIN;
		}
		n = 0, w = -1;
		p[n].fd = lout, p[n++].events = POLLIN;
		p[n].fd = watch ? sock : -1, p[n++].events = POLLIN;
		if (grace) w = ms_left(grace);
		if (report) w = ms_cap(report, w);
		if (tty && (w < 0 || w > 1000)) w = 1000;
		sig_wait(p, n, w);
		if (sig_got) return 128 + sig_got;
		if (lout >= 0 && p[0].revents) login_output();
		if (watch && p[1].revents) {
			/* Data after the output part ended: nobody will read it.
			 * Half-closed both ways, the socket answers the remote's
			 * next segment with a reset, so its writes fail as into a
			 * closed pipe; we throw away what is queued so that a
			 * next segment can come (a full window would stall it). */
			if (watch == 1 && recv(sock, b, 1, MSG_PEEK | MSG_DONTWAIT) > 0)
				watch = 2, shutdown(sock, SHUT_RDWR);
			if (watch == 1 || recv(sock, b, sizeof b, MSG_DONTWAIT) == 0 ||
			    errno != EAGAIN)
				watch = 0;
		}
		if (tty && now_ms() - tick >= 1000) tick = now_ms(), progress(sock);
	}
}

/* Stops everything still running: the parts, then the login command, which
 * first gets its stdin closed and 2 s to go, so the far end stops the
 * remote command. */
static void stop_all(void)
{
	int i;

	for (i = IN; i <= OUT; i += 2) stop_proc(&part[i], &st[i], 0, 1000);
	if (lin >= 0) close(lin), lin = -1;
	stop_proc(&login, &login_st, 2000, 1000);
}

/* The local end's main; returns the exit status. */
int local_main(struct opts *o)
{
	static char cmd[131072];
	static char *largv[64];
	char cands[400], port[8], secs[8], sec[2 * SECRET_LEN + 1];
	char *head[] = { "-S", 0, 0, (char *)(o->host ? o->host : ""), cands, 0 };
	unsigned char raw[SECRET_LEN];
	unsigned lport;
	int lfd, sock, i, rc, pin[2], pout[2];
	size_t n;

	t0 = now_ms();
	for (n = 0; o->login[n]; n++) {
		if (n >= 62) die(EX_USAGE, "-l: more than 62 words");
		largv[n] = o->login[n];
	}
	if ((lfd = listen_any(&lport)) < 0) die(EX_SYS, "cannot listen: %m");
	if (make_secret(raw, sizeof raw)) die(EX_SYS, "no random bytes for the secret: %m");
	hex(sec, raw, SECRET_LEN);
	sec[2 * SECRET_LEN] = '\n';
	make_hello(hello, sec);
	port[7] = secs[7] = 0;
	head[1] = utoa(port + 7, lport);
	head[2] = utoa(secs + 7, o->timeout);
	local_addrs(cands, sizeof cands);
	memcpy(cmd, "exec socketpipe", 16);
	if (!(i = append_quoted(cmd, sizeof cmd, 15, head)) ||
	    !append_quoted(cmd, sizeof cmd, i, o->rem))
		die(EX_USAGE, "-r: the remote command is longer than %u bytes", (unsigned)sizeof cmd);
	largv[n] = cmd;

	sig_init();
	if (sys_pipe(pin) || sys_pipe(pout)) die(EX_SYS, "pipe: %m");
	login = spawn(largv, pin[0], pout[1], SPAWN_CLOSE);
	if (login < 0) die(EX_SYS, "fork: %m");
	close(pin[0]), close(pout[1]);
	lin = pin[1], lout = pout[0];
	set_nonblock(lout, 1);
	write_all(lin, sec, sizeof sec);	/* fits the empty pipe */

	sock = await_far(lfd, t0 + o->timeout * 1000, o->timeout);
	close(lfd);
	for (i = 0; i < NSLOT; i++) if (slot[i].fd >= 0) drop(i);
	if (sock < 0) {
		stop_all();
		return sig_got ? 128 + sig_got : -sock;
	}
	write_all(sock, ACK, ACK_LEN);
	tune_data_socket(sock, o->timeout);
	rc = run(o, sock);
	if (o->verbose) progress(sock);
	close(sock);
	stop_all();
	if (rc) return rc;
	for (i = OUT; i >= IN; i--)
		if (st[i] > 0) return st[i];
	return 0;
}
