/* sys.c: the system calls socketpipe makes, straight to the kernel.
 * musl's wrappers carry what a general C library needs (cancellation
 * points, time64 conversions, fallbacks for kernels before 2.6.27, which
 * cannot run socketpipe anyway: it needs signalfd) and cost 2 KB.  These
 * keep the C library's names and errno convention, so the rest of src/
 * reads as ordinary POSIX and builds unchanged on glibc (the sanitizer and
 * fuzz builds), where this file is empty.  Built with SP_START, as
 * libc.c. */
#ifdef SP_START
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

/* The calls whose wrappers pass the C arguments as they are, for the
 * architectures with wrappers in assembly below: W(name, number, fix) is
 * each one's own. */
#define CALLS_PLAIN \
	W(_exit, SYS_exit_group, "") W(read, SYS_read, "") W(write, SYS_write, "") \
	W(close, SYS_close, "") W(execve, SYS_execve, "") W(kill, SYS_kill, "") \
	W(setpgid, SYS_setpgid, "") W(getpgid, SYS_getpgid, "") W(dup2, SYS_dup2, "") \
	W(poll, SYS_poll, "")
/* and those that go straight to the kernel where it has no socketcall */
#define CALLS_SOCKET \
	W(socket, SYS_socket, "") W(bind, SYS_bind, "") W(connect, SYS_connect, "") \
	W(listen, SYS_listen, "") W(getsockname, SYS_getsockname, "") \
	W(shutdown, SYS_shutdown, "") W(setsockopt, SYS_setsockopt, "") \
	W(getsockopt, SYS_getsockopt, "")
/* and the sp_* calls of sysc() (sp.h) that take their arguments as they
 * are, where sysc() has a wrapper for each call (x86_64, ppc) */
#define CALLS_SYSC \
	W(sp_lseek, SYS_lseek, "") W(sp_ioctl, SYS_ioctl, "") \
	".globl sp_fcntl2\n.type sp_fcntl2,@function\nsp_fcntl2:\n" \
	W(sp_fcntl, SYS_fcntl, "") W(sp_readlinkat, SYS_readlinkat, "") \
	W(sp_unlinkat, SYS_unlinkat, "") W(sp_uname, SYS_uname, "") \
	W(sp_rt_sigaction, SYS_rt_sigaction, "") W(sp_clone, SYS_clone, "") \
	W(sp_prctl, SYS_prctl, "") W(sp_close_range, SYS_close_range, "") \
	W(sp_getrandom, SYS_getrandom, "")

#if defined(__x86_64__)
/* x86_64: each wrapper pushes its number and jumps to one shared tail.
 * The C arguments already sit where the kernel wants them (the fourth
 * moves from %rcx, which syscall overwrites, to %r10), and an int needs no
 * widening: the kernel reads its low half.  Written in C, every wrapper
 * widened its ints and cleared the registers it did not use: 450 bytes
 * more for the same calls.  A wrapper with fewer arguments than its kernel
 * call sets the rest first.  A number from 256 to 383 is pushed less 256
 * (a push of one byte, not four) and an incb puts it right on the way to
 * the tail.  One block of assembly, the tail in the middle, keeps every
 * jump to the tail two bytes long; since the link-time optimiser cannot see what it
 * defines, the x86_64 link takes no C library at all (LINK in
 * board/x86_64.mk), or musl's read() and the rest would come in too. */
#define S_(x) #x
#define S(x) S_(x)
#define W(name, nr, fix) ".globl " #name "\n.type " #name ",@function\n" #name ":\n" \
	fix ".if " S(nr) " >> 7 == 2\n push $" S(nr) " - 256\n jmp .Lhi\n" \
	".else\n push $" S(nr) "\n jmp .Lsc\n.endif\n"
