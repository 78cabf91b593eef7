/* libc.c: what socketpipe takes of a C library and carries itself: the
 * process entry, errno, environ and the string functions (the system
 * calls are in sys.c).  musl's crt1 and __libc_start_main set up
 * thread-local storage, the stack protector's canary, init/fini arrays and
 * atexit: over 2 KB, for threads, constructors and stdio that socketpipe
 * does not have; its string functions are tuned for long strings (2 KB on
 * MIPS) where ours are a few words.  Built with SP_START (the Makefile
 * passes it with -nostartfiles); the other builds (glibc with the
 * sanitizers, the fuzzers) keep their C library's own. */
#ifdef SP_START
#include <string.h>
#include <unistd.h>

int main(int, char **);

/* errno: one process, one thread, one int.  Our code names it (sp.h);
 * sys.c's x86_64 tail sets it from assembly. */
int sp_errno __attribute__((used, externally_visible));

/* Returns where errno lives, for the C library's code that still comes in
 * after the link-time optimiser ran (libgcc's division by zero on ARM
 * raises SIGFPE through musl).  musl asks under the name ___errno_location:
 * both names are ours, or musl's version (which needs the thread pointer)
 * would be linked in. */
__attribute__((used)) int *__errno_location(void)
{
	return &sp_errno;
}
int *___errno_location(void) __attribute__((alias("__errno_location"), used));

char **environ;

/* Called by _start with the initial stack: argc, argv..., 0, envp..., 0.
 * Does not return. */
__attribute__((used, noreturn)) void start_c(long *sp)
{
	char **argv = (char **)(sp + 1);

	environ = argv + *sp + 1;
	_exit(main(*sp, argv));
}

/* _start: hand the stack pointer to start_c on an ABI-aligned stack, with
 * the frame chain ended for debuggers.  One entry per board CPU. */
__asm__(".text\n.global _start\n.type _start,%function\n_start:\n"
#if defined(__x86_64__)
	/* Linux starts a process with every register but %rsp zero (%rbp
	 * too: the frame chain is ended) and %rsp 16-byte aligned at argc,
	 * as the ABI has it: the stack pointer is all there is to pass */
	"mov %rsp,%rdi\n call start_c\n"
#elif defined(__i386__)
	"xor %ebp,%ebp\n mov %esp,%eax\n and $-16,%esp\n sub $12,%esp\n"
	"push %eax\n call start_c\n"
#elif defined(__aarch64__)
	"mov x29,#0\n mov x30,#0\n mov x0,sp\n and sp,x0,#-16\n bl start_c\n"
#elif defined(__arm__)
	".arm\n mov fp,#0\n mov lr,#0\n mov r0,sp\n bic r1,r0,#15\n mov sp,r1\n"
	"bl start_c\n"
#elif defined(__mips__)
	/* $gp must point at the small-data area before any C runs.  ins
	 * clears the low bits in one instruction where and with -8 takes
	 * two; start_c is position-dependent code (it does not compute $gp
	 * from $t9), so a plain jal reaches it, and the delay slot makes
	 * the 16 bytes o32 reserves for a callee's arguments. */
	".global __start\n__start:\n.set push\n.set noreorder\n move $fp,$0\n lui $gp,%hi(_gp)\n"
	"addiu $gp,$gp,%lo(_gp)\n move $a0,$sp\n ins $sp,$0,0,3\n jal start_c\n"
	"addiu $sp,$sp,-16\n.set pop\n"
#elif defined(__riscv)
	/* gp first: the linker relaxes accesses near it to gp-relative ones */
	".option push\n.option norelax\n lla gp,__global_pointer$\n.option pop\n"
	"mv a0,sp\n andi sp,sp,-16\n call start_c\n"
#elif defined(__powerpc__) && !defined(__powerpc64__)
	/* r13 at the small-data area (-msdata in board/ppc.mk) before any C
	 * runs */
	"lis 13,_SDA_BASE_@ha\n addi 13,13,_SDA_BASE_@l\n"
	"mr 3,1\n clrrwi 1,1,4\n li 0,0\n stwu 1,-16(1)\n mtlr 0\n stw 0,0(1)\n"
	"bl start_c\n"
#else
#error "no _start for this CPU: add one to src/libc.c"
#endif
);

/* The string functions, a byte at a time: socketpipe's strings are
 * command words, addresses and 64-byte records. */
void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
	char *p = d;
	const char *q = s;
	while (n--) *p++ = *q++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	char *p = d;
	const char *q = s;
	if (p < q) return memcpy(d, s, n);
	while (n--) p[n] = q[n];
	return d;
}

void *memset(void *d, int c, size_t n)
{
	char *p = d;
	while (n--) *p++ = c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	for (; n; n--, p++, q++)
		if (*p != *q) return *p - *q;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	for (; n; n--, p++)
		if (*p == (unsigned char)c) return (void *)p;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;
	while (*p) p++;
	return p - s;
}

int strcmp(const char *a, const char *b)
{
	for (; *a && *a == *b; a++, b++)
		;
	return *(unsigned char *)a - *(unsigned char *)b;
}
#endif
