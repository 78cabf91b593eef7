/* proto.c: what the two ends say to each other.
 *
 * Far command line: the one word the login command gets, far_command()
 * below: `sh -c '...'`, which runs the far socketpipe as -S4 (-S4e), or
 * first asks for one (NEED) and takes it on the login channel.
 * Login channel (the login command's stdin and stdout):
 *   local -> far   one line, then nothing (EOF means "stop": the far end
 *                  kills the remote command, or reports what it tried):
 *                    <secret> <port|0> <secs> <host|-> <machine-id> <cands|->
 *                    <way b|f|l> <lo> <hi> <rate> [<key L> <key F>]
 *                    =<word> =<word>...
 *                  the secret is 32 hex digits, never in an argv or
 *                  environment; port 0: do not connect back; cands are the
 *                  local end's addresses; lo-hi the far listener's ports
 *                  (0 0: any); rate the -L cap (0: none); keys, with -e
 *                  only (far form -S4e): the iv, key and salt of what the
 *                  local end sends, then of what the far end sends, 56 hex
 *                  digits each (tls.c); then the remote command, each word
 *                  escaped (word_out()).
 *                  When the far command line asks for a binary: its size
 *                  in decimal and "\n", the binary, its sum (ship_sum())
 *                  and "\n", then the line again.
 *   far -> local   "socketpipe-need <uname -m>", from the far command line
 *                  when the far side has no socketpipe; then
 *                  records, "\n<tag> socketpipe-<kind> <payload>\n", the
 *                  tag made with the kind's first letter:
 *                    port <port> <addrs>   the far end listens there
 *                    tried <text>          what it tried, when told to stop
 *                    status <N>            the remote command ended
 *                    count <rx> <tx> <bad> -e: after the drain, the records
 *                                          it took and sent, bad 1 when
 *                                          one failed its check
 *                  anything else there (motd, .bashrc noise, a terminal's
 *                  echo of our line, which we drop) goes to stderr.  A
 *                  terminal may add "\r" before each "\n".
 * Data connection, either way (meet.c), each side proving it knows the
 * secret without showing it, the listening side first (it only answers a
 * hello):
 *   connecting -> listening   "socketpipe3 " <nonce C> "\n"   HELLO_LEN
 *   listening -> connecting   <nonce S> <tag> "\n"            CHAL_LEN
 *   connecting -> listening   <tag> "\n"                      PROOF_LEN
 *   local -> far              "ok\n"                          ACK_LEN
 * then the bytes belong to the commands (the far end starts the remote
 * command only after the "ok": the local end may have taken another
 * connection).  A nonce is 32 fresh random hex digits; a tag is
 * SipHash-2-4, keyed with the secret, of the signer's letter (L, F; l, f
 * when the local end connects) and both nonces, the connecting side's
 * first, in 16 hex digits.  No tag tells a stranger anything about the
 * secret, and a tag of one kind is no use as another.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sp.h"

/* Fills s with n random bytes from getrandom, or /dev/urandom on kernels
 * before 3.17; exits EX_SYS when neither gives them: a secret or a nonce
 * anyone could guess would let a stranger in. */
void make_secret(void *s, size_t n)
{
	long k = -1;
	int fd;

#if defined(SYS_getrandom) && !defined(SP_NO_GETRANDOM)
	k = sysc(SYS_getrandom, s, n, 0);
	if (k == (long)n) return;
#endif
	if ((fd = sys_open("/dev/urandom", O_RDONLY)) >= 0) k = read(fd, s, n), close(fd);
	if (k != (long)n) die(EX_SYS, "no random bytes");
}

/* Writes 2n lowercase hex digits of in to out (no terminator). */
void hex(char *out, const unsigned char *in, size_t n)
{
	for (; n--; in++) *out++ = "0123456789abcdef"[*in >> 4], *out++ = "0123456789abcdef"[*in & 15];
}

/* Reads 2n hex digits at in into n bytes at out; returns 0, or -1 when one
 * is not a hex digit. */
int unhex(unsigned char *out, const char *in, size_t n)
{
	unsigned hi, lo;

	for (; n--; in += 2) {
		if ((hi = hexval(in[0])) > 15 || (lo = hexval(in[1])) > 15) return -1;
		*out++ = hi << 4 | lo;
	}
	return 0;
}

/* Writes a fresh nonce, 2 * SECRET_LEN hex digits, to out. */
void make_nonce(char *out)
{
	unsigned char r[SECRET_LEN];
	make_secret(r, sizeof r);
	hex(out, r, sizeof r);
}

/* Shifts by constants only: a variable 64-bit shift is a call or a long
 * branchy sequence on the 32-bit CPUs. */
#define ROTL(x, b) ((x) << (b) | (x) >> (64 - (b)))