#define O_CLOEXEC_BIT 19
_Static_assert(O_CLOEXEC == 1 << O_CLOEXEC_BIT, "O_CLOEXEC");
__asm__(".text\n"
	CALLS_PLAIN
	W(waitpid, SYS_wait4, "xor %ecx,%ecx\n")		/* no rusage */
	/* the kernel's sigset is 8 bytes, after the sets (signalfd4: before the flags) */
	W(sigprocmask, SYS_rt_sigprocmask, "push $8\n pop %rcx\n")
	W(signalfd, SYS_signalfd4, "mov %rdx,%rcx\n push $8\n pop %rdx\n")
	W(splice, SYS_splice, "")
	CALLS_SOCKET
	/* send and recv: sendto and recvfrom with a null address, whose
	 * length the kernel then does not read */
	".globl send,recv\n.type send,@function\n.type recv,@function\n"
	"send: push $" S(SYS_sendto) "\n jmp 1f\nrecv: push $" S(SYS_recvfrom) "\n"
	"1: xor %r8d,%r8d\n jmp .Lsc\n"
	/* the tail, in the middle so that every jump to it is two bytes:
	 * returns the kernel's answer, or -1 with errno set for -4095..-1,
	 * told by the sign alone: no call here succeeds with a value that
	 * large (no mmap) */
	".Lhi: incb 1(%rsp)\n"
	".Lsc: pop %rax\n mov %rcx,%r10\n syscall\n test %rax,%rax\n js 1f\n ret\n"
	"1: neg %eax\n mov %eax,sp_errno(%rip)\n or $-1,%rax\n ret\n"
	W(sp_accept4, SYS_accept4, "")
	W(sp_accept, SYS_accept, "")
	/* the calls sysc() makes (sp.h).  sp_open(path, fl) is
	 * openat(AT_FDCWD, path, fl | O_CLOEXEC), sp_pipe(p) pipe2(p,
	 * O_CLOEXEC): what sys_open() and sys_pipe() ask for, set here once
	 * rather than at each call */
	".globl sp_open\n.type sp_open,@function\nsp_open:\n mov %esi,%edx\n mov %rdi,%rsi\n"
	"push $" S(AT_FDCWD) "\n pop %rdi\n bts $" S(O_CLOEXEC_BIT) ",%edx\n"
	W(sp_openat, SYS_openat, "")
	W(sp_pipe, SYS_pipe2, "mov $" S(O_CLOEXEC) ",%esi\n")
	CALLS_SYSC
	W(sp_clock_gettime, SYS_clock_gettime, ""));
#define ALL_ASM

#elif defined(__mips__)
/* MIPS o32, as x86_64: the C arguments already sit where the kernel reads
 * them ($a0-$a3, the fifth and sixth at 16 and 20($sp) of the caller's
 * frame, where o32 callers put them anyway), so each wrapper loads its
 * number in the delay slot of a branch to one shared syscall and tail: 8
 * bytes a call.  In C (sc() and a sys6() taking seven arguments), every
 * call site stored three of them on the stack: 928 bytes more for the
 * same calls.  Older kernels (2.6) restart an interrupted call by backing
 * the PC up two instructions and let the first reload $v0, which holds
 * the error code by then ("the li instruction ... must directly be
 * followed by the syscall instruction", arch/mips/kernel/signal.c; newer
 * ones restore $v0 themselves).  So the number goes through memory: the
 * shared code stores it in the slot o32 reserves for $a3 in the caller's
 * frame (no call passes a fourth argument there) and the instruction
 * right before the syscall loads it back, on a restart too.  On failure
 * $a3 is set and $v0 holds the positive error number.  The kernel has
 * send and recv for o32, so no call needs arguments the C caller did not
 * pass.  The link takes no C library (LINK in board/mipsel.mk), as on
 * x86_64. */
#define S_(x) #x
#define S(x) S_(x)
#define W(name, nr, fix) ".globl " #name "\n.type " #name ",@function\n" #name ":\n" \
	fix "b .Lsys\n li $2," S(nr) "\n"
