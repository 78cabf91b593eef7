/* local.c: the local end.  It listens, starts the login command (which
 * starts the far end), meets the far end (meet.c: the first connection,
 * either way, that proves it knows the secret), then runs the input and
 * output parts on it and waits for all three parts (input, remote, output)
 * to end, bounding every wait that depends on the far side. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sp.h"

enum { IN, REM, OUT };		/* the parts, left to right as in a pipeline */
#define TELL_MS 400		/* the end of -t, for the far end to tell what it tried */

static unsigned char key[SECRET_LEN];
#define cfg wire_line		/* our line to the far end, to know its echo */
static size_t cfglen;
static pid_t part[3], login;
static int st[3] = { -1, -1, -1 }, login_st = -1;
static int lin = -1, lout = -1;	/* the login command's stdin and stdout */
static char line[1024];
static size_t linelen;
static char far_tried[MAX_RECORD + 1];	/* what the far end tried, when it gave up */
static unsigned long far_count[3];	/* -e: records the far end took, sent; 1: one altered */
static int counted, altered, out_eof, ship_rc;
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

/* Sends the far side a socketpipe for its CPU m (it has none: its command
 * line asked, proto.c): size, the binary, its sum, then our line again, for
 * the binary to read; returns 0, or EX_LOGIN after one line when none is at
 * hand: our own executable when the CPUs match, else one installed beside
 * it, or one in the build tree it sits in. */
/* Writes v in decimal and a newline to the login command's stdin. */
static void send_num(unsigned long v)
{
	char n[24], *e = num_out(n, v, 10);

	*e++ = '\n';
	write_all(lin, n, e - n);
}

