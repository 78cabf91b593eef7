/* main.c: which end is this?  The far end is started with private options
 * (-S3, -S3e, or 1.x's -s; far.c checks which); anything else is a user's
 * command line. */
#include <string.h>
#include <unistd.h>
#include "sp.h"

/* Returns the exit status of whichever end this process is. */
int main(int argc, char **argv)
{
	struct opts o;
	const char *err, *bad, *a;

	(void)argc;
	fds_sane();
	/* no user option is S or s, so these words are the far end's alone */
	if (!argv[0]) return EX_USAGE;
	if ((a = argv[1]) && a[0] == '-' && (a[1] | 32) == 's')
		return far_main(argv);
	if (!(err = parse_args(argv, &o, &bad)))
		return local_main(&o);
	if (err == usage_text || err == version_text) {
		write_all(1, bad, strlen(bad));
		return 0;
	}
	die(EX_USAGE, "%s '%s' (see --help)", err, bad);
}
