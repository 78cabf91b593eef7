/* pack STUB IN OUT: packs the static x86_64 executable IN into OUT, a
 * smaller executable that unpacks itself at start-up.  pack -d STUB PACKED
 * OUT: writes back the file that was packed, decoded here in C, for the
 * test's cmp.  A host tool of the build (board/x86_64.mk's PACK), not part
 * of socketpipe.  Exit: 0 done, 1 failure (one line on stderr).
 *
 * IN is what the link and board/elfcut.c leave: an ELF header, text
 * (read+execute, at file offset 0, so the headers are in it), data
 * (read+write, with .bss after it) on pages of its own, and PT_GNU_STACK.
 * Anything else is refused: a layout this tool does not know would come
 * out as a binary that crashes at start.
 *
 * OUT has three program headers: a read-write, not executable PT_LOAD
 * with no file bytes over the whole original range (text, data and .bss:
 * the kernel maps it zero-filled), a read+execute PT_LOAD above it holding
 * the headers, the stub (STUB, assembled from board/pack-x86_64.S) and the
 * compressed image, and IN's PT_GNU_STACK (the stack stays not
 * executable).  The stub decodes the image into the first segment, makes
 * the text pages read+execute with mprotect and jumps to IN's entry: no
 * page is writable and executable at any time.  The stream's format is
 * described in pack-x86_64.S; pack checks its own output by decoding it
 * before writing it. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 4096u
#define PT_LOAD 1
#define PT_GNU_STACK 0x6474e551
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define EHDR 64
#define PHDR 56
#define PARAMS 20	/* the stub's last bytes: start, end, text, entry, sum */
#define END_G 0x1000001u	/* the offset code of the end mark */

/* Prints "pack: " and the message, and exits 1. */
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("pack: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	exit(1);
}

/* Returns the little-endian n-byte field at p. */
static unsigned long long get(const unsigned char *p, int n)
{
	unsigned long long v = 0;
	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Stores v in the little-endian n-byte field at p. */
static void put(unsigned char *p, int n, unsigned long long v)
{
	int i;
	for (i = 0; i < n; i++, v >>= 8)
		p[i] = v & 0xff;
}

/* Returns the whole file at path (malloc'd) and its length in *len. */
static unsigned char *slurp(const char *path, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	unsigned char *b = malloc(cap);
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || !b)
		die("%s: cannot open", path);
	while ((r = read(fd, b + n, cap - n)) > 0)
		if ((n += r) == cap && (cap > (1 << 26) || !(b = realloc(b, cap *= 2))))
			die("%s: too large", path);
	if (r < 0)
		die("%s: read error", path);
	close(fd);
	*len = n;
	return b;
}

/* Writes n bytes to path, created executable. */
static void spill(const char *path, const unsigned char *b, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0 || write(fd, b, n) != (ssize_t)n || close(fd))
		die("%s: cannot write", path);
}

/* The original program as pack needs it: where its image goes and what the
 * stub's parameter block says. */
struct layout {
	unsigned long long start;	/* text address (page-aligned) */
	unsigned long long text;	/* text bytes (file offset 0) */
	unsigned long long daddr, doff, dsize;	/* data address, offset, file bytes */
	unsigned long long end;		/* end of .bss */
	unsigned long long entry;
	const unsigned char *stack;	/* the PT_GNU_STACK header */
};

static unsigned long long up(unsigned long long v) { return (v + PAGE - 1) & ~(unsigned long long)(PAGE - 1); }

/* Fills *l from the executable f (n bytes); returns NULL, or why its
 * layout is not the one pack expects. */
