/* pack-x86_64.S: the start-up stub of a packed x86_64 socketpipe
 * (board/pack.c).  Assembled to a flat blob (build/pack-x86_64.bin) that
 * pack.c places after the ELF and program headers; it ends in the 20-byte
 * parameter block that pack.c fills in, and the compressed image follows
 * it directly.
 *
 * At entry the kernel has mapped two segments: the original program's
 * whole range (text, data, .bss) as zero-filled read-write memory, not
 * executable, and this stub with the compressed image read+execute, not
 * writable.  The stub decodes the image into the first, checks its length
 * and checksum, makes the text pages read+execute with mprotect (the data
 * and .bss pages stay read-write as the kernel made them), puts every
 * register back as the kernel left it (all zero but %rsp; %rdx saved on
 * the stack below %rsp and popped again, so %rsp is unchanged) and jumps to
 * the original entry.  No page is ever writable and executable at once.
 * Any fault found (the image runs past its end, a match reaches before its
 * start, the length or checksum is wrong, mprotect refused) writes one line
 * and exits 120, socketpipe's status for a failed system call.
 *
 * The stream (pack.c writes it): bits are read most significant first from
 * flag bytes taken from the stream as needed, between the literal and
 * offset bytes.  The first byte is a literal without a flag.  Then:
 *   0, byte                   a literal
 *   1, gamma g, [byte], gamma n
 *                             a match of n+1 bytes: g=1 repeats the last
 *                             offset (no byte); else offset ((g-2)<<8|byte)+1
 *                             and an offset of 2^32 (0 in 32 bits) ends it
 * gamma: v=1; while bit: v = v*2 + bit (Elias gamma, bits interleaved).
 *
 * Registers: %bl the flag bits (a marker bit behind the last one), %rsi the
 * stream, %rdi the output, %rbp the last offset, %r8/%r9 the image's start
 * and end. */
	.text
	.globl	_start
_start:
	push	%rdx			/* the kernel's %rdx, given back at the jump */
	mov	p_start(%rip), %r8d
	mov	p_end(%rip), %r9d
	mov	%r8, %rdi
	lea	payload(%rip), %rsi
	mov	$0x80, %bl		/* no bits left: the next getbit reads a byte */
literal:
	cmp	%r9, %rdi
	jae	fail
	movsb
next:
	call	getbit
	jnc	literal
	call	gamma
	dec	%ecx
	jz	copy			/* g=1: the last offset again */
	dec	%ecx
	shl	$8, %ecx
	lodsb
	mov	%al, %cl
	inc	%ecx
	jz	done			/* the end mark */
	mov	%ecx, %ebp
copy:
	call	gamma
	inc	%ecx			/* n+1 bytes */
	lea	(%rdi,%rcx), %rax
	cmp	%r9, %rax
	ja	fail			/* would run past the image */
	push	%rsi
	mov	%rdi, %rsi
	sub	%rbp, %rsi
	cmp	%r8, %rsi
	jb	fail			/* would copy from before the image */
	rep movsb
	pop	%rsi
	jmp	next

done:
	cmp	%r9, %rdi
	jne	fail			/* the image came out short */
	/* checksum: h = rol(h, 7) + byte over the image (pack.c's sum()) */
	mov	%r8, %rsi
	xor	%eax, %eax
	xor	%edx, %edx
1:	lodsb
	rol	$7, %edx
	add	%eax, %edx
	cmp	%r9, %rsi
	jb	1b
	cmp	p_sum(%rip), %edx
	jne	fail
	/* mprotect(start, text pages, PROT_READ|PROT_EXEC) */
	mov	%r8, %rdi
	mov	p_text(%rip), %esi
	mov	$5, %edx
	mov	$10, %eax
	syscall
	test	%eax, %eax
	jnz	fail
	mov	p_entry(%rip), %eax
	pop	%rdx
	push	%rax			/* where ret goes: %rsp is as at entry after it */
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%ebp, %ebp
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r11d, %r11d		/* syscall left %rflags here */
	ret

fail:
	mov	$1, %eax		/* write(2, msg, len) */
	mov	$2, %edi
	lea	msg(%rip), %rsi
	mov	$msg_end - msg, %edx
	syscall
	mov	$231, %eax		/* exit_group(120) */
	mov	$120, %edi
	syscall

/* Returns the next bit in CF. */
getbit:
	add	%bl, %bl
	jnz	1f
	mov	(%rsi), %bl
	inc	%rsi
	adc	%bl, %bl		/* CF (the marker) in, the top bit out */
1:	ret

/* Returns a gamma-coded number (>= 1) in %ecx. */
gamma:
	xor	%ecx, %ecx
	inc	%ecx
1:	call	getbit
	jnc	2f
	call	getbit
	adc	%ecx, %ecx
	jmp	1b
2:	ret

msg:	.ascii	"socketpipe: cannot unpack itself\n"
msg_end:

/* The parameter block, filled in by pack.c: the last 20 bytes of the blob
 * (unaligned: x86 loads do not care, and no padding means no assembler's
 * choice of padding bytes in the output). */
p_start: .long	0	/* the image's first address (page-aligned text start) */
p_end:	.long	0	/* its end: data start + data file size */
p_text:	.long	0	/* bytes of text pages to make read+execute */
p_entry: .long	0	/* the original entry */
p_sum:	.long	0	/* checksum of the image */
payload:
