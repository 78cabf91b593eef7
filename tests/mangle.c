/* mangle.c: a hostile path for the binary the local end sends on request
 * (tests/farside.sh).  A login wrapper puts it between its stdin and the
 * far shell:   mangle MODE [ARG] | sh -c "$*"
 * The local end's stream: line 1 (config and words), and after the far
 * side's "socketpipe-need <cpu>": "<size>\n", <size> bytes of binary,
 * "<sum>\n", line 1 again.  Line 1 passes as it is; then, by MODE:
 *   pass       everything passes (ARG, if given: line 1 is also written
 *              there, for a test that looks for the secret on the far side)
 *   flip       one bit of the binary's middle byte flipped
 *   swap FILE  the binary replaced by FILE's bytes (a script that leaves a
 *              trace if run), padded with newlines or cut to <size>
 *   cut        half the binary, then end of stream
 *   short      the size line says 1000 bytes less
 *   crc        the sum line one more than it says
 *   slow FILE  half the binary, then FILE created (the test kills the far
 *              side now), then it waits, at most 30 s, until the far shell
 *              ends or its own stdin ends (the local end gone: the far
 *              shell then sees the end of its input), then passes the rest
 * At the end of its input it closes the pipe and waits for the command. */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static char ib[65536];
static size_t ip, il;
static int to = -1;	/* the command's stdin */
static pid_t kid;

/* the command's exit status as ours */
static void end(int block)
{
	int st;
	if (to >= 0) close(to), to = -1;
	if (waitpid(kid, &st, block ? 0 : WNOHANG) != kid) return;
	exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

/* has the command ended (not reaped: end() does that)? */
static int gone(void)
{
	siginfo_t si;
	si.si_pid = 0;
	return !waitid(P_PID, kid, &si, WEXITED | WNOHANG | WNOWAIT) && si.si_pid == kid;
}

static int get(void)
{
	while (ip == il) {
		struct pollfd p = { 0, POLLIN, 0 };
		ssize_t k;
		if (gone()) end(1);
		if (poll(&p, 1, 100) <= 0) continue;
		k = read(0, ib, sizeof ib);
		if (k <= 0) return -1;
		ip = 0, il = k;
	}
	return (unsigned char)ib[ip++];
}

static void put(const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t k = write(to, s, n);
		if (k <= 0) end(1);
		s += k, n -= k;
	}
}

/* copies up to n bytes (all when n < 0); returns how many */
static long copy(long n)
{
	long done = 0;
	int c;
	while ((n < 0 || done < n) && (c = get()) >= 0) {
		char b = c;
		put(&b, 1);
		done++;
	}
	return done;
}

int main(int argc, char **argv)
{
	const char *mode, *arg = 0;
	char line[200];
	size_t n = 0;
	unsigned long size, sum;
	int c, fd, p[2], cmd = 2;

	if (argc > 3 && !strcmp(argv[2], "--")) cmd = 3;
	else if (argc > 4 && !strcmp(argv[3], "--")) arg = argv[2], cmd = 4;
	else {
		fprintf(stderr, "usage: mangle MODE [ARG] -- COMMAND...\n");
		return 2;
	}
	mode = argv[1];
	signal(SIGPIPE, SIG_IGN);
	if (pipe(p)) return 2;
	if (!(kid = fork())) {
		dup2(p[0], 0);
		close(p[0]), close(p[1]);
		signal(SIGPIPE, SIG_DFL);
		setsid();	/* as sshd: no signal to the login's group reaches it */
		execvp(argv[cmd], argv + cmd);
		_exit(127);
	}
	close(p[0]);
	to = p[1];
	close(1);	/* the command's, not ours */

	/* line 1 */
	while ((c = get()) >= 0) {
		char b = c;
		put(&b, 1);
		if (arg && !strcmp(mode, "pass")) {
			fd = open(arg, O_WRONLY | O_APPEND | O_CREAT, 0600);
			if (fd >= 0) write(fd, &b, 1), close(fd);
		}
		if (c == '\n') break;
	}
	if (c < 0 || !strcmp(mode, "pass")) return copy(-1), end(1), 0;
	/* the size line */
	while (n < sizeof line - 1 && (c = get()) >= 0) {
		line[n++] = c;
		if (c == '\n') break;
	}
	line[n] = 0;
	if (sscanf(line, "%lu", &size) != 1) {
		put(line, n);
		return copy(-1), end(1), 0;
	}
	if (!strcmp(mode, "short")) n = snprintf(line, sizeof line, "%lu\n", size > 1000 ? size - 1000 : 0);
	put(line, n);
	if (!strcmp(mode, "flip")) {
		copy(size / 2);
		if ((c = get()) >= 0) {
			char b = c ^ 0x10;
			put(&b, 1);
		}
	} else if (!strcmp(mode, "swap") && arg) {
		char buf[4096];
		unsigned long done = 0;
		ssize_t k;
		fd = open(arg, O_RDONLY);
		while (fd >= 0 && done < size && (k = read(fd, buf, sizeof buf < size - done ? sizeof buf : size - done)) > 0)
			put(buf, k), done += k;
		while (done < size) put("\n", 1), done++;
		while (size-- && get() >= 0) {}	/* the real one, dropped */
	} else if (!strcmp(mode, "crc")) {
		copy(size);
		for (n = 0; n < sizeof line - 1 && (c = get()) >= 0 && c != '\n';) line[n++] = c;
		line[n] = 0;
		sum = strtoul(line, 0, 10);
		n = snprintf(line, sizeof line, "%lu\n", sum + 1);
		put(line, n);
	} else if (!strcmp(mode, "cut")) {
		copy(size / 2);
		end(1);
	} else if (!strcmp(mode, "slow") && arg) {
		int i;
		copy(size / 2);
		fd = open(arg, O_WRONLY | O_CREAT, 0600);
		if (fd >= 0) close(fd);
		for (i = 0; i < 300; i++) {
			struct pollfd pf = { 0, 0, 0 };
			if (gone()) end(1);
			if (poll(&pf, 1, 100) > 0 && pf.revents & (POLLERR | POLLHUP)) break;
		}
	}
	return copy(-1), end(1), 0;
}
