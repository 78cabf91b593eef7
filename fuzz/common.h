/* common.h: what every harness needs.  The harnesses call only the parsers
 * named in src/sp.h, so the src files can change under them; they build
 * from the current src/ C files (all but main.c) every time. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sp.h"

/* An invariant broken: abort so libFuzzer keeps the input as a crash
 * (assert() would vanish under -DNDEBUG). */
#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "CHECK failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
	abort(); } } while (0)

/* A heap copy of exactly n bytes, so ASan sees any read past the end (a
 * stack or static buffer would hide a short overread). */
static inline char *exact_copy(const uint8_t *d, size_t n)
{
	char *p = malloc(n ? n : 1);
	if (!p) abort();
	if (n) memcpy(p, d, n);
	return p;
}

/* The same with a terminating NUL. */
static inline char *cstr_copy(const uint8_t *d, size_t n)
{
	char *p = malloc(n + 1);
	if (!p) abort();
	if (n) memcpy(p, d, n);
	p[n] = 0;
	return p;
}

#endif
