/* far.c: the far end.  The login command starts it as
 *     socketpipe -S PORT TIMEOUT HOST CANDIDATES cmd args...
 * reads the secret from stdin, connects back, proves itself, runs cmd with
 * the connection as its stdin and stdout, and reports cmd's status on
 * stdout.  socketpipe 1.x's form, socketpipe -s HOST PORT cmd args..., is
 * served too: connect and exec, no secret (1.x local ends have none). */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sp.h"

#define MAXT 16
#define TRY_MS 3000		/* one connect or one wait for "ok" */

static union sa tg[MAXT];
static char label[MAXT][64];
static int ntg;
static char secret[2 * SECRET_LEN + 1];	/* as read from stdin, with its "\n" */

/* Names target i in messages by the first n bytes of s. */
static void set_label(int i, const char *s, size_t n)
{
	if (n >= sizeof label[i]) n = sizeof label[i] - 1;
	memcpy(label[i], s, n);
	label[i][n] = 0;
}

/* Adds the numeric address at s (up to a blank, comma or end) to the
 * targets; returns the length of the word. */
static size_t add_numeric(const char *s, unsigned port)
{
	size_t n = seglen(s, " ,");
	if (ntg < MAXT && n && n < sizeof label[0]) {
		set_label(ntg, s, n);
		if (!addr_parse(label[ntg], port, &tg[ntg])) ntg++;
	}
	return n;
}

/* Fills the targets in the order most likely to be right: -h alone when
 * given; else where the login came from (SSH_CONNECTION, SSH_CLIENT), then
 * the local end's own list of its addresses. */
static void targets(const char *host, const char *cands, unsigned port, long long end)
{
	static const char *names[] = { "SSH_CONNECTION", "SSH_CLIENT" };
	const char *e;
	int i, n;

	if (*host) {
		n = resolve(host, port, tg, MAXT, ms_cap(end, 5000));
		if (!n) die(EX_LOGIN, "cannot resolve '%s'", host);
		for (ntg = 0; ntg < n; ntg++) set_label(ntg, host, strlen(host));
		return;
	}
	for (i = 0; i < 2; i++)
		if ((e = env(names[i]))) add_numeric(e, port);
	while (*cands) {
		cands += add_numeric(cands, port);
		if (*cands) cands++;
	}
	if (!ntg) die(EX_LOGIN, "nowhere to connect back to: no -h, no SSH_CONNECTION, no candidates");
}

/* Reads exactly n bytes from fd before end; returns 0, or -1. */
static int read_exact(int fd, char *b, size_t n, long long end)
{
	struct pollfd p = { fd, POLLIN, 0 };
	ssize_t k;

	while (n) {
		if (poll(&p, 1, ms_left(end)) != 1) return errno = ETIMEDOUT, -1;
		k = read(fd, b, n);
		if (k < 0 && errno == EAGAIN) continue;
		if (k <= 0) return errno = k ? errno : ECONNRESET, -1;
		b += k, n -= k;
	}
	return 0;
}

/* Tries every target, round after round, until one takes our hello and
 * answers "ok" (or just connects, for a NULL hello) or end passes; returns
 * the connected socket.  Between rounds it listens to stdin: EOF there
 * means the local end gave up. */
static int connect_back(const char *hello, long long end)
{
	struct pollfd in = { hello ? 0 : -1, POLLIN, 0 };
	char ack[ACK_LEN], c;
	int i, fd, last = 0;

	while (ms_left(end)) {
		for (i = 0; i < ntg && ms_left(end); i++) {
			if ((fd = connect_bounded(&tg[i], ms_cap(end, TRY_MS))) < 0) {
				last = i;
				continue;
			}
			if (!hello)
				return fd;
			if (!write_all(fd, hello, HELLO_LEN) &&
			    !read_exact(fd, ack, ACK_LEN, now_ms() + TRY_MS) &&
			    !memcmp(ack, ACK, ACK_LEN))
				return fd;
			last = i;
			close(fd);
		}
		if (poll(&in, 1, ms_cap(end, 200)) == 1 && read(0, &c, 1) <= 0)
			die(EX_LOGIN, "the local end went away");
	}
	die(EX_TIMEOUT, "cannot connect back to %s: %m", label[last]);
}

