/* sp.h: what the files of socketpipe share.
 *
 *   main.c    entry: decides which end this process is
 *   args.c    the user's command line: options, brace blocks, usage text
 *   local.c   the local end: runs the login command, supervises the parts
 *   far.c     the far end: started by the login command, runs -r
 *   meet.c    both ends: the data connection, made either way, proven both ways
 *   proto.c   the wire: secret, tags, far command line, records
 *   net.c     sockets: listen, connect, addresses, tuning
 *   tls.c     -e: kernel TLS on the data connection, record counts
 *   hosts.c   names for -h: a numeric address, or /etc/hosts
 *   proc.c    processes: spawn, signals, wait statuses
 *   relay.c   stdin/stdout to socket copying (splice, fixed-buffer fallback)
 *   util.c    messages, numbers, time
 *   sys.c     system calls, without a C library's wrappers
 *   libc.c    process entry, errno, string functions
 */
#ifndef SP_H
#define SP_H

#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

/* socketpipe's own exit statuses; the parts' statuses pass through. */
#define EX_USAGE   2	/* bad command line */
#define EX_TLS     119	/* -e: no kernel TLS, or data altered or cut short
			 * (not 124: timeout(1) says that) */
#define EX_SYS     120	/* a local system call failed (socket, pipe, fork) */
#define EX_LOGIN   121	/* login command failed, or the far side was lost */
#define EX_TIMEOUT 122	/* no data connection either way within -t */
#define EX_AUTH    123	/* a connection presented a wrong secret */
#define EX_NOSTDIN 125	/* the far end got nothing on stdin from the login */

#define DEF_TIMEOUT 30

/* Calls made without a wrapper.  Where sys.c serves (the musl builds) every
 * call is bare; sys_accept goes through its accept4(), which falls back to
 * accept on kernels before 2.6.36 (ARM) and keeps socketcall on i386 and
 * PowerPC. */
#include <fcntl.h>
#include <sys/syscall.h>

/* sysc(n, args...): syscall() with at most four arguments (no call needs
 * more; a fifth would be dropped) and without the varargs (their prologue
 * costs more than the call) where sys.c makes the calls. */
#ifndef SP_START
#define sys4 syscall
#elif defined(__mips__)
/* MIPS: syscall() itself, varargs and all, in sys.c's assembly.  o32
 * passes variable arguments as any others, so a call passes only the
 * arguments it has: padded to four, each call site stored a zero in its
 * frame for the fourth.  The rest hold whatever was there: a call whose
 * kernel side reads an argument (openat's mode with O_CREAT, prctl options
 * that want zeros) must name it, and each is one word (no long long). */
long sp_syscall(long n, ...);
#define sysc(...) sp_syscall(__VA_ARGS__)
#elif defined(__x86_64__) || defined(__powerpc__)
/* x86_64 and PowerPC: each call a wrapper of its own in sys.c's
 * assembly, named after sysc's first argument (SYS_fcntl: sysc_SYS_fcntl, below), so the
 * number is pushed there rather than loaded at every call site, and the
 * arguments stay where the C caller put them.  A number not listed here
 * does not compile: give it a line below and a W() in sys.c.  fcntl
 * takes two arguments or three: the count picks the entry (not varargs,
 * whose call costs a register cleared for the vector count); with two,
 * the third register holds a leftover the kernel does not read. */
