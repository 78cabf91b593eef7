/* tls.c: -e, the data connection encrypted and authenticated by the
 * kernel (kTLS).  No handshake: the login channel is the secure channel the
 * keys travel on (proto.c), fresh for each transfer and each direction.
 * The commands then read and write plaintext on the socket, and the
 * kernel seals each record (AES-GCM-128, TLS 1.2 framing, so Linux 4.17
 * and later can take it both ways).  The record counts of both ends,
 * compared at the end (local.c), tell a stream cut short on the way. */
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include "sp.h"

/* The kernel's TLS (linux/tls.h, which the C libraries do not ship): a
 * socket takes the "tls" upper layer, then AES-GCM-128 parameters for each
 * direction. */
#define TCP_ULP 31
#define SOL_TLS 282
#define TLS_1_2 0x0303
#define TLS_AES_GCM_128 51
struct tls_params tls_keys[2];

/* Gives fd the "tls" upper layer, still passing bytes as they are;
 * returns setsockopt's result.  The kernel takes it only on an
 * established connection: meet.c gives it while the handshake runs. */
int tls_ulp(int fd)
{
	return setsockopt(fd, IPPROTO_TCP, TCP_ULP, "tls", 3);
}

/* Puts TLS on fd, which has the upper layer, with tls_keys, far saying
 * which end we are; fd -1 only asks whether this kernel can.  Exits
 * EX_TLS when it cannot: never a plaintext fallback.  Record numbers start
 * at 0: the keys are fresh for each transfer.  On a socket not yet
 * connected the kernel answers ENOTCONN when it has the tls module, ENOENT
 * (ENOPROTOOPT before 4.13) when not. */
void tls_on(int fd, int far)
{
	int s;

	if (fd < 0) {
		s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (!tls_ulp(s) || errno != ENOTCONN) goto fail;
		close(s);
		return;
	}
	for (s = 0; s < 2; s++) tls_keys[s].version = TLS_1_2, tls_keys[s].cipher = TLS_AES_GCM_128;
	if (setsockopt(fd, SOL_TLS, TLS_TX, &tls_keys[far], sizeof *tls_keys) ||
	    setsockopt(fd, SOL_TLS, TLS_RX, &tls_keys[!far], sizeof *tls_keys))
fail:
		die(EX_TLS, "-e: no kernel TLS: %m (modprobe tls)");
}

/* Returns how many records fd has sent (TLS_TX) or taken and verified
 * (TLS_RX): the next record number, as the kernel keeps it. */
unsigned long tls_records(int fd, int dir)
{
	struct tls_params t;
	socklen_t n = sizeof t;
	unsigned long v = 0;
	int i;

	if (!getsockopt(fd, SOL_TLS, dir, &t, &n))
		for (i = 0; i < 8; i++) v = v << 8 | t.rec_seq[i];
	return v;
}