static const char *parse(const unsigned char *f, size_t n, struct layout *l)
{
	unsigned long long phoff;
	unsigned i, phnum, loads = 0;

	memset(l, 0, sizeof *l);
	if (n < EHDR || memcmp(f, "\177ELF\2\1\1", 7))
		return "not a little-endian ELF64 file";
	if (get(f + 16, 2) != 2 || get(f + 18, 2) != 62)
		return "not a fixed-address x86_64 executable";
	phoff = get(f + 32, 8), phnum = get(f + 56, 2);
	if (get(f + 54, 2) != PHDR || phnum != 3 || phoff < EHDR || phoff > n || phnum * PHDR > n - phoff)
		return "not three program headers after the ELF header";
	for (i = 0; i < phnum; i++) {
		const unsigned char *p = f + phoff + i * PHDR;
		unsigned type = get(p, 4), flags = get(p + 4, 4);
		unsigned long long off = get(p + 8, 8), va = get(p + 16, 8);
		unsigned long long fs = get(p + 32, 8), ms = get(p + 40, 8);
		if (type == PT_LOAD && loads == 0 && !fs)
			return "already packed (its first segment has no file bytes)";
		if (type == PT_GNU_STACK && !(flags & PF_X) && !l->stack) {
			l->stack = p;
		} else if (type == PT_LOAD && loads == 0 && flags == (PF_R | PF_X)) {
			if (off || va % PAGE || va >> 32 || fs != ms || fs < phoff + phnum * PHDR || fs > n)
				return "text segment not at offset 0 with the headers, or with .bss";
			l->start = va, l->text = fs, loads++;
		} else if (type == PT_LOAD && loads == 1 && flags == (PF_R | PF_W)) {
			if (va >> 32 || ms >> 32 || off % PAGE != va % PAGE || fs > ms || off < l->text || off > n || fs > n - off)
				return "data segment misplaced in the file";
			if (up(l->start + l->text) > (va & ~(unsigned long long)(PAGE - 1)))
				return "text and data share a page";
			l->daddr = va, l->doff = off, l->dsize = fs, l->end = va + ms, loads++;
		} else {
			return "a program header other than text, data and a non-executable stack";
		}
	}
	if (loads != 2 || !l->stack)
		return "no text, data or stack program header";
	l->entry = get(f + 24, 8);
	if (l->entry < l->start + phoff + phnum * PHDR || l->entry >= l->start + l->text)
		return "entry not in the text";
	if (up(l->end) + (1u << 26) >= 1ull << 32)
		return "addresses above 4 GiB (the stub keeps them in 32 bits)";
	return NULL;
}

/* Returns the checksum the stub computes: h = rol(h, 7) + byte. */
static unsigned sum(const unsigned char *b, size_t n)
{
	unsigned h = 0;
	while (n--)
		h = (h << 7 | h >> 25) + *b++;
	return h;
}

/* --- the compressor: an optimal parse over bit costs, then the stream --- */

static unsigned char *out;	/* the stream being written */
static size_t outn, flagpos;
static int nbits;		/* bits left in out[flagpos] */

/* Appends one bit, taking a new flag byte from the stream when the last
 * one is full (where the stub's getbit reads it). */
static void putbit(int b)
{
	if (!nbits)
		flagpos = outn++, out[flagpos] = 0, nbits = 8;
	nbits--;
	if (b)
		out[flagpos] |= 1 << nbits;
}

/* Appends v >= 1 as an interleaved Elias gamma code. */
static void putgamma(unsigned v)
{
	int k = 31;
	while (!(v >> k))
		k--;
	while (k--)
		putbit(1), putbit(v >> k & 1);
	putbit(0);
}

/* Returns the bits of putgamma(v). */
static unsigned gbits(unsigned long long v)
{
	unsigned k = 0;
	while (v >> (k + 1))
		k++;
	return 2 * k + 1;
}

/* Returns the bits of a match token of len bytes at offset off (0: the
 * last offset again). */
static unsigned mcost(unsigned off, unsigned len)
{
	return 1 + (off ? gbits(((off - 1) >> 8) + 2) + 8 : 1) + gbits(len - 1);
}

/* Compresses img (n bytes) into out; returns the stream's length.  Every
 * choice is a fixed function of the input: the same input gives the same
 * bytes. */
static size_t compress(const unsigned char *img, size_t n)
{
	unsigned *cost = malloc((n + 1) * sizeof *cost), *last = malloc((n + 1) * sizeof *last);
	unsigned *from = malloc((n + 1) * sizeof *from), *moff = malloc((n + 1) * sizeof *moff);
	int *head = malloc(65536 * sizeof *head), *chain = malloc(n * sizeof *chain);
	size_t i, j, *path = malloc((n + 1) * sizeof *path), np = 0;

	if (!cost || !last || !from || !moff || !head || !chain || !path || !(out = malloc(n + n / 8 + 64)))
		die("%s", "out of memory");
	for (i = 1; i <= n; i++)
		cost[i] = ~0u;
	cost[0] = last[0] = 0;
	memset(head, -1, 65536 * sizeof *head);
#define RELAX(to, c, off, lastoff) \
	if ((c) < cost[to]) cost[to] = (c), from[to] = i, moff[to] = (off), last[to] = (lastoff)
	for (i = 0; i < n; i++) {
		size_t max = n - i, best = 1, L;
		unsigned h = i + 1 < n ? img[i] | img[i + 1] << 8 : 0;
		int p, steps = 0;
		RELAX(i + 1, cost[i] + 9, 0, last[i]);
		/* moff: 0 a literal, 1 the last offset again, else offset + 1 */
		if (last[i] && last[i] <= i) {
			for (L = 0; L < max && img[i + L] == img[i + L - last[i]]; L++)
				;
			for (j = 2; j <= L; j++)
				RELAX(i + j, cost[i] + mcost(0, j), 1, last[i]);
		}
		for (p = i + 1 < n ? head[h] : -1; p >= 0 && best < max && steps < 65536; p = chain[p], steps++) {
			unsigned off = i - p;
			if (img[p + best] != img[i + best])
				continue;	/* cannot beat the nearer match */
			for (L = 0; L < max && img[i + L] == img[p + L]; L++)
				;
			for (j = best + 1; j <= L; j++)
				RELAX(i + j, cost[i] + mcost(off, j), off + 1, off);
			if (L > best)
				best = L;
		}
		if (i + 1 < n)
			chain[i] = head[h], head[h] = i;
	}
	for (j = n; j; j = from[j])
		path[np++] = j;
	/* the first byte goes out bare: there is nothing to match yet */
	outn = nbits = 0;
	out[outn++] = img[0];
	for (i = 0; np--;) {
		j = path[np];
		if (i == 0) {
			i = j;
			continue;
		}
		if (!moff[j]) {
			putbit(0);
			out[outn++] = img[i];
		} else {
			unsigned off = moff[j] - 1;
			putbit(1);
			if (moff[j] == 1) {
				putgamma(1);
			} else {
				putgamma(((off - 1) >> 8) + 2);
				out[outn++] = (off - 1) & 0xff;
			}
			putgamma(j - i - 1);
		}
		i = j;
	}
	putbit(1), putgamma(END_G), out[outn++] = 0xff;
	free(cost), free(last), free(from), free(moff), free(head), free(chain), free(path);
	return outn;
}

