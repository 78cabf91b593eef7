/* util.c: messages, numbers and time, without stdio (it costs more than the
 * whole tool). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "sp.h"

/* "socketpipe: " on the local end, "socketpipe (far): " on the far end,
 * so a user reading ssh's merged stderr knows which machine complained. */
const char *msg_prefix = "socketpipe: ";

/* Returns n / d and leaves n % d in *rem.  A 32-bit CPU does it a bit at a
 * time: the compiler's 64-bit division is 1-2 KB there, for the few
 * numbers of a message line. */
unsigned long long udiv(unsigned long long n, unsigned long d, unsigned long *rem)
{
#if ULONG_MAX > 0xffffffffUL
	*rem = n % d;
	return n / d;
#else
	unsigned long long q = 0, r = 0;
	int i;

	for (i = 0; i < 64; i++, n <<= 1) {
		r = r << 1 | n >> 63;
		q <<= 1;
		if (r >= d) r -= d, q |= 1;
	}
	*rem = r;
	return q;
#endif
}

/* Writes v in decimal ending just before end; returns where it starts. */
char *utoa(char *end, unsigned long long v)
{
	unsigned long r;
	do v = udiv(v, 10, &r), *--end = '0' + r; while (v);
	return end;
}

/* Writes v in base (10 or 16) to p; returns the end. */
char *num_out(char *p, unsigned long v, unsigned base)
{
	char t[12], *e = t + sizeof t, *s = e;

	do *--s = "0123456789abcdef"[v % base]; while (v /= base);
	memcpy(p, s, e - s);
	return p + (e - s);
}

/* Returns a short text for the errors a transfer meets; musl's strerror
 * table alone is an eighth of the size budget. */
const char *err_text(int e)
{
	static const unsigned char code[] = { ENOENT, EACCES, ECONNREFUSED, ECONNRESET,
		ETIMEDOUT, EHOSTUNREACH, EMFILE, EIO, ENOSPC, EPROTO, EADDRINUSE };
	/* the texts of code[], in its order, one after another: no padding */
	static const char txt[] = "no such file\0not permitted\0refused\0reset\0no answer\0"
		"unreachable\0too many fds\0I/O error\0disk full\0wrong secret\0in use";
	static char num[20];
	const char *t = txt;
	unsigned i;
	char *n;

	if (e == ENETUNREACH) e = EHOSTUNREACH;
	for (i = 0; i < sizeof code; i++) {
		if (code[i] == e) return t;
		while (*t++)	/* to the next text */
			;
	}
	n = utoa(num + sizeof num - 1, e) - 6;
	memcpy(n, "error ", 6);
	return n;
}

/* Formats %s, %L (unsigned long long), %m (err's text) and %u (any other
 * letter: the formats are all ours) into one line on stderr, written with
 * a single write() so lines from both ends of a transfer do not
 * interleave. */
static void vsay(int err, const char *fmt, va_list ap)
{
	static char num[24];	/* utoa() writes before its last byte, a NUL */
	char buf[512], one[2] = "", *e = num + sizeof num - 1;
	const char *s = msg_prefix;
	size_t n = 0;
	int c;

	for (;;) {
		while (*s && n < sizeof buf - 1) buf[n++] = *s++;
		if (!(*one = *fmt++)) break;
		s = one;	/* a plain byte goes through as a string of one */
		if (*one != '%') continue;
		c = *fmt++;
		s = c == 's' ? va_arg(ap, const char *) : c == 'm' ? err_text(err)
			: utoa(e, c == 'L' ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned));
	}
	buf[n++] = '\n';
	write_all(2, buf, n);
}

/* Prints a message line on stderr. */
void say(const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	vsay(err, fmt, ap);
	va_end(ap);
	errno = err;
}

/* Prints a message line on stderr and exits with status: one call where
 * say() and _exit() were two at each of some twenty places. */
_Noreturn void die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(errno, fmt, ap);
	_exit(status);
}

/* Copies s with its NUL to p; returns the end (at the NUL), as stpcpy
 * does.  Not inlined: meet_tried() and put_record() call it seven times,
 * and each copy of the loop costs more than a call. */
