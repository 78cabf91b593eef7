/* knock.c: the strangers of tests/adversary.sh, each one mode.
 *   knock send  ADDR PORT TEXT BYTE_MS WAIT_MS   one connection sends TEXT
 *         (a byte each BYTE_MS, or at once for 0: garbage, a wrong magic)
 *         and waits for an answer;
 *         prints "result=refused|closed|open sent=N reply=N ms=T"
 *   knock hello ADDR PORT TAG WAIT_MS            a stranger who knows the
 *         protocol but not the secret: one connection sends a well-formed
 *         hello (fresh nonce), reads the challenge (CHAL bytes at most, for
 *         WAIT_MS), then for TAG "wrong" sends a made-up tag line (for
 *         "none", nothing) and waits WAIT_MS more; prints
 *         "result=refused|closed|open challenge=N form=ok|bad after=N ms=T"
 *         (after: bytes that came after the challenge; form: the challenge
 *         is CHAL bytes of lowercase hex and a newline)
 *   knock loris ADDR PORT N BYTE_MS HOLD_MS      N connections each send the
 *         hello's magic a byte each BYTE_MS; prints "connected C closed K
 *         maxheld MS" (how long the listener let the slowest one live)
 *   knock scan  ADDR LO HI ROUNDS                connect and close at once,
 *         every port LO..HI; prints "tried N open M first P"
 *   knock flood ADDR PORT MS MAXOPEN KIND        for MS, opens connections
 *         (silent or garbage), at most MAXOPEN open, closing the oldest;
 *         prints "opened N"
 *   knock has FILE... <PATTERN                  a stranger reading /proc:
 *         prints each FILE whose bytes hold the first line of stdin.  NUL
 *         bytes are bytes here, as they are in /proc/PID/cmdline and
 *         environ (BusyBox grep stops a line at the first NUL); the
 *         pattern comes on stdin so that it is in no argv itself.
 * Loopback only: ADDR is checked to be 127.x or ::1. */
#define _GNU_SOURCE	/* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXC 1024
/* the wire of socketpipe 2.1 (src/proto.c); written out here again, so
 * that a change there must be made here on purpose */
#define MAGIC "socketpipe3 "
#define NONCE 32	/* hex digits */
#define CHAL (NONCE + 16 + 1)	/* nonce, tag, newline */
#define PROOF (16 + 1)	/* tag, newline */

static struct sockaddr_storage to;
static socklen_t tolen;

static long long ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void target(const char *a, unsigned port)
{
	struct sockaddr_in *s4 = (void *)&to;
	struct sockaddr_in6 *s6 = (void *)&to;

	memset(&to, 0, sizeof to);
	if (inet_pton(AF_INET, a, &s4->sin_addr) == 1 && (ntohl(s4->sin_addr.s_addr) >> 24) == 127) {
		s4->sin_family = AF_INET, s4->sin_port = htons(port), tolen = sizeof *s4;
	} else if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1 && IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr)) {
		s6->sin6_family = AF_INET6, s6->sin6_port = htons(port), tolen = sizeof *s6;
	} else {
		fprintf(stderr, "knock: %s is not a loopback address\n", a);
		exit(2);
	}
}

/* Starts a non-blocking connect; returns the fd or -1. */
static int start(void)
{
	int fd = socket(to.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (void *)&to, tolen) && errno != EINPROGRESS) close(fd), fd = -1;
	return fd;
}

/* Waits up to t ms for fd's connect; returns 0 when connected. */
static int finish(int fd, int t)
{
	struct pollfd p = { fd, POLLOUT, 0 };
	int e = 0;
	socklen_t l = sizeof e;
	if (poll(&p, 1, t) != 1) return -1;
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l);
	return e ? -1 : 0;
}

/* Reads what is there; returns bytes read, 0 at EOF (or reset), -1 if none yet. */
static int peek_in(int fd, char *b, size_t n, int t)
{
	struct pollfd p = { fd, POLLIN, 0 };
	ssize_t k;
	if (poll(&p, 1, t) != 1) return -1;
	k = recv(fd, b, n, 0);
	if (k < 0 && (errno == EAGAIN || errno == EINTR)) return -1;
	return k < 0 ? 0 : (int)k;
}

