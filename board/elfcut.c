/* elfcut FILE: drops the section header table (and the section names after
 * it) from a stripped static executable.  The kernel loads a program by its
 * program headers alone; the section headers are for linkers and debuggers
 * and cost 300-450 bytes of socketpipe's 16 KiB.  Works on ELF32/ELF64 of
 * either byte order; refuses anything whose segments would be cut.  A host
 * tool of the build, not part of socketpipe.  Exit: 0 done, 1 failure. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static unsigned char h[1 << 16];
static int big, wide;

/* Returns the n-byte field at off in the file's byte order. */
static unsigned long long get(size_t off, int n)
{
	unsigned long long v = 0;
	int i;
	for (i = 0; i < n; i++)
		v |= (unsigned long long)h[off + (big ? n - 1 - i : i)] << 8 * i;
	return v;
}

/* Clears the n-byte field at off. */
static void clear(size_t off, int n)
{
	memset(h + off, 0, n);
}

int main(int argc, char **argv)
{
	unsigned long long phoff, end = 0, o, sz;
	unsigned phnum, phent, i;
	ssize_t n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: elfcut FILE\n");
		return 1;
	}
	if ((fd = open(argv[1], O_RDWR)) < 0 || (n = read(fd, h, sizeof h)) < 52 ||
	    memcmp(h, "\177ELF", 4) || h[4] < 1 || h[4] > 2 || h[5] < 1 || h[5] > 2) {
		fprintf(stderr, "elfcut: %s: not an ELF file\n", argv[1]);
		return 1;
	}
	wide = h[4] == 2, big = h[5] == 2;
	phoff = get(wide ? 32 : 28, wide ? 8 : 4);
	phent = get(wide ? 54 : 42, 2), phnum = get(wide ? 56 : 44, 2);
	if (phoff + (unsigned long long)phent * phnum > (unsigned long long)n) {
		fprintf(stderr, "elfcut: %s: program headers past the first 64 KiB\n", argv[1]);
		return 1;
	}
	for (i = 0; i < phnum; i++) {
		size_t p = phoff + i * phent;
		o = get(p + (wide ? 8 : 4), wide ? 8 : 4);
		sz = get(p + (wide ? 32 : 16), wide ? 8 : 4);
		if (o + sz > end) end = o + sz;
	}
	if (get(wide ? 40 : 32, wide ? 8 : 4) < end) {
		fprintf(stderr, "elfcut: %s: section headers inside a segment\n", argv[1]);
		return 1;
	}
	clear(wide ? 40 : 32, wide ? 8 : 4);	/* e_shoff */
	clear(wide ? 60 : 48, 4);		/* e_shnum, e_shstrndx */
	if (pwrite(fd, h, wide ? 64 : 52, 0) != (wide ? 64 : 52) || ftruncate(fd, end) || close(fd)) {
		perror("elfcut");
		return 1;
	}
	return 0;
}