__asm__(".text\n.set push\n.set noreorder\n"
	CALLS_PLAIN
	W(waitpid, SYS_wait4, "move $7,$0\n")			/* no rusage */
	/* the kernel's sigset is 16 bytes on MIPS (128 signals), after the
	 * sets (signalfd4: before the flags) */
	W(sigprocmask, SYS_rt_sigprocmask, "li $7," S(_NSIG / 8) "\n")
	W(signalfd, SYS_signalfd4, "move $7,$6\n li $6," S(_NSIG / 8) "\n")
	W(splice, SYS_splice, "")
	CALLS_SOCKET
	W(send, SYS_send, "")
	W(recv, SYS_recv, "")
	W(sp_accept4, SYS_accept4, "")
	W(sp_accept, SYS_accept, "")
	/* sp_syscall(n, ...), sysc() in sp.h: syscall() with at most four
	 * arguments, the number first.  A call with fewer leaves $a3 with
	 * whatever its frame holds at 16($sp): the kernel does not read it. */
	".globl sp_syscall\n.type sp_syscall,@function\nsp_syscall:\n move $2,$4\n move $4,$5\n"
	"move $5,$6\n move $6,$7\n lw $7,16($29)\n"
	/* the number to memory and back, where a restart reloads it */
	".Lsys: sw $2,12($29)\n lw $2,12($29)\n syscall\n"
	/* the tail: returns the kernel's answer, or -1 with errno set */
	"bnez $7,1f\n lui $8,%hi(sp_errno)\n jr $31\n nop\n"
	"1: sw $2,%lo(sp_errno)($8)\n jr $31\n li $2,-1\n.set pop\n");
#define ALL_ASM

/* Elsewhere sc(n, a, b, c, d, e, f) makes system call n and returns the
 * kernel's answer, -errno on failure; the wrappers are C.  One block per
 * board CPU. */
#elif defined(__i386__)
/* int $0x80 works on every i386 kernel; the sixth argument goes in %ebp,
 * which cannot be named to the compiler, so it travels through memory */
static long sc(long n, long a, long b, long c, long d, long e, long f)
{
	long ef[2] = { e, f }, *p = ef;
	__asm__ volatile("push %%ebp\n mov 4(%%edi),%%ebp\n mov (%%edi),%%edi\n"
		"int $0x80\n pop %%ebp" : "+a"(n), "+D"(p) : "b"(a), "c"(b), "d"(c),
		"S"(d) : "memory");
	return n;
}
#elif defined(__aarch64__) || defined(__riscv)
/* the number in a register of its own, the arguments where a call has them */
#ifdef __aarch64__
#define SC_NR "x8"
#define SC_A(i) "x" #i
#define SC_INSN "svc 0"
#else
#define SC_NR "a7"
#define SC_A(i) "a" #i
#define SC_INSN "ecall"
#endif
static long sc(long n, long a, long b, long c, long d, long e, long f)
{
	register long nr __asm__(SC_NR) = n, r0 __asm__(SC_A(0)) = a, r1 __asm__(SC_A(1)) = b,
		r2 __asm__(SC_A(2)) = c, r3 __asm__(SC_A(3)) = d, r4 __asm__(SC_A(4)) = e,
		r5 __asm__(SC_A(5)) = f;
	__asm__ volatile(SC_INSN : "+r"(r0) : "r"(nr), "r"(r1), "r"(r2), "r"(r3), "r"(r4),
		"r"(r5) : "memory");
	return r0;
}
#elif defined(__arm__)
/* r7 carries the number, but in Thumb code it may be the frame pointer:
 * saved in ip around the call */
