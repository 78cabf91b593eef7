/* hostile.c: a crowd of unwanted connections for the suite.
 *   hostile ADDR PORT KIND N HOLD_MS
 * opens N connections of one KIND to ADDR:PORT at once, prints "connected
 * C" for how many the listener's kernel took within 3 s (a full accept
 * queue drops the rest's SYNs), then waits up to HOLD_MS and prints
 * "challenged H" (badsecret: how many got a well-formed 49-byte
 * challenge), "answered A" (how many got a byte the listener must never
 * send them: any at all for the other kinds, any after the challenge for
 * badsecret) and last "dropped K" (how many the listener closed).
 * KINDs: silent, garbage (an HTTP request), long (100 KB, no newline),
 * half (shut for writing at once), badsecret (a well-formed 2.1 hello,
 * then a made-up tag for the challenge: a stranger who knows the protocol
 * but not the secret). */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define MAXN 512

static long long ms(void)
{
	struct timeval t;
	gettimeofday(&t, 0);
	return t.tv_sec * 1000LL + t.tv_usec / 1000;
}

int main(int argc, char **argv)
{
	static struct pollfd p[MAXN];
	static char junk[100000], chal[MAXN][49], sink[4096];
	static int got[MAXN], said[MAXN];
	int challenged = 0, answered = 0, bad, k, badsec;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	int n, i, hold, dropped = 0, v6, up, n_bad = 0;
	const char *kind;
	long long end;

	if (argc != 6) {
		fprintf(stderr, "usage: hostile ADDR PORT KIND N HOLD_MS\n");
		return 2;
	}
	v6 = strchr(argv[1], ':') != 0;
	if (v6) inet_pton(AF_INET6, argv[1], &a6.sin6_addr), a6.sin6_port = htons(atoi(argv[2]));
	else inet_pton(AF_INET, argv[1], &a4.sin_addr), a4.sin_port = htons(atoi(argv[2]));
	kind = argv[3];
	badsec = !strcmp(kind, "badsecret");
	n = atoi(argv[4]);
	hold = atoi(argv[5]);
	if (n < 1 || n > MAXN) return 2;
	memset(junk, 'A', sizeof junk);
	for (i = 0; i < n; i++) {
		p[i].fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		p[i].events = POLLOUT;
		connect(p[i].fd, v6 ? (void *)&a6 : (void *)&a4, v6 ? sizeof a6 : sizeof a4);
	}
	for (end = ms() + 3000, up = 0; up < n && ms() < end; ) {
		if (poll(p, n, end - ms()) <= 0) break;
		for (i = 0; i < n; i++) {
			int e = 0;
			socklen_t l = sizeof e;
			if (p[i].events != POLLOUT || !p[i].revents) continue;
			getsockopt(p[i].fd, SOL_SOCKET, SO_ERROR, &e, &l);
			p[i].events = POLLIN;
			if (e) { close(p[i].fd); p[i].fd = -1; n_bad++; continue; }
			up++;
		}
	}
	for (i = 0; i < n; i++) {
		if (p[i].events == POLLOUT) { close(p[i].fd); p[i].fd = -1; continue; }
		if (p[i].fd < 0) continue;
		if (!strcmp(kind, "garbage")) write(p[i].fd, "GET / HTTP/1.0\r\n\r\n", 18);
		else if (!strcmp(kind, "long")) send(p[i].fd, junk, sizeof junk, MSG_DONTWAIT);
		else if (!strcmp(kind, "half")) shutdown(p[i].fd, SHUT_WR);
		else if (!strcmp(kind, "badsecret"))
			write(p[i].fd, "socketpipe3 0123456789abcdef0123456789abcdef\n", 45);
	}
	printf("connected %d\n", up);
	fflush(stdout);
	for (end = ms() + hold; dropped < up && ms() < end; ) {
		if (poll(p, n, end - ms()) <= 0) break;
		for (i = 0; i < n; i++) {
			if (p[i].fd < 0 || !p[i].revents) continue;
			/* badsecret reads its challenge; the rest of what
			 * comes is what the listener must not send */
			if (badsec && got[i] < 49)
				k = read(p[i].fd, chal[i] + got[i], 49 - got[i]);
			else
				k = read(p[i].fd, sink, sizeof sink);
			if (k <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				dropped++;
				continue;
			}
			if (!badsec || got[i] == 49) {
				answered += !said[i];
				said[i] = 1;
				continue;
			}
			if ((got[i] += k) < 49) continue;
			for (k = 0, bad = chal[i][48] != '\n'; k < 48; k++)
				bad |= !chal[i][k] || !strchr("0123456789abcdef", chal[i][k]);
			challenged += !bad;
			/* the tag for the challenge: 16 hex digits, made up */
			write(p[i].fd, "0123456789abcdef\n", 17);
		}
	}
	printf("challenged %d\nanswered %d\n", challenged, answered);
	printf("dropped %d\n", dropped);
	if (n_bad) fprintf(stderr, "hostile: %d connects failed\n", n_bad);
	return 0;
}
