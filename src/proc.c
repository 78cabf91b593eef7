/* proc.c: processes.  Signals are blocked except inside sig_wait(), so a
 * child's exit or a ^C is seen between two steps of a loop and never in the
 * middle of one. */
#include <errno.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sp.h"

volatile sig_atomic_t sig_got, sig_chld;
static sigset_t old_mask;
static const int stops[] = { SIGINT, SIGTERM, SIGHUP };

/* Records a signal for the loop that is waiting in sig_wait(). */
static void on_sig(int s)
{
	if (s == SIGCHLD) sig_chld = 1;
	else sig_got = s;
}

/* Sets the handler of signal s. */
static void handle(int s, void (*h)(int))
{
	struct sigaction sa = { .sa_handler = h };
	sigaction(s, &sa, 0);
}

/* Undoes sig_init() in a new child, as a command expects to start. */
static void sig_reset(int keep_pipe_ignored)
{
	unsigned i;
	handle(SIGCHLD, SIG_DFL);
	for (i = 0; i < 3; i++) handle(stops[i], SIG_DFL);
	if (!keep_pipe_ignored) handle(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old_mask, 0);
}

/* Executes argv[0], searched in PATH unless it has a slash, as execvp()
 * does (musl's brings a getenv and string functions we otherwise lack);
 * returns only on failure, with errno set. */
void run_path(char **argv)
{
	static char buf[4096];
	extern char **environ;
	const char *p = env("PATH");
	size_t n = strlen(argv[0]) + 1, k;
	int err = ENOENT;

	if (argv[0][seglen(argv[0], "/")]) {
		execve(argv[0], argv, environ);
		return;
	}
	for (p = p ? p : "/usr/local/bin:/bin:/usr/bin"; ; p += k + 1) {
		k = seglen(p, ":");
		if (k + n < sizeof buf) {
			memcpy(buf, p, k);
			buf[k] = '/';
			memcpy(buf + k + !!k, argv[0], n);
			execve(buf, argv, environ);
			if (errno != ENOENT && errno != ENOTDIR) err = errno;
		}
		if (!p[k]) break;
	}
	errno = err;
}

/* Blocks and catches SIGCHLD, SIGINT, SIGTERM, SIGHUP; ignores SIGPIPE so a
 * vanished reader is an EPIPE we can report, not a silent death. */
void sig_init(void)
{
	sigset_t s;
	unsigned i;

	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	for (i = 0; i < 3; i++) sigaddset(&s, stops[i]);
	sigprocmask(SIG_BLOCK, &s, &old_mask);
	handle(SIGCHLD, on_sig);
	for (i = 0; i < 3; i++) handle(stops[i], on_sig);
	handle(SIGPIPE, SIG_IGN);
}

/* Polls n fds for at most ms (-1: no bound) with our signals let in; returns
 * ppoll's result (-1 with EINTR when a signal came). */
int sig_wait(struct pollfd *p, int n, int ms)
{
	struct timespec t = { ms / 1000, ms % 1000 * 1000000L };
	sigset_t s = old_mask;
	unsigned i;

	sigdelset(&s, SIGCHLD);
	for (i = 0; i < 3; i++) sigdelset(&s, stops[i]);
	return ppoll(p, n, ms < 0 ? 0 : &t, &s);
}

/* Forks with the bare clone system call: musl's fork() brings its locks
 * and atfork machinery, a tenth of our size budget, for threads and stdio
 * we do not have.  Returns like fork(). */
static pid_t sp_fork(void)
{
#ifdef __SANITIZE_ADDRESS__
	return fork();		/* the sanitizers must see the fork */
#else
	return syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
#endif
}

/* Runs argv with fd0 as stdin and fd1 as stdout (a negative fd keeps ours).
 * SPAWN_CLOSE closes every fd above 2 (a login command gets nothing of
 * ours); SPAWN_PGRP starts a process group (so the remote command's whole
 * tree can be stopped).  Returns the pid, or -1. */
pid_t spawn(char **argv, int fd0, int fd1, int flags)
{
	pid_t pid = sp_fork();
	int fd;

	if (pid) return pid;
	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGTERM);	/* no orphans if we die */
	sig_reset(0);
	if (fd0 >= 0 && fd0 != 0) dup2(fd0, 0);
	if (fd1 >= 0 && fd1 != 1) dup2(fd1, 1);
	if (flags & SPAWN_PGRP) setpgid(0, 0);
	if (flags & SPAWN_CLOSE) {
#ifdef SYS_close_range
		if (syscall(SYS_close_range, 3, ~0U, 0))
#endif
			for (fd = 3; fd < 1024; fd++) close(fd);
	}
	run_path(argv);
	fd = errno;
	say("cannot run '%s': %m", argv[0]);
	_exit(fd == ENOENT ? 127 : 126);
}

/* Runs relay(from, to) in a child of its own, so each direction blocks
 * only itself; returns the pid, or -1. */
pid_t spawn_relay(int from, int to)
{
	pid_t pid = sp_fork();
	if (pid) return pid;
	sig_reset(1);
	_exit(relay(from, to));
}

/* Returns the shell's view of a wait status: the exit code, or 128+N. */
int exit_code(int ws)
{
	return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
}

/* Stops *pid if still running (SIGTERM to it, or to its group when it leads
 * one, then SIGKILL after grace_ms), reaps it into *status, clears *pid. */
void stop_proc(pid_t *pid, int *status, int grace_ms)
{
	int ws, i;
	pid_t who = getpgid(*pid) == *pid ? -*pid : *pid;

	if (*pid <= 0) return;
	kill(who, SIGTERM);
	for (i = 0; i <= grace_ms / 20; i++) {
		if (waitpid(*pid, &ws, WNOHANG) == *pid) goto done;
		poll(0, 0, 20);
	}
	kill(who, SIGKILL);
	if (waitpid(*pid, &ws, 0) != *pid) ws = SIGKILL;
done:
	*status = exit_code(ws);
	*pid = 0;
}