/* --- the decoder, the stub's C twin --- */

/* A stream being read: bytes s[i..n), flag bits as the stub's %bl. */
struct rd {
	const unsigned char *s;
	size_t n, i;
	unsigned bits;
};

/* Returns the next byte, or -1 past the end. */
static int rbyte(struct rd *r)
{
	return r->i < r->n ? r->s[r->i++] : -1;
}

/* Returns the next bit, or -1 past the end: the stub's getbit (add
 * %bl,%bl; at zero a new byte behind the marker bit). */
static int rbit(struct rd *r)
{
	int cf = r->bits >> 7, c;

	r->bits = r->bits << 1 & 0xff;
	if (!r->bits) {
		if ((c = rbyte(r)) < 0)
			return -1;
		r->bits = (c << 1 | cf) & 0xff;
		cf = c >> 7;
	}
	return cf;
}

/* Returns a gamma-coded number, or 0 past the end or above 32 bits. */
static unsigned rgamma(struct rd *r)
{
	unsigned v = 1;
	int b;

	while ((b = rbit(r)) == 1) {
		if ((b = rbit(r)) < 0 || v >> 31)
			return 0;
		v = v << 1 | b;
	}
	return b ? 0 : v;
}

/* Decodes the stream s (n bytes) into img (cap bytes), with the stub's
 * checks; returns 0 when it fills img exactly, -1 on a damaged stream. */
static int decode(const unsigned char *s, size_t n, unsigned char *img, size_t cap)
{
	struct rd r = { s, n, 0, 0x80 };
	size_t o = 0, last = 0, len;
	unsigned g, off;
	int b, c;

	if (!cap || (c = rbyte(&r)) < 0)
		return -1;
	img[o++] = c;
	for (;;) {
		if ((b = rbit(&r)) < 0)
			return -1;
		if (!b) {
			if ((c = rbyte(&r)) < 0 || o >= cap)
				return -1;
			img[o++] = c;
			continue;
		}
		if (!(g = rgamma(&r)))
			return -1;
		if (g != 1) {
			if ((c = rbyte(&r)) < 0)
				return -1;
			off = ((g - 2) << 8 | c) + 1;	/* 32 bits, as the stub */
			if (!off)
				return o == cap ? 0 : -1;
			last = off;
		}
		if (!(g = rgamma(&r)))
			return -1;
		len = (size_t)g + 1;
		if (len > cap - o || !last || last > o)
			return -1;
		for (; len--; o++)
			img[o] = img[o - last];
	}
}

/* Returns the image pack puts in memory: text at start, zeros up to the
 * data, the data's file bytes; its length in *n. */
static unsigned char *image(const unsigned char *f, const struct layout *l, size_t *n)
{
	unsigned char *img = calloc(1, *n = l->daddr + l->dsize - l->start);
	if (!img)
		die("%s", "out of memory");
	memcpy(img, f, l->text);
	memcpy(img + (l->daddr - l->start), f + l->doff, l->dsize);
	return img;
}

/* Decodes the packed file p (pn bytes) made with stub (sn bytes); returns
 * the image (its length in *n), or NULL when p is no such file or the
 * stream is damaged. */