int sp_openat(int d, const char *path, int fl);
int sp_open(const char *path, int fl);	/* openat(AT_FDCWD, path, fl | O_CLOEXEC) */
int sp_pipe(int *p);			/* pipe2(p, O_CLOEXEC) */
long sp_lseek(int fd, long off, int whence);
int sp_ioctl(int fd, unsigned long req, void *arg);
int sp_fcntl2(int fd, int cmd);
int sp_fcntl(int fd, int cmd, unsigned long arg);
int sp_readlinkat(int d, const char *path, char *buf, size_t n);
int sp_unlinkat(int d, const char *path, int fl);
int sp_uname(void *u);
int sp_rt_sigaction(int sig, const void *act, void *old, size_t setsize);
long sp_clone(unsigned long fl, void *stack, int *ptid, int *ctid);
int sp_prctl(int op, unsigned long a);	/* the options socketpipe uses read no more */
int sp_close_range(unsigned lo, unsigned hi, unsigned fl);
long sp_getrandom(void *b, size_t n, unsigned fl);
int sp_clock_gettime(int clock, void *ts);
int sp_clock_gettime64(int clock, void *ts);
#define sysc(n, ...) sysc_##n(__VA_ARGS__)
#define sysc_SYS_openat sp_openat
#define sysc_SYS_lseek sp_lseek
#define sysc_SYS_ioctl sp_ioctl
#define sysc_SYS_fcntl(...) SYSC_N(__VA_ARGS__, sp_fcntl, sp_fcntl2, )(__VA_ARGS__)
#define SYSC_N(a, b, c, f, ...) f
#define sysc_SYS_readlinkat sp_readlinkat
#define sysc_SYS_uname sp_uname
#define sysc_SYS_unlinkat sp_unlinkat
#define sysc_SYS_rt_sigaction sp_rt_sigaction
#define sysc_SYS_clone(fl, stack, ptid, ctid) sp_clone(fl, (void *)(stack), (int *)(ptid), (int *)(ctid))
#define sysc_SYS_prctl sp_prctl
#define sysc_SYS_close_range sp_close_range
#define sysc_SYS_getrandom sp_getrandom
#define sysc_SYS_clock_gettime sp_clock_gettime
#define sysc_SYS_clock_gettime32 sp_clock_gettime	/* 32-bit CPUs (ppc) */
#define sysc_SYS_clock_gettime64 sp_clock_gettime64
#define sys_open(path, fl) sp_open(path, fl)
#define sys_pipe(p) sp_pipe(p)
#else
long sys6(long n, long a, long b, long c, long d, long e, long f);
#define sys4(n, a, b, c, d) sys6(n, a, b, c, d, 0, 0)
#endif
#ifndef sysc
#define sysc(...) sysc_(__VA_ARGS__, 0, 0, 0, 0)
#endif
#ifndef sys_open
#define sys_open(path, fl) ((int)sysc(SYS_openat, AT_FDCWD, path, (fl) | O_CLOEXEC))
#define sys_pipe(p) ((int)sysc(SYS_pipe2, p, O_CLOEXEC))
#endif
#define sysc_(n, a, b, c, d, ...) sys4(n, (long)(a), (long)(b), (long)(c), (long)(d))
#define sys_accept(fd) accept4(fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC)

#ifdef SP_START
/* errno is one int in libc.c: no call to find it (one thread) */
#include <errno.h>
#undef errno
#define errno sp_errno
extern int sp_errno;
#endif

/* util.c */
extern const char *msg_prefix;
void say(const char *fmt, ...);
_Noreturn void die(int status, const char *fmt, ...);
char *env(const char *name);
char *put(char *p, const char *s);
size_t seglen(const char *s, const char *stop);
char *word(char **l);
int again(int fd, int ev);
int write_all(int fd, const void *buf, size_t n);
char *utoa(char *end, unsigned long long v);
char *num_out(char *p, unsigned long v, unsigned base);
unsigned long long udiv(unsigned long long n, unsigned long d, unsigned long *rem);
const char *err_text(int e);
int parse_num(const char *s, unsigned long lo, unsigned long hi, unsigned long *v);
long long now_ms(void);
int ms_left(long long deadline);
int ms_cap(long long deadline, int cap);
void fds_sane(void);

/* args.c */
struct opts {
	char **in, **login, **rem, **out;	/* NULL-terminated slices of argv */
	const char *host;			/* -h */
	const char *far;			/* -f: the far end's socketpipe */
	unsigned long timeout;			/* -t, seconds */
	unsigned long rate;			/* -L, bytes/s; 0: no cap */
	unsigned long plo, phi;			/* -p, ports to listen on; 0: any */
	int way;				/* -c: 'f' far, 'l' local, 'b' both */
	int verbose;				/* -v */
	int enc;				/* -e */
};
const char *parse_args(char **argv, struct opts *o, const char **bad);
extern const char usage_text[], version_text[];

/* proto.c: the wire (the message layouts are described there) */
#define SECRET_LEN 16		/* bytes; sent as twice as many hex digits */
#define NONCE_HEX (2 * SECRET_LEN)
#define TAG_HEX 16		/* a SipHash-2-4 tag in hex */
#define HELLO_MAGIC "socketpipe3 "
#define HELLO_LEN (sizeof HELLO_MAGIC - 1 + NONCE_HEX + 1)
#define CHAL_LEN (NONCE_HEX + TAG_HEX + 1)
#define PROOF_LEN (TAG_HEX + 1)
#define ACK "ok\n"
#define ACK_LEN 3
#define RECORD "socketpipe-"	/* a record on the login channel: <tag> socketpipe-<kind> ... */
#define MAX_RECORD 500		/* bytes of a record's payload */
#define FAR_FORM "-S4"		/* the far end's private option (-S4e with -e) */
#define FAR_CMD_MAX 1024	/* the far command line, with a -f path of 255 */
#define LINE_CAP (133 * 1024)	/* our line: settings, keys, the remote command */
#define REM_WORDS 16383		/* the remote command's words, at most */
#define NEED "socketpipe-need"	/* the far command line asks for a binary */
extern char wire_line[LINE_CAP];
void make_secret(void *s, size_t n);
void hex(char *out, const unsigned char *in, size_t n);
int unhex(unsigned char *out, const char *in, size_t n);
void make_nonce(char *out);
uint64_t siphash(const unsigned char *k, unsigned char first, const void *m, size_t n);
void make_tag(char *out, const unsigned char *key, int kind, const char *msg, size_t n);
int same_bytes(const char *a, const char *b, size_t n);
int hello_check(const char *got, size_t n);
char *word_out(char *out, const char *end, const char *w);
int word_in(char *w);
unsigned long ship_sum(unsigned long s, const unsigned char *p, size_t n);
void far_command(char *out, const char *path, const char *form, size_t skip);
void put_record(const unsigned char *key, const char *kind, const char *payload);
char *get_record(const unsigned char *key, char *l, size_t n, int *kind);

