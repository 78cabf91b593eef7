/* board/probe.c: proves a board toolchain before socketpipe is built with it.
 *
 * Exercises what socketpipe needs from libc and the kernel ABI: a loopback
 * TCP socket (bind/listen/connect/accept), fork, execve of a host program
 * and wait for its status, and plain write.  Prints one line with word size
 * and byte order so a wrong sysroot or CPU flag shows at once; exits 0 only
 * if every step worked.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int fail(const char *what)
{
	write(2, "probe: FAIL ", 12);
	write(2, what, strlen(what));
	write(2, "\n", 1);
	return 1;
}

int main(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	char buf[8] = {0};
	union { unsigned u; unsigned char c[4]; } order = { 0x01020304 };
	char line[64] = "probe ok: ";
	int l, c, s, st;
	pid_t pid;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((l = socket(AF_INET, SOCK_STREAM, 0)) < 0) return fail("socket");
	if (bind(l, (struct sockaddr *)&a, sizeof a) < 0) return fail("bind");
	if (listen(l, 1) < 0 || getsockname(l, (struct sockaddr *)&a, &len) < 0)
		return fail("listen");

	pid = fork();
	if (pid < 0) return fail("fork");
	if (pid == 0) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) < 0) _exit(1);
		_exit(write(c, "ping", 4) == 4 ? 0 : 1);
	}
	if ((s = accept(l, 0, 0)) < 0) return fail("accept");
	if (read(s, buf, sizeof buf) != 4 || memcmp(buf, "ping", 4)) return fail("read");
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return fail("child");

	/* The host's /bin/sh: a foreign binary can exec a host one under qemu-user. */
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "sh", "-c", "exit 7", 0 };
		execve("/bin/sh", argv, 0);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 7)
		return fail("exec");

	strcat(line, sizeof(long) == 8 ? "64-bit " : "32-bit ");
	strcat(line, order.c[0] == 1 ? "big-endian\n" : "little-endian\n");
	return write(1, line, strlen(line)) > 0 ? 0 : fail("write");
}