static long sc(long n, long a, long b, long c, long d, long e, long f)
{
	register long r0 __asm__("r0") = a, r1 __asm__("r1") = b, r2 __asm__("r2") = c,
		r3 __asm__("r3") = d, r4 __asm__("r4") = e, r5 __asm__("r5") = f;
	__asm__ volatile("mov ip,r7\n mov r7,%1\n svc 0\n mov r7,ip" : "+r"(r0) : "r"(n),
		"r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5) : "ip", "memory");
	return r0;
}
#elif defined(__powerpc__) && !defined(__powerpc64__)
/* PowerPC, as x86_64: the C arguments already sit where the kernel wants
 * them (r3 up), so each wrapper loads its number into r0 and branches to
 * one shared tail: 8 bytes a call, where a wrapper in C that calls sys6()
 * was 32 (and each inlined call shuffled seven arguments).  The socket
 * calls need socketcall(2) on kernels before 2.6.37: each of their
 * wrappers loads its socketcall number into r12 and branches to a tail of
 * their own, which adds 325 for the system call's number (all but recv and
 * accept4, which load both), tries it, and on ENOSYS passes the arguments
 * it saved in its frame to socketcall.  In C (net() taking eight
 * arguments, each call site loading them all) the same calls were 304
 * bytes more.  The link takes no C library (LINK in board/ppc.mk), as on
 * x86_64. */
#define S_(x) #x
#define S(x) S_(x)
#define W(name, nr, fix) ".globl " #name "\n.type " #name ",@function\n" #name ":\n" \
	fix "li 0," S(nr) "\n b .Lsc\n"
/* N(name, call, nr): a socket call, socketcall number call, system call nr */
#define N(name, call, nr) ".globl " #name "\n.type " #name ",@function\n" #name ":\n li 12," #call "\n" \
	".if " S(nr) " == " #call " + 325\n b .Lnet\n.else\n li 0," S(nr) "\n b .Lnet0\n.endif\n"
__asm__(".text\n"
	CALLS_PLAIN
	W(waitpid, SYS_wait4, "li 6,0\n")			/* no rusage */
	/* the kernel's sigset is 8 bytes, after the sets (signalfd4: before the flags) */
	W(sigprocmask, SYS_rt_sigprocmask, "li 6,8\n")
	W(signalfd, SYS_signalfd4, "mr 6,5\n li 5,8\n")
	W(splice, SYS_splice, "")
	/* the calls sysc() makes (sp.h), as on x86_64.  sp_open(path, fl)
	 * is openat(AT_FDCWD, path, fl | O_CLOEXEC), sp_pipe(p) pipe2(p,
	 * O_CLOEXEC) */
	".globl sp_open\n.type sp_open,@function\nsp_open:\n mr 5,4\n mr 4,3\n li 3," S(AT_FDCWD) "\n"
	"oris 5,5," S(O_CLOEXEC) ">>16\n"
	W(sp_openat, SYS_openat, "")
	W(sp_pipe, SYS_pipe2, "lis 4," S(O_CLOEXEC) ">>16\n")
	CALLS_SYSC	/* ppc's clone: flags, stack, ptid, tls, ctid */
	W(sp_clock_gettime, SYS_clock_gettime32, "")
	W(sp_clock_gettime64, SYS_clock_gettime64, "")
	N(socket, 1, SYS_socket) N(bind, 2, SYS_bind) N(connect, 3, SYS_connect)
	N(listen, 4, SYS_listen) N(sp_accept, 5, SYS_accept) N(getsockname, 6, SYS_getsockname)
	N(send, 9, SYS_send) N(recv, 10, SYS_recv) N(shutdown, 13, SYS_shutdown)
	N(setsockopt, 14, SYS_setsockopt) N(getsockopt, 15, SYS_getsockopt)
	N(sp_accept4, 18, SYS_accept4)
	/* the socket calls' tail: the arguments (at most five) and the
	 * socketcall number kept in a frame of its own, where socketcall
	 * reads them; cr1 for the ENOSYS test keeps cr0's failure bit */
	".Lnet: addi 0,12,325\n"
	".Lnet0: stwu 1,-32(1)\n stw 3,8(1)\n stw 4,12(1)\n stw 5,16(1)\n stw 6,20(1)\n"
	"stw 7,24(1)\n stw 12,28(1)\n sc\n bns+ 1f\n cmpwi 1,3," S(ENOSYS) "\n bne 1,1f\n"
	"li 0," S(SYS_socketcall) "\n lwz 3,28(1)\n addi 4,1,8\n sc\n"
	"1: addi 1,1,32\n b .Lret\n"
	/* the tail: failure is cr0's summary-overflow bit, with a positive
	 * error number in r3 */
	".Lsc: sc\n.Lret: bnslr+\n lis 4,sp_errno@ha\n stw 3,sp_errno@l(4)\n li 3,-1\n blr\n"
	/* GCC's out-of-line register restores for -Os, as libgcc's
	 * crtresxgpr.S has them: the link takes no library (LINK in
	 * board/ppc.mk), or the C library's read() and the rest would come
	 * in beside these.  _restgpr_N_x reloads rN..r31 from the frame
	 * that r11 points past, then returns from the caller. */
	".irp r,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
	".globl _restgpr_\\r\\()_x\n.hidden _restgpr_\\r\\()_x\n"
	"_restgpr_\\r\\()_x: lwz \\r,(\\r-32)*4(11)\n.endr\n"
	".globl _restgpr_31_x\n.hidden _restgpr_31_x\n"
	"_restgpr_31_x: lwz 0,4(11)\n lwz 31,-4(11)\n mtlr 0\n mr 1,11\n blr\n");
#define ALL_ASM
#else
#error "no system calls for this CPU: add sc() to src/sys.c"
#endif

#ifdef ALL_ASM
/* the calls the C below makes to the assembly above */
int sp_accept4(int fd, struct sockaddr *a, socklen_t *n, int fl);
int sp_accept(int fd, struct sockaddr *a, socklen_t *n);
#define ACCEPT4 sp_accept4(fd, a, n, fl)
#define ACCEPT sp_accept(fd, a, n)
#ifdef __mips__
long sp_syscall(long n, ...);
#define FCNTL(fd, cmd, arg) sp_syscall(SYS_fcntl, fd, cmd, arg)
#else
int sp_fcntl(int fd, int cmd, unsigned long arg);
#define FCNTL(fd, cmd, arg) sp_fcntl(fd, cmd, arg)
#endif
#else
/* Returns r, or -1 with errno set when r is a kernel error (-4095..-1). */
static long ret(long r)
{
	if ((unsigned long)r > -4096UL) {
		errno = -r;
		return -1;
	}
	return r;
}

/* The one entry for calls without a C wrapper here: syscall() without
 * the varargs, whose prologue costs more than the call. */
#ifdef ASM_CALLS
long sys6(long n, long a, long b, long c, long d, long e, long f);
#else
__attribute__((noinline)) long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	return ret(sc(n, a, b, c, d, e, f));
}
#endif

