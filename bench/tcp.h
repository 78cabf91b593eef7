/* bench/tcp.h: what bench/bt.c and bench/floor.c share: a file written
 * whole (a reader polling it never sees half a line), a TCP connect to host
 * and port, and one connection accepted on a port the kernel picks (the
 * port written to a file first).  The includer defines PROG, its name in
 * messages, and die(). */
#include <netdb.h>

/* Write to a temporary name and rename, so a reader polling OUT never
 * sees half a line. */
static void put_file(const char *path, const char *text)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp%d", path, (int)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f || fputs(text, f) == EOF || fclose(f) != 0)
		die(tmp);
	if (rename(tmp, path) != 0)
		die(path);
}

static int tcp_connect(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai, *p;
	int e = getaddrinfo(host, port, &hints, &ai);
	if (e) {
		fprintf(stderr, PROG ": %s: %s\n", host, gai_strerror(e));
		exit(1);
	}
	for (p = ai; p; p = p->ai_next) {
		int s = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
		if (s < 0)
			continue;
		if (connect(s, p->ai_addr, p->ai_addrlen) == 0) {
			freeaddrinfo(ai);
			return s;
		}
		close(s);
	}
	die("connect");
	return -1;
}

static int tcp_accept_one(const char *addr, const char *portfile)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICHOST }, *ai;
	int e = getaddrinfo(addr, "0", &hints, &ai);
	if (e) {
		fprintf(stderr, PROG ": %s: %s\n", addr, gai_strerror(e));
		exit(1);
	}
	int s = socket(ai->ai_family, SOCK_STREAM, 0);
	if (s < 0 || bind(s, ai->ai_addr, ai->ai_addrlen) != 0 || listen(s, 1) != 0)
		die("listen");
	freeaddrinfo(ai);
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(s, (struct sockaddr *)&ss, &len) != 0)
		die("getsockname");
	int port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						  : ((struct sockaddr_in *)&ss)->sin_port);
	char line[32];
	snprintf(line, sizeof line, "%d\n", port);
	put_file(portfile, line);
	int c = accept(s, NULL, NULL);
	if (c < 0)
		die("accept");
	close(s);
	return c;
}
