/* bt: the benchmark's own small tools, one binary so every method moves the
 * same bytes the same way (compiled by bench/run with cc).
 *
 *   bt rand FILE BYTES           make FILE: BYTES that do not compress (xoshiro256**)
 *   bt gen BYTES FILE            write BYTES of FILE to stdout (from its page cache,
 *                                again from its start if FILE is shorter)
 *   bt sink OUT                  read stdin to EOF; OUT gets "bytes first_ns last_ns"
 *   bt send HOST PORT BYTES FILE connect, then `gen` into the socket itself
 *   bt recv ADDR PORTFILE OUT    listen on ADDR (port 0), PORTFILE gets the port,
 *                                accept one, then `sink` from the socket itself
 *   bt stats OUT CMD ARGS...     run CMD; OUT gets "wall_ns own_cpu_ns own_hwm_kb
 *                                tree_cpu_ns status" (own: see stats() below)
 *
 * Timestamps are CLOCK_MONOTONIC, shared by all network namespaces, so the
 * sink's first/last byte times give the data-phase rate of any method
 * without its login or connection set-up.  send/recv are the raw-TCP limit:
 * producer and consumer own the socket, as in socketpipe's direct mode.
 *
 * The bytes are random, not zeros: zeros flatter any path that compresses
 * (ssh -C, a NAS's compressing link) and fit in one hot cache line.  FILE is
 * made once per run and stays in the page cache; gen maps it (populated
 * before the first write) and writes 128 KiB at a time straight from the
 * mapping, so the producer does one copy per byte as a tar reading from the
 * page cache with mmap would, and every method pays the same. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BUF (128 * 1024)	/* what tar/dd-sized producers write per call */

static char buf[BUF];
static pid_t child;

/* timeout(1) signals only bt: pass it on so the measured command stops too. */
static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

#define PROG "bt"

static void die(const char *what)
{
	fprintf(stderr, "bt: %s: %s\n", what, strerror(errno));
	exit(1);
}

#include "tcp.h"

/* Writes bytes of file (mapped, from its start, wrapping) to fd in BUF
 * writes. */
static int gen(int fd, long long bytes, const char *file)
{
	int f = open(file, O_RDONLY);
	struct stat st;
	if (f < 0 || fstat(f, &st) != 0)
		die(file);
	size_t len = st.st_size < bytes ? (size_t)st.st_size : (size_t)bytes;
	if (!len && bytes)
		die("empty data file");
	const char *m = len ? mmap(NULL, len, PROT_READ, MAP_SHARED | MAP_POPULATE, f, 0) : NULL;
	if (m == MAP_FAILED)
		die("mmap");
	close(f);
	size_t off = 0;
	while (bytes > 0) {
		size_t n = bytes > BUF ? BUF : (size_t)bytes;
		if (n > len - off)
			n = len - off;
		ssize_t w = write(fd, m + off, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		bytes -= w;
		off += w;
		if (off == len)
			off = 0;
	}
	return 0;
}

/* xoshiro256** (Blackman, Vigna), seeded from the clock and pid: a few
 * hundred MB/s in one core, output that no compressor shrinks. */
static unsigned long long rs[4];
static unsigned long long rotl(unsigned long long x, int k) { return (x << k) | (x >> (64 - k)); }
static unsigned long long next64(void)
{
	unsigned long long r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
	rs[2] ^= rs[0], rs[3] ^= rs[1], rs[1] ^= rs[2], rs[0] ^= rs[3];
	rs[2] ^= t, rs[3] = rotl(rs[3], 45);
	return r;
}

static int make_rand(const char *file, long long bytes)
{
	unsigned long long x = (unsigned long long)now_ns() ^ ((unsigned long long)getpid() << 32);
	for (int i = 0; i < 4; i++) {	/* splitmix64 to seed */
		unsigned long long z = (x += 0x9e3779b97f4a7c15ULL);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		rs[i] = z ^ (z >> 31);
	}
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(file);
	while (bytes > 0) {
		unsigned long long *q = (unsigned long long *)buf;
		for (size_t i = 0; i < BUF / 8; i++)
			q[i] = next64();
		size_t n = bytes > BUF ? BUF : (size_t)bytes;
		if (write(fd, buf, n) != (ssize_t)n)
			die(file);
		bytes -= n;
	}
	/* written back now, not by the kernel in the middle of a measurement */
	if (fsync(fd) != 0 || close(fd) != 0)
		die(file);
	return 0;
}

static int sink(int fd, const char *out)
{
	long long total = 0, first = 0, last = 0;
	for (;;) {
		ssize_t r = read(fd, buf, BUF);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("read");
		}
		if (r == 0)
			break;
		last = now_ns();
		if (!total)
			first = last;
		total += r;
	}
	char line[128];
	snprintf(line, sizeof line, "%lld %lld %lld\n", total, first, last);
	put_file(out, line);
	return 0;
}

/* Reads utime+stime (ticks) and, if asked, the last VmHWM (KiB) of pid,
 * but only while pid still runs the program called name (NULL: any):
 * a fork of socketpipe may exec ssh between two reads, and ssh's numbers
 * must not count.  The name is checked inside each file read, so each
 * value belongs to the program that file names.  1 if ticks were read. */