/* CALL6 and CALL3: a system call of six or three arguments, returning as
 * the C library does.  The wrappers call sys6(): one copy of the
 * instruction sequence, each wrapper a jump to it.  On aarch64 and riscv64 the arguments are already
 * where the kernel wants them and the sequence is shorter than a call with
 * seven arguments (measured), so it goes inline there. */
#if defined(__aarch64__) || defined(__riscv)
#define CALL6(n, a, b, c, d, e, f) \
	ret(sc(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)))
#else
#define CALL6(n, a, b, c, d, e, f) \
	sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#endif
#define CALL3(n, a, b, c) CALL6(n, a, b, c, 0, 0, 0)

/* SOCKCALL(n, nr, ...): socket call n of socketcall(2), system call nr.
 * i386 and 32-bit PowerPC got socket system calls of their own only in
 * 4.3 and 2.6.37: before, they go through socketcall(2). */
#if defined(__i386__) || defined(__powerpc__)
static long net(int call, long nr, long a, long b, long c, long d, long e, long f)
{
	long v[6] = { a, b, c, d, e, f }, r = sc(nr, a, b, c, d, e, f);
	if (r == -ENOSYS) r = sc(SYS_socketcall, call, (long)v, 0, 0, 0, 0);
	return ret(r);
}
#ifndef SYS_accept
#define SYS_accept -1	/* i386: accept only ever came through socketcall */
#endif
#define SOCKCALL(call, nr, a, b, c, d, e, f) \
	net(call, nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#else
#define SOCKCALL(call, nr, a, b, c, d, e, f) CALL6(nr, a, b, c, d, e, f)
#endif

#ifndef ASM_CALLS
_Noreturn void _exit(int s)
{
	for (;;) sc(SYS_exit_group, s, 0, 0, 0, 0, 0);
}

ssize_t read(int fd, void *b, size_t n) { return CALL3(SYS_read, fd, b, n); }
ssize_t write(int fd, const void *b, size_t n) { return CALL3(SYS_write, fd, b, n); }
int close(int fd) { return CALL3(SYS_close, fd, 0, 0); }
int execve(const char *p, char *const a[], char *const e[]) { return CALL3(SYS_execve, p, a, e); }
int kill(pid_t p, int s) { return CALL3(SYS_kill, p, s, 0); }
int setpgid(pid_t p, pid_t g) { return CALL3(SYS_setpgid, p, g, 0); }
pid_t getpgid(pid_t p) { return CALL3(SYS_getpgid, p, 0, 0); }
pid_t waitpid(pid_t p, int *s, int o) { return CALL6(SYS_wait4, p, s, o, 0, 0, 0); }
/* dup2(a, a) must not fail: dup3, the only call on newer CPUs, refuses it */
int dup2(int a, int b)
{
#ifdef SYS_dup2
	return CALL3(SYS_dup2, a, b, 0);
#else
	return a == b ? b : CALL3(SYS_dup3, a, b, 0);
#endif
}

int poll(struct pollfd *p, nfds_t n, int ms)
{
#ifdef SYS_poll
	return CALL3(SYS_poll, p, n, ms);
#else
	long t[2] = { ms / 1000, ms % 1000 * 1000000L };
	return CALL6(SYS_ppoll, p, n, ms < 0 ? 0 : t, 0, 0, 0);
#endif
}

int sigprocmask(int how, const sigset_t *s, sigset_t *old)
{
	return CALL6(SYS_rt_sigprocmask, how, s, old, _NSIG / 8, 0, 0);
}

int signalfd(int fd, const sigset_t *s, int flags)
{
	return CALL6(SYS_signalfd4, fd, s, _NSIG / 8, flags, 0, 0);
}

ssize_t splice(int a, off_t *ao, int b, off_t *bo, size_t n, unsigned fl)
{
	return CALL6(SYS_splice, a, ao, b, bo, n, fl);
}

#endif

int socket(int d, int t, int p) { return SOCKCALL(1, SYS_socket, d, t, p, 0, 0, 0); }
int bind(int fd, const struct sockaddr *a, socklen_t n) { return SOCKCALL(2, SYS_bind, fd, a, n, 0, 0, 0); }
int connect(int fd, const struct sockaddr *a, socklen_t n) { return SOCKCALL(3, SYS_connect, fd, a, n, 0, 0, 0); }
int listen(int fd, int n) { return SOCKCALL(4, SYS_listen, fd, n, 0, 0, 0, 0); }
int getsockname(int fd, struct sockaddr *a, socklen_t *n) { return SOCKCALL(6, SYS_getsockname, fd, a, n, 0, 0, 0); }
int shutdown(int fd, int how) { return SOCKCALL(13, SYS_shutdown, fd, how, 0, 0, 0, 0); }
int setsockopt(int fd, int l, int o, const void *v, socklen_t n) { return SOCKCALL(14, SYS_setsockopt, fd, l, o, v, n, 0); }
int getsockopt(int fd, int l, int o, void *v, socklen_t *n) { return SOCKCALL(15, SYS_getsockopt, fd, l, o, v, n, 0); }
ssize_t sendto(int fd, const void *b, size_t n, int fl, const struct sockaddr *a, socklen_t an)
{
	return SOCKCALL(11, SYS_sendto, fd, b, n, fl, a, an);
}
ssize_t recvfrom(int fd, void *b, size_t n, int fl, struct sockaddr *a, socklen_t *an)
{
	return SOCKCALL(12, SYS_recvfrom, fd, b, n, fl, a, an);
}
ssize_t send(int fd, const void *b, size_t n, int fl) { return sendto(fd, b, n, fl, 0, 0); }
ssize_t recv(int fd, void *b, size_t n, int fl) { return recvfrom(fd, b, n, fl, 0, 0); }

#define ACCEPT4 SOCKCALL(18, SYS_accept4, fd, a, n, fl, 0, 0)
#define ACCEPT SOCKCALL(5, SYS_accept, fd, a, n, 0, 0, 0)
#define FCNTL(fd, cmd, arg) CALL3(SYS_fcntl, fd, cmd, arg)
#endif

/* errno as libc.c keeps it: no call to find it (sp.h does the same for
 * the rest of src/) */
#undef errno
#define errno sp_errno
extern int sp_errno;

/* accept4 came in 2.6.28 (i386) to 2.6.36 (ARM): before it, accept and
 * set the flags after */
int accept4(int fd, struct sockaddr *a, socklen_t *n, int fl)
{
	int s = ACCEPT4;

	if (s < 0 && (errno == ENOSYS || errno == EINVAL)) {
		if ((s = ACCEPT) < 0) return s;
		if (fl & SOCK_CLOEXEC) FCNTL(s, F_SETFD, FD_CLOEXEC);
		if (fl & SOCK_NONBLOCK) FCNTL(s, F_SETFL, O_NONBLOCK);
	}
	return s;
}
#endif