/* net.c */
union sa {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};
int listen_range(unsigned lo, unsigned hi, unsigned *port);
int connect_start(const union sa *a);
size_t addr_text(char *out, const union sa *a);
void pace(int fd, unsigned long rate);
int addr_parse(const char *s, unsigned port, union sa *a);
void sa_set(union sa *a, int v6, const void *addr, unsigned port);
socklen_t sa_len(const union sa *a);
void tune_data_socket(int fd, unsigned long timeout);
size_t local_addrs(char *out, size_t cap, int loop);
int set_nonblock(int fd, int on);
unsigned hexval(int c);
int is_loopback(const union sa *a);
void machine_id(char *out, size_t cap);
int link_lost(int fd, unsigned long timeout);
socklen_t tcp_info(int fd);
/* tls.c.  -e: struct tls12_crypto_info_aes_gcm_128, one for each direction:
 * [0] for what the local end sends, [1] for the far end's */
struct tls_params {
	uint16_t version, cipher;
	unsigned char iv_key_salt[28], rec_seq[8];
};
extern struct tls_params tls_keys[2];
#define TLS_KEY_HEX (2 * sizeof tls_keys->iv_key_salt)
#define TLS_TX 1		/* tls_records(): sent, or (TLS_RX) taken */
#define TLS_RX 2
int tls_ulp(int fd);
void tls_on(int fd, int far);
unsigned long tls_records(int fd, int dir);
/* The kernel's struct tcp_info up to tcpi_bytes_received (Linux 4.1), read
 * by offset: the C libraries' headers disagree on how much of it they know. */
union tcpinfo {
	uint64_t q[17];
	uint32_t w[34];
	unsigned char b[136];
};
extern union tcpinfo ti;
#define TI_STATE(t)          ((t)->b[0])	/* TCP_ESTABLISHED... */
#define TI_PROBES(t)         ((t)->b[3])	/* window probes unanswered */
#define TI_UNACKED(t)        ((t)->w[6])	/* segments sent, not acknowledged */
#define TI_LAST_ACK_RECV(t)  ((t)->w[14])	/* ms since the peer's last ack */
#define TI_FILLED 60				/* bytes, up to TI_LAST_ACK_RECV */
#define TI_BYTES_ACKED(t)    ((t)->q[15])	/* Linux 4.1 */
#define TI_BYTES_RECEIVED(t) ((t)->q[16])	/* Linux 4.1 */

/* hosts.c */
int resolve(const char *name, unsigned port, union sa *out, int max);
int hosts_parse(char *text, const char *name, unsigned port, union sa *out, int max);

/* proc.c */
extern int sig_got, sig_chld;
extern int spawn_failed;
void sig_init(void);
int sig_wait(struct pollfd *p, int n, int ms);
#define SPAWN_CLOSE 1
#define SPAWN_PGRP 2
pid_t spawn(const char *what, char **argv, int fd0, int fd1, int flags);
pid_t spawn_relay(int from, int to);
void stop_groups(void);
_Noreturn void run_path(char **argv);
int exit_code(int wstatus);
void stop_proc(pid_t *pid, int *status, int wait_ms, int grace_ms);

/* relay.c */
int relay(int from, int to);

/* meet.c */
#define MAXT 16			/* addresses to connect to */
extern int ntg, wrong_secret, won_out, meet_tls;
void meet_init(int me, const unsigned char *k, int l);
void meet_target(const union sa *a, int here);
void meet_targets(const char *s, unsigned port, int here);
int meet(long long end, int fd, int (*tick)(int readable));
void meet_tried(char *out, size_t cap);

/* local.c, far.c */
int local_main(struct opts *o);
int far_main(char **argv);

#endif
