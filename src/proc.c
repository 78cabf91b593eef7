/* proc.c: processes.  Our signals are blocked and read from a signalfd
 * inside sig_wait(), so a child's exit or a ^C is seen between two steps
 * of a loop and never in the middle of one, and no handler (with musl's
 * sigaction and its locks) is needed.  With no handler, no system call of
 * ours ever fails with EINTR: no loop in src/ retries on it. */
#include <errno.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sp.h"

int sig_got, sig_chld;	/* set by sig_wait(), not by a handler */
static const char *run_what = "";	/* "the login command ": in run_path's error */
int spawn_failed;
static sigset_t old_mask;
static int sig_fd = -1, exec_fd = -1;
static pid_t groups[4];		/* process groups we started, for stop_groups() */
static int ngroups;

/* Signal n's bit in the first word of a set: our signals are all below 32,
 * and both C libraries keep a set as the kernel does, words of bits.
 * (sigaddset is a call into the C library, with range checks.) */
#define SIGBIT(n) (1UL << ((n) - 1))
#define SIGWORD(s) (*(unsigned long *)(s))

/* Starts a new child: it gets SIGTERM when we die (no orphans), and
 * sig_init() is undone, as a command expects to start (a relay child keeps
 * SIGPIPE blocked: a write to a gone reader is EPIPE). */
static void child_init(int keep_pipe_blocked)
{
	sigset_t s = old_mask;

	sysc(SYS_prctl, PR_SET_PDEATHSIG, SIGTERM);
	if (keep_pipe_blocked) SIGWORD(&s) |= SIGBIT(SIGPIPE);
	sigprocmask(SIG_SETMASK, &s, 0);
}

/* Executes argv[0], searched in PATH unless it has a slash, as execvp()
 * does (musl's brings a getenv and string functions we otherwise lack).
 * Does not return: on failure it says why and exits 127 when there is no
 * such command, else 126, as a shell does. */
void run_path(char **argv)
{
	static char buf[4096];
	extern char **environ;
	const char *a = argv[0], *p = env("PATH");
	size_t n = strlen(a) + 1, k;
	int err = ENOENT;

	/* a name with a slash is tried as it is: as in a PATH of one empty
	 * entry (an empty entry adds no slash) */
	if (a[seglen(a, "/")]) p = "";
	else if (!p) p = "/usr/local/bin:/bin:/usr/bin";
	for (;; p += k + 1) {
		k = seglen(p, ":");
		if (k + n < sizeof buf) {
			memcpy(buf, p, k);
			buf[k] = '/';
			memcpy(buf + k + !!k, a, n);
			execve(buf, argv, environ);
			if (errno != ENOENT && errno != ENOTDIR) err = errno;
		}
		if (!p[k]) break;
	}
	errno = err;
	say("cannot run %s'%s': %m", run_what, a);
	if (exec_fd >= 0) write(exec_fd, "", 1);	/* spawn() learns it failed */
	_exit(err == ENOENT ? 127 : 126);
}

/* Blocks SIGCHLD, SIGINT, SIGTERM, SIGHUP for the signalfd that sig_wait()
 * reads, and SIGPIPE, so a vanished reader is an EPIPE we can report, not a
 * silent death.  SIGCHLD goes back to its default first: ignored, it would
 * reap our children before we could read their statuses.  Exits EX_SYS
 * when there is no signalfd (kernels before 2.6.27). */
void sig_init(void)
{
	static unsigned long dfl[8];	/* any kernel's sigaction: SIG_DFL (in .bss, no file bytes) */
	sigset_t s = { 0 };

	sysc(SYS_rt_sigaction, SIGCHLD, dfl, 0, _NSIG / 8);
	SIGWORD(&s) = SIGBIT(SIGCHLD) | SIGBIT(SIGINT) | SIGBIT(SIGTERM) | SIGBIT(SIGHUP);
	sigprocmask(SIG_BLOCK, &s, &old_mask);
	sig_fd = signalfd(-1, &s, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sig_fd < 0) die(EX_SYS, "signalfd: %m");
	SIGWORD(&s) |= SIGBIT(SIGPIPE);
	sigprocmask(SIG_BLOCK, &s, 0);
}

/* Polls n fds (at most 39; negative ones left out) for at most ms (-1: no
 * bound) and the signalfd; records what signals came in sig_got (the last
 * stop signal) and sig_chld.  Only open fds go to poll: it refuses a set
 * longer than the descriptor limit (ulimit -n), unused entries included.
 * Returns poll's result, counting the signalfd when it was ready; exits
 * EX_SYS when poll fails. */
