/* nonblock.c: runs a command with O_NONBLOCK set on its stdin and stdout,
 * as a careless parent (or a shell that shared a descriptor with an event
 * loop) can leave them:
 *     nonblock CMD ARGS...
 * A test helper of tests/trust.sh (case 8 of the issue "Trust"). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: nonblock CMD ARGS...\n");
		return 2;
	}
	for (fd = 0; fd < 2; fd++)
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
			perror("fcntl");
			return 2;
		}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