static int do_send(const char *text, int byte_ms, int wait_ms)
{
	long long t0 = ms(), end;
	size_t n = strlen(text), i = 0;
	char reply[64];
	int fd = start(), got = 0, k;

	if (fd < 0 || finish(fd, 3000)) {
		printf("result=refused sent=0 reply=0 ms=%lld\n", ms() - t0);
		return 0;
	}
	while (i < n) {
		size_t m = byte_ms ? 1 : n - i;
		ssize_t w = send(fd, text + i, m, MSG_NOSIGNAL);
		if (w < 0 && errno == EAGAIN) { poll(0, 0, 10); continue; }
		if (w < 0) goto closed;
		i += w;
		if (byte_ms && i < n) {
			/* between bytes, a close by the listener ends the test */
			k = peek_in(fd, reply + got, sizeof reply - got, byte_ms);
			if (k == 0) goto closed;
			if (k > 0) got += k;
		}
	}
	for (end = ms() + wait_ms; ms() < end && got < (int)sizeof reply; ) {
		k = peek_in(fd, reply + got, sizeof reply - got, (int)(end - ms()));
		if (k == 0) goto closed;
		if (k > 0) got += k;
	}
	printf("result=open sent=%zu reply=%d ms=%lld\n", i, got, ms() - t0);
	return 0;
closed:
	printf("result=closed sent=%zu reply=%d ms=%lld\n", i, got, ms() - t0);
	return 0;
}

/* Fills out with n random lowercase hex digits. */
static void randhex(char *out, size_t n)
{
	unsigned char r[64];
	size_t i;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || n > sizeof r || read(fd, r, n) != (ssize_t)n) {
		fprintf(stderr, "knock: no random bytes\n");
		exit(2);
	}
	close(fd);
	for (i = 0; i < n; i++) out[i] = "0123456789abcdef"[r[i] & 15];
}

/* Reads into b until it holds want bytes, the peer closes, or t ms pass;
 * returns the bytes read, and *eof = 1 if the peer closed. */
static int read_upto(int fd, char *b, int want, int t, int *eof)
{
	long long end = ms() + t;
	int got = 0, k;

	*eof = 0;
	while (got < want && ms() < end) {
		k = peek_in(fd, b + got, want - got, (int)(end - ms()));
		if (k == 0) { *eof = 1; break; }
		if (k > 0) got += k;
	}
	return got;
}

static int do_hello(const char *tag, int wait_ms)
{
	long long t0 = ms(), end;
	char hello[sizeof MAGIC - 1 + NONCE + 1], chal[CHAL], proof[PROOF], after[4096];
	int fd = start(), got, more = 0, eof, form = 1, i;

	if (fd < 0 || finish(fd, 3000)) {
		printf("result=refused challenge=0 form=bad after=0 ms=%lld\n", ms() - t0);
		return 0;
	}
	memcpy(hello, MAGIC, sizeof MAGIC - 1);
	randhex(hello + sizeof MAGIC - 1, NONCE);
	hello[sizeof hello - 1] = '\n';
	/* (a send into a connection the listener closed fails: that is a close) */
	if (send(fd, hello, sizeof hello, MSG_NOSIGNAL) != (ssize_t)sizeof hello) eof = 1, got = 0;
	else got = read_upto(fd, chal, CHAL, wait_ms, &eof);
	for (i = 0; i < got; i++)
		if (i == CHAL - 1 ? chal[i] != '\n' : !strchr("0123456789abcdef", chal[i]) || !chal[i]) form = 0;
	if (got < CHAL) form = 0;
	if (!eof && !strcmp(tag, "wrong")) {
		randhex(proof, PROOF - 1);
		proof[PROOF - 1] = '\n';
		if (send(fd, proof, sizeof proof, MSG_NOSIGNAL) != (ssize_t)sizeof proof) eof = 1;
	}
	/* whatever comes now, before the close, is more than a stranger may get */
	for (end = ms() + wait_ms; !eof && ms() < end; )
		more += read_upto(fd, after, sizeof after, (int)(end - ms()), &eof);
	printf("result=%s challenge=%d form=%s after=%d ms=%lld\n", eof ? "closed" : "open", got,
	       form ? "ok" : "bad", more, ms() - t0);
	close(fd);
	return 0;
}

static int do_loris(int n, int byte_ms, int hold_ms)
{
	static struct pollfd p[MAXC];
	static long long born[MAXC];
	static const char magic[] = MAGIC "0123456789abcdef0123456789abcdef";
	long long end, next, maxheld = 0, t0 = ms();
	int i, up = 0, closed = 0, pos = 0;
	char c;

	if (n > MAXC) n = MAXC;
	for (i = 0; i < n; i++) p[i].fd = start(), p[i].events = POLLOUT;
	for (end = ms() + 3000; ms() < end; ) {
		int waiting = 0;
		for (i = 0; i < n; i++) if (p[i].fd >= 0 && p[i].events == POLLOUT) waiting = 1;
		if (!waiting || poll(p, n, (int)(end - ms())) <= 0) break;
		for (i = 0; i < n; i++)
			if (p[i].fd >= 0 && p[i].events == POLLOUT && p[i].revents) {
				p[i].events = POLLIN, born[i] = ms(), up++;
				if (finish(p[i].fd, 0)) close(p[i].fd), p[i].fd = -1, up--;
			}
	}
	for (i = 0; i < n; i++) if (p[i].fd >= 0 && p[i].events == POLLOUT) close(p[i].fd), p[i].fd = -1;
	printf("connected %d\n", up);
	fflush(stdout);
	for (end = ms() + hold_ms, next = ms(); ms() < end && closed < up; ) {
		if (ms() >= next) {
			for (i = 0; i < n; i++)
				if (p[i].fd >= 0) send(p[i].fd, magic + pos % (sizeof magic - 1), 1, MSG_NOSIGNAL);
			pos++, next += byte_ms;
		}
		if (poll(p, n, (int)((next < end ? next : end) - ms())) <= 0) continue;
		for (i = 0; i < n; i++) {
			if (p[i].fd < 0 || !p[i].revents) continue;
			if (recv(p[i].fd, &c, 1, 0) <= 0) {
				if (ms() - born[i] > maxheld) maxheld = ms() - born[i];
				close(p[i].fd), p[i].fd = -1, closed++;
			}
		}
	}
	for (i = 0; i < n; i++)
		if (p[i].fd >= 0) maxheld = ms() - born[i], close(p[i].fd);
	printf("connected %d closed %d maxheld %lld ms %lld\n", up, closed, maxheld, ms() - t0);
	return 0;
}

static int do_scan(unsigned lo, unsigned hi, int rounds, const char *addr)
{
	int r, open = 0, tried = 0, fd;
	unsigned port, first = 0;
	struct sockaddr_storage me;
	socklen_t ml;

	for (r = 0; r < rounds; r++)
		for (port = lo; port <= hi; port++) {
			target(addr, port);
			if ((fd = start()) < 0) continue;
			tried++;
			ml = sizeof me;
			/* a connect to our own ephemeral port meets itself
			 * (simultaneous open): that is no listener */
			if (!finish(fd, 200) && !getsockname(fd, (void *)&me, &ml) &&
			    ((struct sockaddr_in *)&me)->sin_port != htons(port)) {
				if (!open++) first = port;
			}
			close(fd);
		}
	printf("tried %d open %d first %u\n", tried, open, first);
	return 0;
}

static int do_flood(int dur, int maxopen, const char *kind)
{
	static int ring[MAXC];
	long long end = ms() + dur;
	int head = 0, count = 0, opened = 0, fd;

	if (maxopen > MAXC) maxopen = MAXC;
	while (ms() < end) {
		if (count == maxopen) close(ring[head]), head = (head + 1) % maxopen, count--;
		if ((fd = start()) < 0) { poll(0, 0, 5); continue; }
		if (!strcmp(kind, "garbage") && !finish(fd, 100))
			send(fd, "GET / HTTP/1.0\r\n\r\n", 18, MSG_NOSIGNAL);
		ring[(head + count) % maxopen] = fd, count++, opened++;
		if (opened % 50 == 0) poll(0, 0, 1);
	}
	printf("opened %d\n", opened);
	return 0;
}

static int do_has(int n, char **files)
{
	static char pat[256], buf[1 << 20];
	size_t m, got;
	ssize_t k;
	int fd;

	if (!fgets(pat, sizeof pat, stdin) || !(m = strcspn(pat, "\n"))) {
		fprintf(stderr, "knock: no pattern on stdin\n");
		return 2;
	}
	for (; n--; files++) {
		if ((fd = open(*files, O_RDONLY | O_CLOEXEC)) < 0) continue;	/* gone, or not ours to read */
		for (got = 0; got < sizeof buf && (k = read(fd, buf + got, sizeof buf - got)) > 0; ) got += k;
		close(fd);
		if (got >= m && memmem(buf, got, pat, m)) printf("%s\n", *files);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 7 && !strcmp(argv[1], "send")) {
		target(argv[2], atoi(argv[3]));
		return do_send(argv[4], atoi(argv[5]), atoi(argv[6]));
	}
	if (argc >= 6 && !strcmp(argv[1], "hello")) {
		target(argv[2], atoi(argv[3]));
		return do_hello(argv[4], atoi(argv[5]));
	}
	if (argc >= 7 && !strcmp(argv[1], "loris")) {
		target(argv[2], atoi(argv[3]));
		return do_loris(atoi(argv[4]), atoi(argv[5]), atoi(argv[6]));
	}
	if (argc >= 6 && !strcmp(argv[1], "scan"))
		return do_scan(atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), argv[2]);
	if (argc >= 7 && !strcmp(argv[1], "flood")) {
		target(argv[2], atoi(argv[3]));
		return do_flood(atoi(argv[4]), atoi(argv[5]), argv[6]);
	}
	if (argc >= 2 && !strcmp(argv[1], "has")) return do_has(argc - 2, argv + 2);
	fprintf(stderr, "usage: see the top of knock.c\n");
	return 2;
}
