/* far.c: the far end.  The login command starts it as
 *     socketpipe -S3 cmd args...
 * It reads the local end's line from stdin (proto.c), connects back,
 * proves itself and checks the local end's proof, runs cmd with the
 * connection as its stdin and stdout, and reports cmd's status on stdout.
 * socketpipe 1.x's form, socketpipe -s HOST PORT cmd args..., is served
 * too: connect and exec, no secret (1.x local ends have none). */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sp.h"

#define MAXT 16
#define TRY_MS 3000		/* one connect or one wait for the challenge */
#define LINE_MS 30000		/* the local end's line is there when we start */

static union sa tg[MAXT];
static char label[MAXT][64];
static int ntg;
static unsigned char key[SECRET_LEN];

/* Names target i in messages by the first n bytes of s. */
static void set_label(int i, const char *s, size_t n)
{
	if (n >= sizeof label[i]) n = sizeof label[i] - 1;
	memcpy(label[i], s, n);
	label[i][n] = 0;
}

/* Adds the numeric address at s (up to a blank, comma or end) to the
 * targets, unless it is a loopback address and loopback is not the local
 * end's (here is 0): there, anyone on this machine could be listening.
 * Returns the length of the word. */
static size_t add_numeric(const char *s, unsigned port, int here)
{
	size_t n = seglen(s, " ,");
	if (ntg < MAXT && n && n < sizeof label[0]) {
		set_label(ntg, s, n);
		if (!addr_parse(label[ntg], port, &tg[ntg]) && (here || !is_loopback(&tg[ntg]))) ntg++;
	}
	return n;
}

/* Fills the targets in the order most likely to be right: -h alone when
 * given (the user's word, loopback too); else where the login came from
 * (SSH_CONNECTION, SSH_CLIENT), then the local end's own list of its
 * addresses. */
static void targets(const char *host, const char *cands, unsigned port, long long end, int here)
{
	static const char *names[] = { "SSH_CONNECTION", "SSH_CLIENT" };
	const char *e;
	int i, n;

	if (strcmp(host, "-")) {
		n = resolve(host, port, tg, MAXT, ms_cap(end, 5000));
		if (!n) die(EX_LOGIN, "cannot resolve '%s'", host);
		for (ntg = 0; ntg < n; ntg++) set_label(ntg, host, strlen(host));
		return;
	}
	for (i = 0; i < 2; i++)
		if ((e = env(names[i]))) add_numeric(e, port, here);
	while (*cands && strcmp(cands, "-")) {
		cands += add_numeric(cands, port, here);
		if (*cands) cands++;
	}
	if (!ntg) die(EX_LOGIN, "nowhere to connect back to: no -h, no SSH_CONNECTION, no address but loopback");
}

/* Reads n bytes from fd before end, or with line set, up to the first
 * "\n" within n - 1 (replaced with a NUL, and a terminal's "\r" before
 * it); returns 0, or -1 with errno set. */
static int read_in(int fd, char *b, size_t n, long long end, int line)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char *s = b, *nl;
	ssize_t k;

	while (n > (size_t)line) {
		if (poll(&p, 1, ms_left(end)) != 1) return errno = ETIMEDOUT, -1;
		k = read(fd, b, n - line);
		if (k < 0 && errno == EAGAIN) continue;
		if (k <= 0) return errno = k ? errno : ECONNRESET, -1;
		b += k, n -= k;
		if (line && (nl = memchr(s, '\n', b - s))) {
			if (nl > s && nl[-1] == '\r') nl--;
			*nl = 0;
			return 0;
		}
	}
	return -line;
}

/* Says hello on the connected socket fd, checks the local end's proof,
 * gives ours and waits for the local end's "ok"; returns 0, or -1 with
 * errno set (EPROTO: the peer does not know the secret). */
static int handshake(int fd)
{
	char hello[HELLO_LEN] = HELLO_MAGIC, chal[CHAL_LEN], m[2 * NONCE_HEX], want[TAG_HEX], proof[PROOF_LEN];
	char *nf = hello + sizeof HELLO_MAGIC - 1;

	if (make_nonce(nf)) die(EX_SYS, "no random bytes for a nonce: %m");
	hello[HELLO_LEN - 1] = '\n';
	if (write_all(fd, hello, HELLO_LEN) || read_in(fd, chal, CHAL_LEN, now_ms() + TRY_MS, 0)) return -1;
	memcpy(m, nf, NONCE_HEX);
	memcpy(m + NONCE_HEX, chal, NONCE_HEX);
	make_tag(want, key, 'L', m, sizeof m);
	if (!same_bytes(want, chal + NONCE_HEX, TAG_HEX) || chal[CHAL_LEN - 1] != '\n') return errno = EPROTO, -1;
	make_tag(proof, key, 'F', m, sizeof m);
	proof[TAG_HEX] = '\n';
	/* the remote command starts only once the local end has taken us: a
	 * connection it dropped (a crowd of strangers) must not run it on
	 * nothing */
	if (write_all(fd, proof, PROOF_LEN) || read_in(fd, chal, ACK_LEN, now_ms() + TRY_MS, 0)) return -1;
	return memcmp(chal, ACK, ACK_LEN) ? (errno = EPROTO, -1) : 0;
}

