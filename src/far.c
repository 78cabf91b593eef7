/* far.c: the far end.  The far command line (proto.c) starts it as
 *     socketpipe -S4 [path]           (-S4e with -e; path: we were shipped
 *                                      there, and remove it)
 * It reads the local end's line from stdin (proto.c): settings, keys and
 * the remote command cmd args..., listens and reports
 * its port on stdout while it connects back (meet.c: whichever connection
 * the local end takes), runs cmd with the connection as its stdin and
 * stdout, and reports cmd's status on stdout.  socketpipe 1.x's form,
 * socketpipe -s HOST PORT cmd args..., is served too: connect and exec, no
 * secret (1.x local ends have none). */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sp.h"

#define LINE_MS 30000		/* the local end's line is there when we start */

static unsigned char key[SECRET_LEN];
static int enc;

/* Adds the targets in the order most likely to be right: -h alone when
 * given (the user's word, loopback too); else where the login came from
 * (SSH_CONNECTION, SSH_CLIENT), then the local end's own list of its
 * addresses.  Loopback counts only when here (the same machine). */
static void targets(const char *host, const char *cands, unsigned port, int here)
{
	static const char *names[] = { "SSH_CONNECTION", "SSH_CLIENT" };
	union sa a[MAXT];
	const char *e;
	int i, n;

	if (strcmp(host, "-")) {
		n = resolve(host, port, a, MAXT);
		if (!n) die(EX_LOGIN, "cannot resolve '%s' (no address, not in /etc/hosts)", host);
		for (i = 0; i < n; i++) meet_target(&a[i], 1);
		return;
	}
	for (i = 0; i < 2; i++)
		if ((e = env(names[i]))) meet_targets(e, port, here);
	if (strcmp(cands, "-")) meet_targets(cands, port, here);
}

/* Reads a line from stdin before end into b (n bytes), ended with a NUL
 * in place of its "\n" (and a terminal's "\r" before it); returns 0, or -1
 * when none comes.  Reads only what the pipe holds: the line is all the
 * local end sends before its EOF. */
static int read_line(char *b, size_t n, long long end)
{
	struct pollfd p = { 0, POLLIN, 0 };
	char *s = b, *nl;
	ssize_t k;

	while (n > 1) {
		if (poll(&p, 1, ms_left(end)) != 1) return -1;
		k = read(0, b, n - 1);
		if (k < 0 && errno == EAGAIN) continue;
		if (k <= 0) return -1;
		b += k, n -= k;
		if ((nl = memchr(s, '\n', b - s))) {
			if (nl > s && nl[-1] == '\r') nl--;
			*nl = 0;
			return 0;
		}
	}
	return -1;
}

/* Ends the meeting when stdin ends (the local end gave up) or a signal
 * comes; returns 0 to go on. */
static int far_tick(int readable)
{
	char b[64];

	if (sig_got) return -(128 + sig_got);
	return readable && read(0, b, sizeof b) <= 0 ? -EX_TIMEOUT : 0;
}

/* Writes the status record for st on the login channel. */
static void report(int st)
{
	char n[4] = "";

	put_record(key, "status", utoa(n + 3, st));
}

/* -e: writes the count record for fd: the records taken (and verified) and
 * sent, and 1 when one was altered on the way, else 0. */
static void report_count(int fd, int altered)
{
	char rec[32], *p = num_out(rec, tls_records(fd, TLS_RX), 10);

	*p++ = ' ';
	p = num_out(p, tls_records(fd, TLS_TX), 10);
	*p++ = ' ';
	*p++ = '0' + altered;
	*p = 0;
	put_record(key, "count", rec);
}

/* Runs cmd on fd and waits; returns its status after reporting it, or
 * stops it (with its whole process group) when the local end hangs up, the
 * link dies or a signal comes.  We keep our own copy of fd so that cmd's
 * exit does not close a socket with unread input: that would send a reset,
 * which destroys output still queued.  Instead we half-close, and throw
 * away what still comes until the local end closes too (or timeout). */
static int supervise(char **cmd, int fd, unsigned long timeout)
{
	struct pollfd p[2] = { { 0, POLLIN, 0 }, { -1, POLLIN, 0 } };
	int tick = timeout * 250 < 1000 ? timeout * 250 : 1000;
	long long end = 0;
	pid_t pid;
	int ws, st = -1;
	ssize_t k = 1;
	char b[4096];

	if ((pid = spawn("the remote command ", cmd, fd, fd, SPAWN_CLOSE | SPAWN_PGRP)) < 0) die(EX_SYS, "fork: %m");
	for (;;) {
		sig_wait(p, 2, end ? ms_left(end) : tick);
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
		if (pid && link_lost(fd, timeout) > 0) {
			say("the data connection is lost: no answer for %u s", (unsigned)timeout);
			stop_proc(&pid, &ws, 0, 1000);
			return EX_LOGIN;
		}
		if (end && (!ms_left(end) || (p[1].revents && (k = read(fd, b, sizeof b)) <= 0))) {
			/* -e: the drain read (and verified) what cmd left */
			if (enc) report_count(fd, k < 0 && errno == EBADMSG);
			return st;
		}
	}
}

