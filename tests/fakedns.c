/* fakedns.c: a DNS server for the suite, on a loopback address only.
 *   fakedns ADDR NAME SECONDS
 * answers A (127.0.0.1) and AAAA (::1) queries for NAME, NXDOMAIN for any
 * other name, on ADDR port 53, and exits after SECONDS. */
#include <arpa/inet.h>
#include <ctype.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(53) }, from;
	unsigned char m[512], name[256];
	struct pollfd p;
	socklen_t fl;
	time_t end;
	int n, off, k, type, fd;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &a.sin_addr) != 1 || ntohl(a.sin_addr.s_addr) >> 24 != 127) {
		fprintf(stderr, "usage: fakedns 127.x.y.z NAME SECONDS\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (bind(fd, (void *)&a, sizeof a)) { perror("fakedns: bind"); return 1; }
	printf("ready\n");
	fflush(stdout);
	p.fd = fd, p.events = POLLIN;
	for (end = time(0) + atoi(argv[3]); time(0) < end; ) {
		if (poll(&p, 1, 200) != 1) continue;
		fl = sizeof from;
		n = recvfrom(fd, m, sizeof m - 32, 0, (void *)&from, &fl);
		if (n < 17) continue;
		for (off = 12, k = 0; off < n && m[off] && k < 250; off += m[off] + 1) {
			if (k) name[k++] = '.';
			memcpy(name + k, m + off + 1, m[off]);
			k += m[off];
		}
		name[k] = 0;
		if (off + 5 > n) continue;
		type = m[off + 1] << 8 | m[off + 2];
		off += 5;			/* end of the question */
		m[2] = 0x81, m[3] = 0x80;	/* response, RD, RA */
		m[6] = m[7] = m[8] = m[9] = m[10] = m[11] = 0;
		if (strcasecmp((char *)name, argv[2])) {
			m[3] |= 3;		/* NXDOMAIN */
		} else if (type == 1 || type == 28) {
			unsigned char rr[] = { 0xc0, 12, 0, type, 0, 1, 0, 0, 0, 60, 0, type == 1 ? 4 : 16 };
			memcpy(m + off, rr, sizeof rr);
			off += sizeof rr;
			if (type == 1) memcpy(m + off, "\x7f\0\0\x01", 4), off += 4;
			else memset(m + off, 0, 16), m[off + 15] = 1, off += 16;
			m[7] = 1;
		}
		sendto(fd, m, off, 0, (void *)&from, fl);
	}
	return 0;
}
