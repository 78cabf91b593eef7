/* floor: a bare relay process between a pipe and a TCP socket, the "relay
 * floor" of bench/run: the best a process that only copies can do on this
 * machine, each way a relay can be written.  socketpipe's relay mode
 * (src/relay.c) is measured against it (issue 14, part 2).
 *
 *   floor list send|recv               the variants for that direction
 *   floor send VARIANT HOST PORT       connect; relay stdin (a pipe) into the socket
 *   floor recv VARIANT ADDR PORTFILE   listen on ADDR (port 0), PORTFILE gets the
 *                                      port; accept one; relay it to stdout (a pipe)
 *
 * Variants (the pipe is the one the shell made, stdin or stdout; F_SETPIPE_SZ
 * works on it from either end):
 *   splice-64k, splice-256k, splice-1m
 *            pipe set to that size; splice(2) straight between pipe and
 *            socket, 1 MiB asked per call, SPLICE_F_MOVE | SPLICE_F_MORE:
 *            what src/relay.c does (it sets 1 MiB)
 *   splice-1m-nomore
 *            the same without SPLICE_F_MORE (no MSG_MORE on the socket)
 *   rw-64k, rw-256k, rw-1m
 *            pipe set to 1 MiB; read(2) into a buffer of that size, write(2)
 *            all of it (the buffer is touched once before the copy starts)
 *   rw-64k-p64k, rw-256k-p64k, rw-1m-p64k, rw-256k-p256k
 *            the same with the pipe at 64 KiB (as the shell made it) or 256 KiB
 *   splice-1m+rd, rw-1m-p64k+rd (send only)
 *            the variant with a second process blocked in read(2) on the
 *            socket for the other direction the whole time, as socketpipe's
 *            relay mode has one (relay(sock, 1) beside relay(0, sock))
 *   zc-256k, zc-1m (send only)
 *            pipe 1 MiB; read into one of 8 buffers of that size, send with
 *            MSG_ZEROCOPY (SO_ZEROCOPY on), reuse a buffer only after the
 *            kernel's completion for it came on the error queue
 * io_uring is not among them: this machine has no liburing headers
 * (liburing-dev), and a read/write or splice loop through io_uring does the
 * same copies as the calls above, with its ring on top of a fixed budget.
 *
 * Exit 0 when the whole stream was relayed and the socket shut for writing,
 * 1 on an error (with a line), 3 for a variant that does not exist for that
 * direction. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SO_ZEROCOPY
#define SO_ZEROCOPY 60
#endif
#ifndef MSG_ZEROCOPY
#define MSG_ZEROCOPY 0x4000000
#endif
#ifndef SO_EE_ORIGIN_ZEROCOPY
#define SO_EE_ORIGIN_ZEROCOPY 5
#endif

#define KiB 1024
#define MiB (1024 * 1024)

#define COMMON "splice-64k splice-256k splice-1m splice-1m-nomore " \
	"rw-64k rw-256k rw-1m rw-64k-p64k rw-256k-p64k rw-1m-p64k rw-256k-p256k"
static const char *send_variants = COMMON " zc-256k zc-1m"
	" splice-1m+rd rw-1m-p64k+rd";
static const char *recv_variants = COMMON;

#define PROG "floor"

static void die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

#include "tcp.h"

static void setpipe(int fd, int size)
{
	if (fcntl(fd, F_SETPIPE_SZ, size) < 0)
		die("F_SETPIPE_SZ");
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			die("write");
		p += w, n -= w;
	}
}

static char *buffer(size_t n)
{
	char *b = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		die("mmap");
	memset(b, 1, n);	/* no page faults inside the copy loop */
	return b;
}

static void relay_splice(int from, int to, unsigned flags)
{
	for (;;) {
		ssize_t k = splice(from, NULL, to, NULL, 1 * MiB, flags);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			die("splice");
		if (!k)
			return;
	}
}

static void relay_rw(int from, int to, size_t size)
{
	char *b = buffer(size);
	unsigned long long reads = 0, bytes = 0;
	for (;;) {
		ssize_t k = read(from, b, size);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			die("read");
		if (!k)
			break;
		reads++, bytes += k;
		write_all(to, b, k);
	}
	if (getenv("FLOOR_VERBOSE") && reads)
		fprintf(stderr, "floor: %llu reads, %llu bytes each on average\n", reads, bytes / reads);
}

/* The other direction's reader (+rd): reads the socket until EOF. */
static pid_t other_reader(int s)
{
	pid_t p = fork();
	if (p < 0)
		die("fork");
	if (p)
		return p;
	static char b[65536];
	for (;;) {
		ssize_t k = read(s, b, sizeof b);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			die("read");
		if (!k)
			_exit(0);
		write_all(1, b, k);
	}
}