/* Says that the far form or the local end's line is not this version's,
 * and exits. */
static _Noreturn void skew(const char *form)
{
	die(EX_USAGE, "'%s' or stdin from another socketpipe version", form);
}

/* Serves socketpipe 1.x's far form: connect to host port, exec cmd. */
static int far_legacy(char **argv)
{
	unsigned long port;
	long long end = now_ms() + DEF_TIMEOUT * 1000;
	char why[400];
	int fd;

	if (!argv[2] || !argv[3] || !argv[4] || parse_num(argv[3], 1, 65535, &port)) skew(argv[1]);
	targets(argv[2], "-", port, 1);
	meet_init(0, key, -1);
	if ((fd = meet(end, -1, far_tick)) < 0) {
		meet_tried(why, sizeof why);
		die(EX_TIMEOUT, "cannot connect back: %s", why);
	}
	tune_data_socket(fd, DEF_TIMEOUT);
	dup2(fd, 0), dup2(fd, 1), close(fd);
	run_path(argv + 4);
}

/* Listens on a port from lo to hi and tells the local end on the login
 * channel: the port, then every address of this machine (loopback only
 * when here; the one the login came to is among them); returns the
 * listener, or -1. */
static int far_listen(unsigned long lo, unsigned long hi, int here)
{
	char rec[MAX_RECORD], *p;
	unsigned port;
	int fd = listen_range(lo, hi, &port);

	if (fd >= 0) {
		p = num_out(rec, port, 10);
		*p++ = ' ';
		local_addrs(p, rec + sizeof rec - p, here);
		put_record(key, "port", rec);
	}
	return fd;
}

/* The far end's main; returns the exit status. */
int far_main(char **argv)
{
	static char *cmd[REM_WORDS + 1];
	char id[128], why[400], *l = wire_line, *w[12];
	unsigned long v[5] = { 0 };	/* port, secs, lo, hi, rate */
	long long end;
	int fd = -1, here, i, way;

	msg_prefix = "socketpipe (far): ";
	if (argv[1][1] == 's') return far_legacy(argv);
	enc = !strcmp(argv[1], FAR_FORM "e");
	if (!enc && strcmp(argv[1], FAR_FORM)) skew(argv[1]);
	if (argv[2]) sysc(SYS_unlinkat, AT_FDCWD, argv[2], 0);	/* shipped: nothing left behind */
	if (read_line(l, LINE_CAP, now_ms() + LINE_MS))
		die(EX_NOSTDIN, "nothing on stdin: the login did not pass it");
	/* secret port secs host id cands way lo hi rate, -e's keys, then
	 * the remote command's words */
	for (i = 0; i < (enc ? 12 : 10); i++)
		if (!(w[i] = word(&l))) skew(argv[1]);
	way = *w[6];
	if (strlen(w[0]) != 2 * SECRET_LEN || unhex(key, w[0], SECRET_LEN) ||
	    parse_num(w[1], 0, 65535, &v[0]) || parse_num(w[2], 1, 86400, &v[1]))
		skew(argv[1]);
	for (i = 0; enc && i < 2; i++)
		if (strlen(w[10 + i]) != TLS_KEY_HEX || unhex(tls_keys[i].iv_key_salt, w[10 + i], TLS_KEY_HEX / 2))
			skew(argv[1]);
	for (i = 7; i < 10; i++)
		if (parse_num(w[i], 0, 0xffffffffUL, &v[i - 5])) skew(argv[1]);
	for (i = 0; (cmd[i] = word(&l)); i++)
		if (i == REM_WORDS || *cmd[i]++ != '=' || word_in(cmd[i])) skew(argv[1]);
	if (!i) skew(argv[1]);
	if (enc) tls_on(-1, 1);
	end = now_ms() + v[1] * 1000;
	pace(-1, v[4]);
	machine_id(id, sizeof id);
	here = strcmp(id, "-") && !strcmp(id, w[4]);
	sig_init();
	if (way != 'f' && (fd = far_listen(v[2], v[3], here)) < 0 && way == 'l')
		die(EX_SYS, "cannot listen on port %u-%u: %m", (unsigned)v[2], (unsigned)v[3]);
	meet_init('F', key, fd);
	meet_tls = enc;
	if (v[0]) targets(w[3], w[5], v[0], here);
	if (!ntg && fd < 0)
		die(EX_LOGIN, "nowhere to connect back to (no -h, no SSH_CONNECTION)");
	if ((fd = meet(end, 0, far_tick)) < 0) {
		meet_tried(why, sizeof why);
		put_record(key, "tried", why);
		return -fd;
	}
	if (enc) tls_on(fd, 1);
	tune_data_socket(fd, v[1]);
	pace(fd, v[4]);
	return supervise(cmd, fd, v[1]);
}