int sig_wait(struct pollfd *p, int n, int ms)
{
	struct pollfd q[40];
	struct signalfd_siginfo si;
	int i, k = 1, r;

	q[0].fd = sig_fd, q[0].events = POLLIN;
	for (i = 0; i < n; i++) {
		p[i].revents = 0;
		if (p[i].fd >= 0) q[k++] = p[i];
	}
	if ((r = poll(q, k, ms)) < 0) die(EX_SYS, "poll: %m");
	for (i = 0, k = 1; i < n; i++)
		if (p[i].fd >= 0) p[i].revents = q[k++].revents;
	while (q[0].revents && read(sig_fd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo == SIGCHLD) sig_chld = 1;
		else sig_got = si.ssi_signo;
	}
	return r;
}

/* Forks with the bare clone system call: musl's fork() brings its locks
 * and atfork machinery, a tenth of our size budget, for threads and stdio
 * we do not have.  Returns like fork(). */
static pid_t sp_fork(void)
{
#ifdef __SANITIZE_ADDRESS__
	return fork();		/* the sanitizers must see the fork */
#else
	return sysc(SYS_clone, SIGCHLD, 0, 0, 0);	/* tls unread without CLONE_SETTLS */
#endif
}

/* Runs argv, named in its error by what ("the login command "), with fd0
 * as stdin and fd1 as stdout (a negative fd keeps ours).
 * SPAWN_CLOSE closes every fd above 2 (a login command gets nothing of
 * ours); SPAWN_PGRP starts a process group (so the command's whole tree
 * can be stopped, by stop_proc() and stop_groups()).  Returns the pid, or
 * -1 when fork failed; sets spawn_failed when argv[0] could not be run (the
 * child then says why and exits 126 or 127). */
pid_t spawn(const char *what, char **argv, int fd0, int fd1, int flags)
{
	int ep[2], fd;
	char c;
	pid_t pid;

	if (sys_pipe(ep)) return -1;
	if ((pid = sp_fork())) {
		close(ep[1]);
		spawn_failed = pid > 0 && read(ep[0], &c, 1) == 1;
		close(ep[0]);
		if (pid > 0 && (flags & SPAWN_PGRP) && ngroups < 4) groups[ngroups++] = pid;
		return pid;
	}
	child_init(0);
	exec_fd = ep[1];
	run_what = what;
	if (fd0 >= 0 && fd0 != 0) dup2(fd0, 0);
	if (fd1 >= 0 && fd1 != 1) dup2(fd1, 1);
	if (flags & SPAWN_PGRP) setpgid(0, 0);
	if (flags & SPAWN_CLOSE) {
		/* close-on-exec for all (Linux 5.11), so exec_fd lasts until exec */
#ifdef SYS_close_range
		if (sysc(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */))
#endif
			for (fd = 3; fd < 1024; fd++) if (fd != exec_fd) close(fd);
	}
	run_path(argv);
}

/* Sends SIGTERM to every process group spawn() started: what a command
 * left running behind it (a login shell's child, a pipeline's first part)
 * goes with it. */
void stop_groups(void)
{
	while (ngroups) kill(-groups[--ngroups], SIGTERM);
}

/* Runs relay(from, to) in a child of its own, so each direction blocks
 * only itself; returns the pid, or -1. */
pid_t spawn_relay(int from, int to)
{
	pid_t pid = sp_fork();
	if (pid) return pid;
	child_init(1);
	_exit(relay(from, to));
}

/* Returns the shell's view of a wait status: the exit code, or 128+N. */
int exit_code(int ws)
{
	return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
}

/* Stops *pid if still running: first lets it end on its own for wait_ms,
 * then SIGTERM to it (or to its group when it leads one), then SIGKILL
 * after grace_ms; reaps it into *status and clears *pid.  Each 20 ms step
 * ends early at a signal (our children's SIGCHLD: a handful), so a login
 * command that ends on its own costs no polling step; those 20 ms were
 * most of what socketpipe added to a login's own time. */
void stop_proc(pid_t *pid, int *status, int wait_ms, int grace_ms)
{
	int ws, i;
	pid_t who;

	if (*pid <= 0) return;
	who = getpgid(*pid) == *pid ? -*pid : *pid;
	for (i = -wait_ms / 20; i <= grace_ms / 20; i++) {
		if (!i) kill(who, SIGTERM);
		if (waitpid(*pid, &ws, WNOHANG) == *pid) goto done;
		sig_wait(0, 0, 20);
	}
	kill(who, SIGKILL);
	if (waitpid(*pid, &ws, 0) != *pid) ws = SIGKILL;
done:
	*status = exit_code(ws);
	*pid = 0;
}