static unsigned char *unpack(const unsigned char *p, size_t pn, const unsigned char *stub, size_t sn, size_t *n)
{
	size_t at = EHDR + 3 * PHDR;
	const unsigned char *par = p + at + sn - PARAMS;
	unsigned char *img;

	if (pn < at + sn || memcmp(p + at, stub, sn - PARAMS))
		return NULL;
	*n = get(par + 4, 4) - get(par, 4);
	if (*n > (1u << 26) || !(img = malloc(*n ? *n : 1)))
		return NULL;
	if (decode(p + at + sn, pn - at - sn, img, *n) || sum(img, *n) != get(par + 16, 4)) {
		free(img);
		return NULL;
	}
	return img;
}

/* Returns the file the image img came from: its text, zeros, its data (as
 * board/elfcut.c leaves it); its length in *n. */
static unsigned char *refile(const unsigned char *img, size_t in, size_t *n)
{
	struct layout l;
	unsigned char *f;

	if (parse(img, in, &l) || l.daddr + l.dsize - l.start != in)
		die("%s", "the unpacked image holds no executable pack would take");
	if (!(f = calloc(1, *n = l.doff + l.dsize)))
		die("%s", "out of memory");
	memcpy(f, img, l.text);
	memcpy(f + l.doff, img + (l.daddr - l.start), l.dsize);
	return f;
}

/* Builds the packed file for f (fn bytes, layout l) with stub; returns it
 * and its length in *n. */
static unsigned char *pack(const unsigned char *f, const struct layout *l, const unsigned char *stub, size_t sn, size_t *n)
{
	size_t in, cn, at = EHDR + 3 * PHDR;
	unsigned char *img = image(f, l, &in), *p, *ph;
	unsigned long long seg = up(l->end);	/* the stub's segment, above .bss */

	cn = compress(img, in);
	*n = at + sn + cn;
	if (!(p = calloc(1, *n)))
		die("%s", "out of memory");
	memcpy(p, f, EHDR);
	put(p + 24, 8, seg + at);	/* e_entry: the stub */
	put(p + 32, 8, EHDR);		/* e_phoff */
	put(p + 40, 8, 0);		/* e_shoff: no section headers */
	put(p + 56, 2, 3);		/* e_phnum */
	put(p + 60, 4, 0);		/* e_shnum, e_shstrndx */
	ph = p + EHDR;			/* the original range, zero-filled, RW */
	put(ph, 4, PT_LOAD), put(ph + 4, 4, PF_R | PF_W);
	put(ph + 16, 8, l->start), put(ph + 24, 8, l->start);
	put(ph + 40, 8, l->end - l->start), put(ph + 48, 8, PAGE);
	ph += PHDR;			/* headers, stub and stream, R+X */
	put(ph, 4, PT_LOAD), put(ph + 4, 4, PF_R | PF_X);
	put(ph + 16, 8, seg), put(ph + 24, 8, seg);
	put(ph + 32, 8, *n), put(ph + 40, 8, *n), put(ph + 48, 8, PAGE);
	memcpy(ph + PHDR, l->stack, PHDR);
	memcpy(p + at, stub, sn);
	ph = p + at + sn - PARAMS;
	put(ph, 4, l->start);
	put(ph + 4, 4, l->start + in);
	put(ph + 8, 4, up(l->start + l->text) - l->start);
	put(ph + 12, 4, l->entry);
	put(ph + 16, 4, sum(img, in));
	memcpy(p + at + sn, out, cn);
	free(img);
	return p;
}

int main(int argc, char **argv)
{
	int back = argc == 5 && !strcmp(argv[1], "-d");
	size_t sn, fn, pn, n, i;
	unsigned char *stub, *f, *p, *img, *g;
	struct layout l;
	const char *why;

	if (argc != 4 && !back) {
		fprintf(stderr, "usage: pack STUB IN OUT | pack -d STUB PACKED OUT\n");
		return 1;
	}
	argv += back;
	stub = slurp(argv[1], &sn);
	if (sn < PARAMS + 16 || sn > PAGE)
		die("%s: not a stub (board/pack-x86_64.S assembled)", argv[1]);
	for (i = sn - PARAMS; i < sn; i++)
		if (stub[i])
			die("%s: not a stub: its parameter block is not zero", argv[1]);
	f = slurp(argv[2], &fn);
	if (back) {
		if (!(img = unpack(f, fn, stub, sn, &n)))
			die("%s: not packed with this stub, or damaged", argv[2]);
		g = refile(img, n, &n);
		spill(argv[3], g, n);
		return 0;
	}
	if ((why = parse(f, fn, &l)))
		die("%s: %s", argv[2], why);
	p = pack(f, &l, stub, sn, &pn);
	/* the stub's work done here, in C, before anything is written */
	if (!(img = unpack(p, pn, stub, sn, &n)) || (g = refile(img, n, &n), n > fn) || memcmp(g, f, n))
		die("%s: the packed file does not decode to it", argv[2]);
	spill(argv[3], p, pn);
	return 0;
}
