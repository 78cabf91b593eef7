/* argdump.c: the remote command of tests/farside.sh's argument checks.
 *     argdump WORDS...
 * Writes each word after its own name, each followed by a NUL, to stdout:
 * what the far side handed it, byte for byte, for tests/farargs.c to
 * compare.  With ARGDUMP_EXE=FILE in its environment it also appends one
 * line to FILE: the path of its parent's executable (the far socketpipe;
 * "<dir>/.socketpipe.<pid> (deleted)" when it was brought along by the
 * login and removed once started). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int put(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t k = write(fd, s, n);
		if (k <= 0) return -1;
		s += k, n -= k;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *log = getenv("ARGDUMP_EXE");
	int i;

	if (log && *log) {
		char link[64], path[4096];
		ssize_t n;
		int fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600);
		snprintf(link, sizeof link, "/proc/%d/exe", (int)getppid());
		n = readlink(link, path, sizeof path - 1);
		if (n < 0) n = 0;
		path[n++] = '\n';
		if (fd >= 0) put(fd, path, n), close(fd);
	}
	for (i = 1; i < argc; i++)
		if (put(1, argv[i], strlen(argv[i]) + 1)) return 1;
	return 0;
}