static int sample(pid_t pid, const char *name, unsigned long *ticks, long *hwm)
{
	char path[64], l[1024], nm[64];
	FILE *f;
	int ok = 0;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r"))) {
		if (fgets(l, sizeof l, f)) {
			char *o = strchr(l, '('), *p = strrchr(l, ')');
			unsigned long ut = 0, st = 0;
			/* after ") ": state ppid pgrp session tty tpgid flags minflt
			 * cminflt majflt cmajflt utime stime */
			if (o && p && p > o && (size_t)(p - o - 1) < sizeof nm) {
				memcpy(nm, o + 1, p - o - 1);
				nm[p - o - 1] = 0;
				if ((!name || !strcmp(nm, name)) &&
				    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
					   &ut, &st) == 2) {
					*ticks = ut + st;
					ok = 1;
				}
			}
		}
		fclose(f);
	}
	if (!hwm)
		return ok;
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r"))) {
		int same = !name;
		while (fgets(l, sizeof l, f)) {
			if (!strncmp(l, "Name:", 5)) {
				char *v = l + 5;
				v += strspn(v, " \t");
				v[strcspn(v, "\n")] = 0;
				same = !name || !strcmp(v, name);
			} else if (!strncmp(l, "VmHWM:", 6) && same)
				*hwm = atol(l + 6);
		}
		fclose(f);
	}
	return ok;
}

static void comm_of(pid_t pid, char *out, size_t n)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	FILE *f = fopen(path, "r");
	out[0] = 0;
	if (f) {
		if (!fgets(out, n, f))
			out[0] = 0;
		fclose(f);
	}
	out[strcspn(out, "\n")] = 0;
}

/* "Own" means CMD's process plus the children it forked without exec (a
 * relay process of socketpipe), not the programs it starts (producer,
 * login client).  Peak RSS is only readable while a process lives, so it
 * is sampled every 5 ms; VmHWM only grows within one program image but
 * restarts at exec, so the last sample counts (the final image, e.g.
 * socketpipe after `ip netns exec`), not the largest (this bt before its
 * exec).  The CPU of CMD itself is read exactly from its zombie before
 * reaping (wait4's rusage folds in every descendant); that of its forks is
 * their last sample, short by at most 5 ms each. */
#define MAXF 32
static int stats(const char *out, char **argv)
{
	/* The 5 ms sampling sleep ends at once when the child exits, so the
	 * wall time (set-up latency) is not rounded up to the sampling step. */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	long long t0 = now_ns();
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		sigprocmask(SIG_UNBLOCK, &chld, NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "bt: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	child = pid;
	signal(SIGINT, forward);
	signal(SIGTERM, forward);
	signal(SIGHUP, forward);
	pid_t fp[MAXF];
	unsigned long fcpu[MAXF];
	long fhwm[MAXF];
	int nf = 0;
	long hwm = 0;
	unsigned long ticks = 0;
	siginfo_t si;
	char path[96], me[64], cc[64];
	for (;;) {
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, pid, &si, WEXITED | WNOWAIT | WNOHANG) == 0 && si.si_pid == pid)
			break;
		sample(pid, NULL, &ticks, &hwm);
		comm_of(pid, me, sizeof me);
		snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
		FILE *f = fopen(path, "r");
		int c;
		while (f && fscanf(f, "%d", &c) == 1) {
			comm_of(c, cc, sizeof cc);
			if (strcmp(cc, me))
				continue;
			int i;
			for (i = 0; i < nf && fp[i] != c; i++)
				;
			if (i == nf) {
				if (nf == MAXF)
					continue;
				fp[nf] = c, fcpu[nf] = 0, fhwm[nf] = 0, nf++;
			}
			sample(c, me, &fcpu[i], &fhwm[i]);
		}
		if (f)
			fclose(f);
		struct timespec ts = { 0, 5000000 };
		sigtimedwait(&chld, NULL, &ts);
	}
	long long wall = now_ns() - t0;
	sample(pid, NULL, &ticks, NULL);
	for (int i = 0; i < nf; i++) {
		ticks += fcpu[i];
		if (fhwm[i] > hwm)
			hwm = fhwm[i];
	}
	long long own = (long long)ticks * (1000000000LL / sysconf(_SC_CLK_TCK));
	int status;
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	long long tree = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
			 (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	char line[256];
	snprintf(line, sizeof line, "%lld %lld %ld %lld %d\n", wall, own, hwm, tree, rc);
	put_file(out, line);
	return rc;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_DFL);
	if (argc == 4 && !strcmp(argv[1], "rand"))
		return make_rand(argv[2], atoll(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "gen"))
		return gen(1, atoll(argv[2]), argv[3]);
	if (argc == 3 && !strcmp(argv[1], "sink"))
		return sink(0, argv[2]);
	if (argc == 6 && !strcmp(argv[1], "send")) {
		int s = tcp_connect(argv[2], argv[3]);
		gen(s, atoll(argv[4]), argv[5]);
		return close(s) ? 1 : 0;
	}
	if (argc == 5 && !strcmp(argv[1], "recv"))
		return sink(tcp_accept_one(argv[2], argv[3]), argv[4]);
	if (argc >= 4 && !strcmp(argv[1], "stats"))
		return stats(argv[2], argv + 3);
	fprintf(stderr, "usage: bt rand FILE BYTES | gen BYTES FILE | sink OUT | send HOST PORT BYTES FILE | "
			"recv ADDR PORTFILE OUT | stats OUT CMD...\n");
	return 2;
}