/* Tries every target, round after round, until one proves it is the local
 * end (or just connects, for 1.x, when legacy) or end passes; returns the
 * connected socket.  Between rounds it listens to stdin: EOF there means
 * the local end gave up.  Either failure names the last address tried and
 * what happened there. */
static int connect_back(unsigned port, long long end, int legacy)
{
	struct pollfd in = { legacy ? -1 : 0, POLLIN, 0 };
	int i, fd, last = 0, err = ETIMEDOUT;
	char c;

	while (ms_left(end)) {
		for (i = 0; i < ntg && ms_left(end); i++) {
			last = i;
			if ((fd = connect_bounded(&tg[i], ms_cap(end, TRY_MS))) >= 0) {
				if (legacy || !handshake(fd)) return fd;
				close(fd);
			}
			err = errno;
		}
		if (poll(&in, 1, ms_cap(end, 200)) == 1 && read(0, &c, 1) <= 0) break;
	}
	errno = err;
	die(ms_left(end) ? EX_LOGIN : EX_TIMEOUT, "cannot connect back to %s port %u: %m%s",
	    label[last], port, ms_left(end) ? "; the local end gave up" : "");
}

/* Writes the status record for st on the login channel. */
static void report(int st)
{
	char rec[80] = "\n", *e = rec + sizeof rec - 1;
	char *s = utoa(e, st);
	size_t n = 1 + TAG_HEX;

	/* the tag first: a motd or .bashrc line cannot forge the record */
	make_tag(rec + 1, key, 'S', s, e - s);
	memcpy(rec + n, " " STATUS_TAG, sizeof STATUS_TAG);
	n += sizeof STATUS_TAG;
	*e = '\n';
	memmove(rec + n, s, e + 1 - s);
	write_all(1, rec, n + (e + 1 - s));
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
	char b[4096];

	sig_init();
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
			say("the data connection is lost: the local end answered nothing for %u s", (unsigned)timeout);
			stop_proc(&pid, &ws, 0, 1000);
			return EX_LOGIN;
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
	targets(argv[2], "", port, end, 1);
	fd = connect_back(port, end, 1);
	tune_data_socket(fd, DEF_TIMEOUT);
	dup2(fd, 0), dup2(fd, 1), close(fd);
	run_path(argv + 4);
}

/* Says that the far form or the local end's line is not this version's,
 * and exits. */
static _Noreturn void skew(const char *form)
{
	die(EX_USAGE, "far side: '%s' or its stdin is not this version's (the local socketpipe is another version?)", form);
}

/* The far end's main; returns the exit status. */
int far_main(char **argv)
{
	static char line[1024];
	char id[128], *l = line, *sec, *p, *t, *host, *their, *cands;
	unsigned long port, secs;
	long long end;
	int fd;

	msg_prefix = "socketpipe (far): ";
	if (argv[1][1] == 's') return far_legacy(argv);
	if (strcmp(argv[1], FAR_FORM) || !argv[2]) skew(argv[1]);
	if (read_in(0, line, sizeof line, now_ms() + LINE_MS, 1))
		die(EX_NOSTDIN, "nothing on stdin: the login command did not pass stdin through");
	sec = word(&l), p = word(&l), t = word(&l), host = word(&l), their = word(&l), cands = word(&l);
	if (!cands || strlen(sec) != 2 * SECRET_LEN || unhex(key, sec, SECRET_LEN) ||
	    parse_num(p, 1, 65535, &port) || parse_num(t, 1, 86400, &secs))
		skew(argv[1]);
	end = now_ms() + secs * 1000;
	machine_id(id, sizeof id);
	targets(host, cands, port, end, strcmp(id, "-") && !strcmp(id, their));
	fd = connect_back(port, end, 0);
	tune_data_socket(fd, secs);
	return supervise(argv + 2, fd, secs);
}
