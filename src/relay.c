/* relay.c: copies one direction between socketpipe's stdin or stdout and the
 * data socket, in a process of its own.  splice() moves pages without
 * copying them to user space; where a descriptor refuses it (a tty, old
 * kernels) a fixed buffer does the job. */
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sp.h"

#define CHUNK (1 << 20)

/* What is sent goes through here: 1 MiB, as much as the producer's pipe
 * holds (CHUNK), 1.95 against 1.82 GiB/s with 256 KiB for relay send
 * (issue 14).  aarch64 keeps 256 KiB: its -mcmodel=tiny reaches only 1 MiB
 * from the code, .bss included (board/aarch64.mk), and 1 MiB more does
 * not link there. */
#ifdef __aarch64__
#define RELAY_BUF (1 << 18)
#else
#define RELAY_BUF CHUNK
#endif
static char buf[RELAY_BUF];

/* Returns the part's status for a failed transfer: 141 for a reader that
 * went away (as SIGPIPE would give), else a message and EX_SYS (stdin,
 * stdout) or EX_LOGIN (the connection). */
static int failed(int writing, int sockside)
{
	if (writing && (errno == EPIPE || errno == ECONNRESET)) return 128 + SIGPIPE;
	say("%s %s: %m", writing ? "writing" : "reading",
	    sockside ? "the data connection" : writing ? "stdout" : "stdin");
	return sockside ? EX_LOGIN : EX_SYS;
}

/* Copies through the static buffer, at most max bytes (-1: to EOF);
 * returns 0 at EOF or max, else a status from failed(). */
static int copy(int from, int to, int from_sock, ssize_t max)
{
	ssize_t k;

	while (max) {
		k = read(from, buf, max > 0 && max < (ssize_t)sizeof buf ? max : (ssize_t)sizeof buf);
		if (k < 0 && again(from, POLLIN)) continue;
		if (k < 0) return failed(0, from_sock);
		if (!k) break;
		if (write_all(to, buf, k)) return failed(1, !from_sock);
		if (max > 0) max -= k;
	}
	return 0;
}

#ifndef SP_NO_SPLICE
/* Copies from the socket from to to with splice, straight when to is a
 * pipe, else through a pipe of our own; returns like copy(), or -1 when
 * splice is refused before anything was lost (the caller then copies the
 * rest). */
static int splice_copy(int from, int to)
{
	int p[2] = { -1, -1 }, rc = 0, w, first = 1, mid = to;
	ssize_t k, m;

	/* a pipe we are given grows to CHUNK too (on anything that is not a
	 * pipe this fails harmlessly) */
	sysc(SYS_fcntl, to, F_SETPIPE_SZ, CHUNK);
	for (;;) {
		k = splice(from, 0, mid, 0, CHUNK, SPLICE_F_MOVE | SPLICE_F_MORE);
		if (k < 0 && again(from, POLLIN) && again(mid, POLLOUT)) continue;
		if (k < 0 && first && errno == EINVAL && p[0] < 0) {
			/* neither end is a pipe: go through one of our own */
			if (sys_pipe(p)) return -1;
			sysc(SYS_fcntl, p[1], F_SETPIPE_SZ, CHUNK);
			mid = p[1];
			continue;
		}
		if (k < 0 && first && (errno == EINVAL || errno == ENOSYS)) rc = -1;
		else if (k < 0) {
			/* straight splice: EPIPE is the writer's */
			w = mid == to && errno == EPIPE;
			rc = failed(w, !w);
		}
		if (k <= 0) break;
		first = 0;
		while (mid != to && k > 0) {
			m = splice(p[0], 0, to, 0, k, SPLICE_F_MOVE | SPLICE_F_MORE);
			if (m < 0 && again(to, POLLOUT)) continue;
			if (m < 0 && errno == EINVAL) {
				/* to takes no splice (a tty): empty our pipe by hand */
				rc = copy(p[0], to, 0, k);
				if (!rc) rc = -1;
				goto out;
			}
			if (m < 0) {
				rc = failed(1, 0);
				goto out;
			}
			k -= m;
		}
	}
out:
	if (p[0] >= 0) close(p[0]), close(p[1]);
	return rc;
}
#endif

/* Copies from to to until EOF, then half-closes to if it is a socket (so the
 * peer sees EOF while the other direction goes on); returns the part's exit
 * status.  Called as relay(0, sock) or relay(sock, 1). */
int relay(int from, int to)
{
	int from_sock = from != 0, rc = -1;

#ifndef SP_NO_SPLICE
	/* received data is spliced; sent data is copied through buf from the
	 * producer's pipe grown to CHUNK: splice keeps the pipe's pages held
	 * by the socket until they are acknowledged, where a copy lets the
	 * producer reuse them at once (bench/notes.md, "Relay floor": 1.9
	 * against 1.5 GiB/s here) */
	if (from_sock) rc = splice_copy(from, to);
	else sysc(SYS_fcntl, from, F_SETPIPE_SZ, CHUNK);
#endif
	if (rc < 0) rc = copy(from, to, from_sock, -1);
	if (!rc) shutdown(to, SHUT_WR);
	return rc;
}
