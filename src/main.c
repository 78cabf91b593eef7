/* main.c: which end is this?  The far end is started with private options
 * (-S, or 1.x's -s); anything else is a user's command line. */
#include <string.h>
#include <unistd.h>
#include "sp.h"

/* Returns the exit status of whichever end this process is. */
int main(int argc, char **argv)
{
	struct opts o;
	const char *err, *bad;

	(void)argc;
	fds_sane();
	if (argv[0] && argv[1] && (!strcmp(argv[1], "-S") || !strcmp(argv[1], "-s")))
		return far_main(argv);
	if (!argv[0] || !(err = parse_args(argv, &o, &bad)))
		return argv[0] ? local_main(&o) : EX_USAGE;
	if (err == usage_text || err == version_text) {
		write_all(1, err, strlen(err));
		return 0;
	}
	die(EX_USAGE, *bad ? "%s '%s' (try socketpipe --help)" : "%s%s (try socketpipe --help)", err, bad);
}