/* Writes the status record for st on the login channel. */
static void report(int st)
{
	char rec[80] = "\n", *e = rec + sizeof rec - 1;
	char *s = utoa(e, st);
	size_t n = 1 + 2 * SECRET_LEN;

	/* the secret first: a motd or .bashrc line cannot forge the record */
	memcpy(rec + 1, secret, 2 * SECRET_LEN);
	memcpy(rec + n, " " STATUS_TAG, sizeof STATUS_TAG);
	n += sizeof STATUS_TAG;
	*e = '\n';
	memmove(rec + n, s, e + 1 - s);
	write_all(1, rec, n + (e + 1 - s));
}

/* Runs cmd on fd and waits; returns its status after reporting it, or
 * stops it (with its whole process group) when the local end hangs up or a
 * signal comes.  We keep our own copy of fd so that cmd's exit does not
 * close a socket with unread input: that would send a reset, which
 * destroys output still queued.  Instead we half-close, and throw away
 * what still comes until the local end closes too (or timeout). */
static int supervise(char **cmd, int fd, unsigned long timeout)
{
	struct pollfd p[2] = { { 0, POLLIN, 0 }, { -1, POLLIN, 0 } };
	long long end = 0;
	pid_t pid;
	int ws, st = -1;
	char b[4096];

	sig_init();
	if ((pid = spawn(cmd, fd, fd, SPAWN_CLOSE | SPAWN_PGRP)) < 0) die(EX_SYS, "fork: %m");
	for (;;) {
		sig_wait(p, 2, end ? ms_left(end) : -1);
		if (sig_got) {
			stop_proc(&pid, &ws, 0, 1000);
			return 128 + sig_got;
		}
		if (sig_chld && (sig_chld = 0, pid && waitpid(pid, &ws, WNOHANG) == pid)) {
			pid = 0;
			st = exit_code(ws);
			report(st);	/* before the EOF, so it is there when the EOF is */
			shutdown(fd, SHUT_WR);
			p[1].fd = fd;
			end = now_ms() + timeout * 1000;
		}
		if (p[0].revents && read(0, b, sizeof b) <= 0) {
			stop_proc(&pid, &ws, 0, 2000);
			return st >= 0 ? st : EX_LOGIN;	/* nobody is left to tell */
		}
		if (end && (!ms_left(end) || (p[1].revents && read(fd, b, sizeof b) <= 0)))
			return st;
	}
}

/* Serves socketpipe 1.x's far form: connect to host port, exec cmd. */
static int far_legacy(char **argv)
{
	unsigned long port;
	long long end = now_ms() + DEF_TIMEOUT * 1000;
	int fd;

	if (!argv[2] || !argv[3] || !argv[4]) die(EX_USAGE, "usage: socketpipe -s host port cmd...");
	if (parse_num(argv[3], 1, 65535, &port)) die(EX_USAGE, "bad port '%s'", argv[3]);
	targets(argv[2], "", port, end);
	fd = connect_back(0, end);
	tune_data_socket(fd, DEF_TIMEOUT);
	dup2(fd, 0), dup2(fd, 1), close(fd);
	run_path(argv + 4);
}

/* The far end's main; returns the exit status. */
int far_main(char **argv)
{
	unsigned long port, t;
	char hello[HELLO_LEN];
	long long end;
	int i;

	msg_prefix = "socketpipe (far): ";
	if (argv[1][1] == 's') return far_legacy(argv);
	for (i = 2; i < 7; i++)
		if (!argv[i]) die(EX_USAGE, "far side: missing arguments (a local socketpipe of another version?)");
	if (parse_num(argv[2], 1, 65535, &port)) die(EX_USAGE, "bad port '%s'", argv[2]);
	if (parse_num(argv[3], 1, 86400, &t)) die(EX_USAGE, "bad timeout '%s'", argv[3]);
	end = now_ms() + t * 1000;
	if (read_exact(0, secret, sizeof secret, end) || secret[2 * SECRET_LEN] != '\n')
		die(EX_AUTH, "no secret on stdin");
	make_hello(hello, secret);
	targets(argv[4], argv[5], port, end);
	i = connect_back(hello, end);
	tune_data_socket(i, t);
	return supervise(argv + 6, i, t);
}