__attribute__((noinline)) char *put(char *p, const char *s)
{
	while ((*p = *s++)) p++;
	return p;
}

/* Returns the length of s up to its first byte that is in stop (or its
 * end): strcspn without the table musl builds for it. */
size_t seglen(const char *s, const char *stop)
{
	const char *p = s, *q;

	for (; *p; p++)
		for (q = stop; *q; q++)
			if (*p == *q) return p - s;
	return p - s;
}

/* Returns the next word of the line at *l, ended in place with a NUL, or
 * NULL at the line's end. */
char *word(char **l)
{
	char *s = *l;

	while (*s == ' ' || *s == '\t' || *s == '\r') s++;
	if (!*s) return 0;
	*l = s + seglen(s, " \t\r");
	if (**l) *(*l)++ = 0;
	return s;
}

/* Returns the value of environment variable name, or NULL. */
char *env(const char *name)
{
	extern char **environ;
	size_t n = strlen(name);
	char **e;

	for (e = environ; *e; e++)
		if (!memcmp(*e, name, n) && (*e)[n] == '=') return *e + n + 1;
	return 0;
}

/* Returns 1 after waiting until fd is ready for ev when the last call
 * failed with EAGAIN, else 0.  Only a stdin or stdout left non-blocking by
 * whoever opened it gives EAGAIN (the socket and our own pipes block), but
 * splice then fails without waiting on either side. */
int again(int fd, int ev)
{
	struct pollfd p = { fd, ev, 0 };
	return errno == EAGAIN && poll(&p, 1, -1) >= 0;
}

/* Writes all of buf, retrying short writes and waiting out EAGAIN (a
 * stdout left non-blocking by whoever opened it); returns 0, or -1 with
 * errno. */
int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t k;

	while (n) {
		if ((k = write(fd, p, n)) < 0) {
			if (!again(fd, POLLOUT)) return -1;
			k = 0;
		}
		p += k, n -= k;
	}
	return 0;
}

/* Parses a decimal number in [lo, hi]; returns 0, or -1 for anything else
 * (empty, sign, junk, overflow). */
int parse_num(const char *s, unsigned long lo, unsigned long hi, unsigned long *v)
{
	unsigned long n = 0;

	if (!*s) return -1;
	for (; *s; s++) {
		unsigned d = *s - '0';
		if (d > 9 || d > hi || n > (hi - d) / 10) return -1;
		n = n * 10 + d;
	}
	if (n < lo) return -1;
	*v = n;
	return 0;
}

/* Returns a monotonic clock in milliseconds, read with the bare system
 * call into the kernel's own timespec: no vDSO lookup, and on 32-bit CPUs
 * no 64-bit time conversion (a monotonic clock is the uptime: 32 bits of
 * seconds last 68 years).  Kernels built without 32-bit time calls get the
 * 64-bit one. */
long long now_ms(void)
{
	long t[2];
#ifdef SYS_clock_gettime32
	long long u[2];
	if (sysc(SYS_clock_gettime32, CLOCK_MONOTONIC, t)) {
		sysc(SYS_clock_gettime64, CLOCK_MONOTONIC, u);
		t[0] = u[0], t[1] = u[1];
	}
#else
	sysc(SYS_clock_gettime, CLOCK_MONOTONIC, t);
#endif
	return t[0] * 1000LL + t[1] / 1000000;
}

/* Returns the milliseconds until deadline, 0 if it has passed. */
int ms_left(long long deadline)
{
	long long d = deadline - now_ms();
	return d < 0 ? 0 : d > 0x7fffffff ? 0x7fffffff : (int)d;
}

/* Returns ms_left(deadline), but at most cap (a negative cap: none). */
int ms_cap(long long deadline, int cap)
{
	int w = ms_left(deadline);
	return (unsigned)cap < (unsigned)w ? cap : w;
}

/* Opens /dev/null on any of fds 0-2 that is closed, so that no socket or pipe
 * of ours can land on them and be mistaken for stdin, stdout or stderr. */
void fds_sane(void)
{
	int fd;
	while ((fd = sysc(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR)) >= 0 && fd < 3)
		;
	if (fd > 2) close(fd);
}
