/* proto.c: what the two ends say to each other.
 *
 * Login channel (the login command's stdin and stdout):
 *   local -> far   the secret, 32 hex digits and "\n", then nothing; EOF
 *                  means "stop": the far end kills the remote command.
 *   far -> local   "\n<secret> socketpipe-status N\n" when the remote command
 *                  ended (the secret: no motd line can forge it);
 *                  anything else there (motd, .bashrc noise) goes to stderr.
 * Data connection (far connects to local):
 *   far -> local   "socketpipe2 " + the 32 hex digits + "\n"
 *   local -> far   "ok\n"; then the bytes belong to the commands.
 * The secret never appears in an argv or environment on either machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sp.h"

/* Fills s with n random bytes from getrandom, or /dev/urandom on kernels
 * before 3.17; returns 0, or -1 when neither gives them. */
int make_secret(unsigned char *s, size_t n)
{
	long k = -1;
	int fd;

#if defined(SYS_getrandom) && !defined(SP_NO_GETRANDOM)
	k = sysc(SYS_getrandom, s, n, 0);
	if (k == (long)n) return 0;
#endif
	if ((fd = sys_open("/dev/urandom", O_RDONLY)) < 0) return -1;
	k = read(fd, s, n);
	close(fd);
	return k == (long)n ? 0 : -1;
}

/* Writes 2n lowercase hex digits of in to out (no terminator). */
void hex(char *out, const unsigned char *in, size_t n)
{
	static const char d[] = "0123456789abcdef";
	for (; n--; in++) *out++ = d[*in >> 4], *out++ = d[*in & 15];
}

/* Writes the HELLO_LEN bytes the far end sends first. */
void make_hello(char *out, const char *hexsecret)
{
	memcpy(out, HELLO_MAGIC, sizeof HELLO_MAGIC - 1);
	memcpy(out + sizeof HELLO_MAGIC - 1, hexsecret, 2 * SECRET_LEN);
	out[HELLO_LEN - 1] = '\n';
}

/* Judges the first n bytes received on a connection against the hello we
 * want; returns 1 when all HELLO_LEN bytes match, 0 when they may still,
 * -1 for a stranger (wrong magic at once; a wrong secret only once whole,
 * compared in constant time so its timing tells nothing). */
int hello_check(const char *got, size_t n, const char *want)
{
	size_t m = sizeof HELLO_MAGIC - 1, i;
	unsigned char d = 0;

	if (n > HELLO_LEN) return -1;
	if (memcmp(got, want, n < m ? n : m)) return -1;
	if (n < HELLO_LEN) return 0;
	for (i = m; i < HELLO_LEN; i++) d |= got[i] ^ want[i];
	return d ? -1 : 1;
}

/* Writes word in single quotes for a POSIX shell ('\'' for a quote) to out;
 * returns its length, or 0 if it does not fit in cap. */
size_t shell_quote(char *out, size_t cap, const char *word)
{
	size_t n = 0;

	if (cap < 3) return 0;
	out[n++] = '\'';
	for (; *word; word++) {
		if (n + 5 > cap) return 0;
		if (*word == '\'') {
			memcpy(out + n, "'\\''", 4), n += 4;
		} else {
			out[n++] = *word;
		}
	}
	out[n++] = '\'';
	return n;
}

/* Appends each of words, quoted and after a space, to the n bytes in out,
 * keeping out NUL terminated; returns the new length, or 0 if it would not
 * fit in cap. */
size_t append_quoted(char *out, size_t cap, size_t n, char **words)
{
	size_t k;

	for (; *words; words++) {
		if (n + 2 >= cap) return 0;
		out[n++] = ' ';
		if (!(k = shell_quote(out + n, cap - n - 1, *words))) return 0;
		n += k;
	}
	out[n] = 0;
	return n;
}

/* Reads a status record line (without its "\n"); returns the status 0-255,
 * or -1 if the line is something else. */
int status_line(const char *line, size_t n)
{
	size_t m = sizeof STATUS_TAG - 1;
	unsigned v = 0;

	if (n <= m || n > m + 3 || memcmp(line, STATUS_TAG, m)) return -1;
	for (line += m, n -= m; n--; line++) {
		if (*line < '0' || *line > '9') return -1;
		v = v * 10 + (*line - '0');
	}
	return v > 255 ? -1 : (int)v;
}