/* n SipRounds over v. */
static void sipround(uint64_t *v, int n)
{
	while (n--) {
		v[0] += v[1], v[1] = ROTL(v[1], 13) ^ v[0], v[0] = ROTL(v[0], 32);
		v[2] += v[3], v[3] = ROTL(v[3], 16) ^ v[2];
		v[0] += v[3], v[3] = ROTL(v[3], 21) ^ v[0];
		v[2] += v[1], v[1] = ROTL(v[1], 17) ^ v[2], v[2] = ROTL(v[2], 32);
	}
}

/* Returns SipHash-2-4 of the byte first followed by the n bytes at m,
 * under the 16-byte key k (the reference algorithm of Aumasson and
 * Bernstein: little-endian words, the last one padded with zeros and ending
 * in the length).  The byte in front is a tag's kind letter: taking it here
 * spares copying a record's payload behind it. */
uint64_t siphash(const unsigned char *k, unsigned char first, const void *m, size_t n)
{
	const unsigned char *p = m;
	uint64_t k0 = 0, k1 = 0, v[4], w = (uint64_t)first << 56;
	size_t i, end = (++n | 7) + 1;	/* n: all the bytes, first too */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* the key's words are little-endian: as such a CPU loads them */
	memcpy(&k0, k, 8), memcpy(&k1, k + 8, 8);
#else
	/* bytes shift in from the top: after 8 the word is little-endian */
	for (i = 0; i < 8; i++) k0 = k0 >> 8 | (uint64_t)k[i] << 56, k1 = k1 >> 8 | (uint64_t)k[8 + i] << 56;
#endif
	v[0] = k0 ^ 0x736f6d6570736575ULL, v[1] = k1 ^ 0x646f72616e646f6dULL;
	v[2] = k0 ^ 0x6c7967656e657261ULL, v[3] = k1 ^ 0x7465646279746573ULL;
	for (i = 1; i < end; i++) {	/* first is in w already */
		w = w >> 8 | (uint64_t)(i < n ? p[i - 1] : i == end - 1 ? n & 255 : 0) << 56;
		if ((i & 7) == 7) v[3] ^= w, sipround(v, 2), v[0] ^= w;
	}
	v[2] ^= 0xff;
	sipround(v, 4);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* Writes the tag of kind (a letter) over the n bytes at msg to out, as
 * TAG_HEX hex digits of its bytes, lowest first (no terminator). */
void make_tag(char *out, const unsigned char *key, int kind, const char *msg, size_t n)
{
	uint64_t h = siphash(key, kind, msg, n);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	hex(out, (const unsigned char *)&h, sizeof h);	/* its bytes, lowest first */
#else
	unsigned char t[TAG_HEX / 2];
	int i;

	/* shifts by a constant: cheap on the 32-bit CPUs too */
	for (i = 0; i < TAG_HEX / 2; i++, h >>= 8) t[i] = h;
	hex(out, t, sizeof t);
#endif
}

/* Returns 1 when the n bytes at a and b are equal, in a time that does not
 * depend on where they differ. */
int same_bytes(const char *a, const char *b, size_t n)
{
	unsigned char d = 0;
	while (n--) d |= *a++ ^ *b++;
	return !d;
}

/* Judges the first n bytes received on a connection as a hello; returns 1
 * when all HELLO_LEN bytes are a hello, 0 when they may still be one, -1
 * for a stranger (a wrong magic at once, a wrong end).  The nonce's bytes
 * are the far end's business: they only go into the tags. */
int hello_check(const char *got, size_t n)
{
	size_t m = sizeof HELLO_MAGIC - 1;

	if (n > HELLO_LEN || memcmp(got, HELLO_MAGIC, n < m ? n : m)) return -1;
	if (n < HELLO_LEN) return 0;
	return got[HELLO_LEN - 1] == '\n' ? 1 : -1;
}

/* Our line to the far end: the local end writes it, the far end reads it
 * (a process is one end or the other: one buffer serves both). */
char wire_line[LINE_CAP];

/* Appends w to out as a word of our line: "=", then w with each byte that a
 * terminal, a word split or this escape would touch (<= ' ', 0x7f, '%') as
 * %XX; returns the end, or NULL when it would pass end. */
char *word_out(char *out, const char *end, const char *w)
{
	unsigned char c;

	for (*out++ = '='; (c = *w++); )
		if (out + 3 > end) return 0;
		else if (c <= ' ' || c == '%' || c == 127) *out++ = '%', hex(out, &c, 1), out += 2;
		else *out++ = c;
	return out;
}

/* Undoes word_out() on w (after its "="), in place; returns 0, or -1 for
 * an escape that is not two hex digits or is a NUL. */
int word_in(char *w)
{
	char *d = w;

	for (; *w; d++)
		if (*w != '%') *d = *w++;
		else if (unhex((unsigned char *)d, w + 1, 1) || !*d) return -1;
		else w += 3;
	*d = 0;
	return 0;
}

/* Returns the sum s (0 at the start) that the far command line's shell
 * makes of a binary we ship, carried on over the n bytes at p: s = (s * 31 +
 * byte) mod 67108859 for each byte.  Any one byte changed
 * changes it (the modulus is a prime above 255), and every step stays below
 * 2^31: the same in any shell's arithmetic and on any CPU, without a
 * checksum tool (BusyBox often has no cksum). */
unsigned long ship_sum(unsigned long s, const unsigned char *p, size_t n)
{
	while (n--) s = (s * 31 + *p++) % 67108859;
	return s;
}

/* Writes the far command line to out (FAR_CMD_MAX bytes): a word for the
 * login command that every login shell (sh, csh, fish...) reads alike: no
 * ', \, ! or newline inside its quotes.  It runs path (a word without
 * those, checked by args.c) as the far end with form; else it finds a
 * directory where it may make and run a private file, asks us for a binary
 * ("socketpipe-need <uname -m>"), drops the skip bytes of our line that
 * came first, takes "<size>\n", the binary (one dd read at a time, each for
 * no more than is still due: a read never returns more than it asks, so
 * nothing after the binary is taken) and "<sum>\n", checks both, and runs it (the far end removes the file once started; the trap does on any
 * exit). */
void far_command(char *out, const char *path, const char *form, size_t skip)
{
	out = put(put(put(out, "sh -c 'p=\""), path), "\";command -v \"$p\" >/dev/null&&exec \"$p\" ");
	out = put(put(out, form), ";umask 77;for d in \"${TMPDIR:-/tmp}\" /tmp /dev/shm /var/tmp \"$HOME\";do "
		"f=$d/.socketpipe.$$;(set -C;:>\"$f\")2>/dev/null&&chmod 700 \"$f\"&&\"$f\" 2>/dev/null&&break;"
		"rm -f \"$f\";f=;done;[ \"$f\" ]||{ echo socketpipe: nowhere to run the far binary>&2;exit 126;};"
		"r(){ rm -f \"$f\";};trap r 0;trap exit 1 2 15;echo;echo " NEED " `uname -m`;dd bs=1 count=");
	out = put(num_out(out, skip, 10), " of=/dev/null 2>/dev/null;read n||exit 121;"
		"k=0;while [ $k -lt $n ];do dd bs=$((n-k)) count=1 2>/dev/null>>\"$f\";j=$((`wc -c <\"$f\"`));"
		"[ $j -gt $k ]||break;k=$j;done;read c;s=0;k=0;for b in `od -An -tu1 -v \"$f\"`;do "
		"s=$(((s*31+b)%67108859));k=$((k+1));done;[ \"$k $s\" = \"$n $c\" ]||"
		"{ echo socketpipe: far binary damaged>&2;exit 121;};\"$f\" ");
	put(put(out, form), " \"$f\"'");
}

/* Writes the record "\n<tag> socketpipe-<kind> <payload>\n" on stdout, the
 * tag made with the kind's first letter in upper case: a motd or .bashrc
 * line cannot forge one.  kind is one of ours ("status", "port", "tried":
 * at most 32 bytes); a payload past MAX_RECORD is cut. */
void put_record(const unsigned char *key, const char *kind, const char *payload)
{
	char r[MAX_RECORD + 64] = "\n", *p = put(put(put(r + 1 + TAG_HEX, " " RECORD), kind), " ");
	size_t k = strlen(payload);

	if (k > MAX_RECORD) k = MAX_RECORD;
	make_tag(r + 1, key, *kind - 32, payload, k);
	memcpy(p, payload, k), p += k;
	*p++ = '\n';
	write_all(1, r, p - r);
}

/* Reads the n bytes at l (a line without its "\n") as a record made with
 * key; returns its payload, NUL-terminated in place, with *kind set to the
 * kind's first letter, or NULL for any other line. */
char *get_record(const unsigned char *key, char *l, size_t n, int *kind)
{
	char want[TAG_HEX], *k = l + TAG_HEX + sizeof RECORD, *p;

	if (n <= TAG_HEX + sizeof RECORD || l[TAG_HEX] != ' ' || memcmp(l + TAG_HEX + 1, RECORD, sizeof RECORD - 1))
		return 0;
	l[n] = 0;
	p = k + seglen(k, " ");
	/* a kind, a blank, and no more than a tag covers */
	if (p == k || !*p++ || l + n - p > MAX_RECORD) return 0;
	make_tag(want, key, *k - 32, p, l + n - p);
	*kind = *k;
	return same_bytes(want, l, TAG_HEX) ? p : 0;
}