static int ship(const char *m)
{
	unsigned char b[8192];
	struct utsname u;
	char dir[400], path[512], *p, *s;
	long n = sysc(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", dir, sizeof dir - 1), k;
	unsigned long sum = 0;
	int fd = -1, i;

	/* our directory, ending in "/" */
	for (s = dir + (n > 0 ? n : 0); s > dir && s[-1] != '/'; s--)
		;
	*s = 0;
	sysc(SYS_uname, &u);
	for (i = 0; fd < 0 && !m[seglen(m, "/")] && i < 3; i++) {
		p = "/proc/self/exe";
		if (i) put(put(put(put(p = path, dir), i < 2 ? "../lib/socketpipe/" : "build/"), m), "/socketpipe");
		else if (strcmp(u.machine, m)) continue;
		fd = sys_open(p, O_RDONLY);
	}
	if (fd < 0 || (n = sysc(SYS_lseek, fd, 0, SEEK_END)) <= 0) {
		say("no socketpipe for the far CPU '%s' (looked in %s../lib/socketpipe and %sbuild)", m, dir, dir);
		return EX_LOGIN;
	}
	sysc(SYS_lseek, fd, 0, SEEK_SET);
	send_num(n);
	while ((k = read(fd, b, sizeof b)) > 0) sum = ship_sum(sum, b, k), write_all(lin, b, k);
	send_num(sum);
	close(fd);
	write_all(lin, cfg, cfglen);
	return 0;
}

/* Takes one line the login command printed (a terminal's "\r" dropped):
 * a record of the far end's (its status, its port, what it tried), or a
 * terminal's echo of our line (dropped: it holds the secret; a long one
 * comes in pieces), or the far command line asking for a binary, or
 * anything else, which goes to stderr unchanged. */
static void take_line(int nl)
{
	static int echo;
	unsigned long v;
	char *r = 0, *w;
	int kind, i;

	if (nl && linelen && line[linelen - 1] == '\r') linelen--;
	line[linelen] = 0;
	echo |= linelen >= NONCE_HEX && !memcmp(line, cfg, NONCE_HEX);
	if (echo) {
		;
	} else if (nl && (r = get_record(key, line, linelen, &kind))) {
		if (kind == 's' && !parse_num(r, 0, 255, &v)) st[REM] = v;
		if (kind == 't') memcpy(far_tried, r, strlen(r) + 1);
		if (kind == 'c') {
			for (i = 0; i < 3 && (w = word(&r)) && !parse_num(w, 0, -1UL, &far_count[i]); i++)
				;
			counted = i == 3;
		}
		/* "port addr,addr,...": our way to the far end */
		if (kind == 'p' && !parse_num(word(&r), 1, 65535, &v)) meet_targets(r, v, 1);
	} else if (nl && !memcmp(line, NEED, sizeof NEED - 1)) {
		/* echo drops the blank when uname -m printed nothing */
		r = line + sizeof NEED - 1;
		ship_rc = ship(r + (*r == ' '));
	} else if (linelen) {
		line[linelen++] = '\n';
		write_all(2, line, linelen - !nl);
	}
	echo &= !nl;
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

/* Follows the login command while the meeting goes on: its output, its
 * end, signals; returns 0 to go on, or minus our exit status after saying
 * why. */
static int local_tick(int readable)
{
	if (sig_got) return -(128 + sig_got);
	if (lout >= 0 && readable) login_output();
	if (ship_rc) return -ship_rc;
	if (sig_chld) reap();
	if (login) return 0;
	if (lout >= 0) login_output();
	/* the far end's own failures: it said why, or told us what it tried */
	if (login_st == EX_SYS || login_st == EX_TIMEOUT || login_st == EX_AUTH || login_st == EX_NOSTDIN ||
	    login_st == EX_TLS)
		return -login_st;
	say("the login command ended (status %u) before the data connection%s",
	    login_st, login_st == 127 ? "; is sh on the far PATH?" : "");
	return -EX_LOGIN;
}

/* Says why no data connection came within timeout, after closing the far
 * end's stdin and giving it the rest of -t (TELL_MS) to tell what it tried;
 * returns our exit status. */
static int no_meeting(unsigned long timeout)
{
	struct pollfd p = { lout, POLLIN, 0 };
	long long end = t0 + timeout * 1000;
	char mine[MAX_RECORD];

	close(lin), lin = -1;
	while (lout >= 0 && !*far_tried && poll(&p, 1, ms_left(end)) == 1) login_output();
	if (wrong_secret) {
		say("only connections with a wrong secret came within %u s", (unsigned)timeout);
		return EX_AUTH;
	}
	meet_tried(mine, sizeof mine);
	say("no data connection within %u s: local end %s; far end %s; a firewall on either side? (see -h, -p, -c)",
	    (unsigned)timeout, mine, *far_tried ? far_tried : "said nothing");
	return EX_TIMEOUT;
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
		/* the counters include the handshake (and our SYN when we
		 * connected), and each FIN once it is acknowledged (sent) or
		 * taken (received) */
		s = 1 << TI_STATE(&ti);
		out = TI_BYTES_ACKED(&ti) - (won_out ? 1 + HELLO_LEN + PROOF_LEN + ACK_LEN : CHAL_LEN + ACK_LEN) - !!(s & FIN_SENT);
		in = TI_BYTES_RECEIVED(&ti) - (won_out ? CHAL_LEN : HELLO_LEN + PROOF_LEN) - !!(s & FIN_TAKEN);
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
	ssize_t k;
	char c;

	if (!part[IN] && !in_done) {
		in_done = 1;
		shutdown(sock, SHUT_WR);
	}
	if (!part[OUT] && !out_done) {
		out_done = 1;
		watch = st[REM] < 0;
		/* -e: the output part read to the end (its EOF is all that is
		 * left), or stopped early by choice, or at a record that failed
		 * its check */
		k = recv(sock, &c, 1, MSG_PEEK | MSG_DONTWAIT);
		out_eof = !k;
		altered |= k < 0 && errno == EBADMSG;
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
		why = "no remote status: the login ended (status %u)";
		n = login_st;
	} else if ((k = link_lost(sock, o->timeout)) > 0) {
		why = "the data connection is lost: no answer for %u s";
	} else {
		k = !k;	/* ti holds TCP_INFO */
		/* a closed socket takes nothing more from an input part still
		 * running (idle, or blocked elsewhere): no reason to wait for it */
		if (!out_done || !(in_done || (k && TI_STATE(&ti) == TCP_CLOSE))) return 0;
		if (!waiting) waiting = now_ms();
		quiet = k ? TI_LAST_ACK_RECV(&ti) : now_ms() - waiting;
		if (quiet < o->timeout * 1000) return 0;
		why = "no remote status, nothing from the far end for %u s";
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
		if (in_done && out_done && st[REM] >= 0 && (counted || !o->enc || lout < 0)) return 0;
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

/* -e: compares the records each end sent with those the other end took
 * and verified; returns 0, or EX_TLS after one line on the first way that
 * was altered (a record failed its check) or cut short (records missing
 * though every part ended well: the stream was ended early on the way).
 * The far end read what its command left; here, an output part that
 * stopped before the end (head) chose to, and is not checked. */
static int verdict(int sock)
{
	unsigned got = far_count[0], sent = tls_records(sock, TLS_TX), i;
	/* no count from the far end counts as missing records */
	int well = !(st[IN] | st[REM] | st[OUT]), bad = far_count[2], check = 1, none = !counted;

	for (i = 0; i < 2; i++) {
		if (bad || (well && check && (got != sent || none))) {
			say("-e: data %s far end %s: %u of %u records whole",
			    i ? "from" : "to", bad ? "altered" : "cut short", got, sent);
			return EX_TLS;
		}
		/* the other way: what the far end sent, what we took */
		got = tls_records(sock, TLS_RX), sent = far_count[1], bad = altered, check = out_eof, none = 0;
	}
	return 0;
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

/* Appends word w and the byte end to our line in cfg. */
static void add(const char *w, int end)
{
	size_t k = strlen(w);

	memcpy(cfg + cfglen, w, k);
	cfglen += k;
	cfg[cfglen++] = end;
}

/* Appends v in decimal and the byte end to our line. */
static void add_num(unsigned long v, int end)
{
	cfglen = num_out(cfg + cfglen, v, 10) - cfg;
	cfg[cfglen++] = end;
}

/* Writes our line for the far end (proto.c) into cfg. */
static void make_line(struct opts *o, const char *sec, unsigned port)
{
	char id[128], cands[400], way[2] = { o->way }, *p;
	int i;

	local_addrs(cands, sizeof cands, 1);
	machine_id(id, sizeof id);
	add(sec, ' ');
	add_num(port, ' ');
	add_num(o->timeout, ' ');
	add(o->host ? o->host : "-", ' ');
	add(id, ' ');
	add(*cands ? cands : "-", ' ');
	add(way, ' ');
	add_num(o->plo, ' ');
	add_num(o->phi, ' ');
	add_num(o->rate, ' ');
	/* -e: each direction's iv, key and salt, a word each */
	for (i = 0; o->enc && i < 2; i++) {
		make_secret(tls_keys[i].iv_key_salt, TLS_KEY_HEX / 2);
		hex(cfg + cfglen, tls_keys[i].iv_key_salt, TLS_KEY_HEX / 2);
		cfglen += TLS_KEY_HEX;
		cfg[cfglen++] = ' ';
	}
	/* the remote command, never in an argv or environment there */
	for (i = 0; o->rem[i]; i++) {
		if (i == REM_WORDS || !(p = word_out(cfg + cfglen, cfg + sizeof cfg - 1, o->rem[i])))
			die(EX_USAGE, "-r: remote command over %u bytes (escaped) or %u words", LINE_CAP - 1024, REM_WORDS);
		cfglen = p - cfg;
		cfg[cfglen++] = ' ';
	}
	cfg[cfglen - 1] = '\n';
}

/* Returns 1 when we have a controlling terminal: a login command that may
 * ask for a password there must stay in its foreground process group. */
static int have_tty(void)
{
	int fd = sys_open("/dev/tty", O_RDWR | O_NOCTTY);
	if (fd >= 0) close(fd);
	return fd >= 0;
}

/* Starts the login command, which starts the far end, and gives it our
 * line; returns 0, or our exit status when it could not be run. */
static int start_login(struct opts *o, unsigned lport)
{
	static char cmd[FAR_CMD_MAX];
	static char *largv[64];
	char sec[2 * SECRET_LEN + 1];
	int pin[2], pout[2];
	size_t n;

	for (n = 0; o->login[n]; n++) {
		if (n >= 62) die(EX_USAGE, "-l: more than 62 words");
		largv[n] = o->login[n];
	}
	make_secret(key, sizeof key);
	hex(sec, key, SECRET_LEN);
	sec[2 * SECRET_LEN] = 0;
	make_line(o, sec, lport);
	far_command(cmd, o->far ? o->far : "socketpipe", o->enc ? FAR_FORM "e" : FAR_FORM, cfglen);
	largv[n] = cmd;

	if (sys_pipe(pin) || sys_pipe(pout)) die(EX_SYS, "pipe: %m");
	login = spawn("the login command ", largv, pin[0], pout[1], SPAWN_CLOSE | (have_tty() ? 0 : SPAWN_PGRP));
	if (login < 0) die(EX_SYS, "fork: %m");
	close(pin[0]), close(pout[1]);
	lin = pin[1], lout = pout[0];
	set_nonblock(lout, 1);
	if (spawn_failed) return EX_LOGIN;	/* it said why, and ends */
	write_all(lin, cfg, cfglen);	/* the login command reads it as it starts */
	return 0;
}

/* The local end's main; returns the exit status. */
int local_main(struct opts *o)
{
	unsigned lport = 0;
	int lfd = -1, sock, i, rc;

	t0 = now_ms();
	pace(-1, o->rate);
	if (o->enc) {
		tls_on(-1, 0);
		i = strlen(o->login[0]);
		if (i >= 3 && !strcmp(o->login[0] + i - 3, "rsh"))
			say("-e: rsh sends the keys in the clear");
	}
	/* no port to listen on here: the far end may still have one */
	if (o->way != 'l' && (lfd = listen_range(o->plo, o->phi, &lport)) < 0) {
		if (o->way == 'f') die(EX_SYS, "cannot listen on port %u-%u: %m", (unsigned)o->plo, (unsigned)o->phi);
		o->way = 'l';
	}
	sig_init();
	meet_init('L', key, lfd);
	meet_tls = o->enc;
	if ((rc = start_login(o, lport))) {
		stop_all(1000);
		return rc;
	}
	sock = meet(t0 + o->timeout * 1000 - TELL_MS, lout, local_tick);
	if (sock < 0) {
		/* half a second for the far end to say why it gave up (after
		 * no meeting it had the end of -t already) */
		rc = -sock;
		i = 500;
		if (rc == EX_TIMEOUT && (login || *far_tried)) rc = no_meeting(o->timeout), i = 0;
		stop_all(i);
		return rc;
	}
	if (o->enc) tls_on(sock, 0);
	pace(sock, o->rate);
	tune_data_socket(sock, o->timeout);
	rc = run(o, sock);
	if (o->verbose) progress(sock);
	if (!rc && o->enc) rc = verdict(sock);
	close(sock);
	stop_all(2000);
	if (rc) return rc;
	for (i = OUT; i >= IN; i--)
		if (st[i] > 0) return st[i];
	return 0;
}