/* MSG_ZEROCOPY: the kernel pins the buffer's pages instead of copying them;
 * each sendmsg that sent something gets the next id (from 0), and the error
 * queue later reports ranges of ids whose pages it let go.  TCP completes
 * in order, so "done" is one past the highest id reported. */
#define ZN 8
static unsigned zc_done, zc_copied, zc_notes;

static void zc_reap(int s, int block)
{
	if (block) {
		struct pollfd p = { s, 0, 0 };	/* POLLERR is always reported */
		if (poll(&p, 1, 10000) <= 0)
			die("waiting for zerocopy completions");
	}
	for (;;) {
		char ctl[128];
		struct msghdr m = { .msg_control = ctl, .msg_controllen = sizeof ctl };
		if (recvmsg(s, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR)
				continue;
			die("recvmsg MSG_ERRQUEUE");
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			struct sock_extended_err *e = (struct sock_extended_err *)CMSG_DATA(c);
			if (e->ee_origin != SO_EE_ORIGIN_ZEROCOPY)
				continue;
			if (e->ee_data + 1 > zc_done)
				zc_done = e->ee_data + 1;
			zc_notes++;
			if (e->ee_code & SO_EE_CODE_ZEROCOPY_COPIED)
				zc_copied++;
		}
	}
}

static void relay_zc(int from, int s, size_t size)
{
	int one = 1;
	if (setsockopt(s, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof one) != 0)
		die("SO_ZEROCOPY");
	char *b = buffer(ZN * size);
	unsigned id = 0, last[ZN];
	int used[ZN] = { 0 };
	for (int i = 0;; i = (i + 1) % ZN) {
		/* the buffer is free once every send from it completed */
		while (used[i] && zc_done <= last[i])
			zc_reap(s, 1);
		used[i] = 0;
		char *p = b + (size_t)i * size;
		ssize_t k = read(from, p, size);
		if (k < 0 && errno == EINTR) {
			i--;
			continue;
		}
		if (k < 0)
			die("read");
		if (!k)
			break;
		for (ssize_t o = 0; o < k;) {
			ssize_t w = send(s, p + o, k - o, MSG_ZEROCOPY);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0 && errno == ENOBUFS && id > zc_done) {
				zc_reap(s, 1);	/* optmem full of notifications */
				continue;
			}
			if (w < 0)
				die("send MSG_ZEROCOPY");
			o += w;
			last[i] = id++;
			used[i] = 1;
		}
		zc_reap(s, 0);
	}
	while (zc_done < id)
		zc_reap(s, 1);
	if (getenv("FLOOR_VERBOSE"))
		fprintf(stderr, "floor: %u zerocopy sends, %u notifications, %u of them copied\n",
			id, zc_notes, zc_copied);
}


/* "64k", "256k", "1m" at the start of s, in bytes */
static int size_of(const char *s)
{
	return !strncmp(s, "64k", 3) ? 64 * KiB : !strncmp(s, "256k", 4) ? 256 * KiB : 1 * MiB;
}

static int has(const char *list, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = list; (p = strstr(p, v)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

/* Runs variant v from -> to; pipe is the end that is a pipe. */
static void relay(const char *v, int from, int to, int pipe, int sock)
{
	if (!strncmp(v, "splice-", 7)) {
		setpipe(pipe, size_of(v + 7));
		relay_splice(from, to, SPLICE_F_MOVE | (strstr(v, "nomore") ? 0 : SPLICE_F_MORE));
	} else if (!strncmp(v, "rw-", 3)) {
		const char *p = strstr(v, "-p");
		setpipe(pipe, p ? size_of(p + 2) : 1 * MiB);
		relay_rw(from, to, size_of(v + 3));
	} else if (!strncmp(v, "zc-", 3)) {
		setpipe(pipe, 1 * MiB);
		relay_zc(from, sock, !strcmp(v, "zc-1m") ? 1 * MiB : 256 * KiB);
	}
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_DFL);
	if (argc == 3 && !strcmp(argv[1], "list")) {
		puts(!strcmp(argv[2], "send") ? send_variants : recv_variants);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "send")) {
		if (!has(send_variants, argv[2]))
			return 3;
		int s = tcp_connect(argv[3], argv[4]);
		char *plus = strchr(argv[2], '+');
		pid_t other = plus ? other_reader(s) : 0;
		if (plus)
			*plus = 0;
		relay(argv[2], 0, s, 0, s);
		if (shutdown(s, SHUT_WR) != 0 || close(s) != 0)
			die("shutdown");
		int st;
		if (other && (waitpid(other, &st, 0) != other || st != 0))
			die("the other direction's reader");
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "recv")) {
		if (!has(recv_variants, argv[2]))
			return 3;
		int s = tcp_accept_one(argv[3], argv[4]);
		relay(argv[2], s, 1, 1, s);
		return close(1) != 0;
	}
	fprintf(stderr, "usage: floor list send|recv | send VARIANT HOST PORT | recv VARIANT ADDR PORTFILE\n");
	return 2;
}
