/*
 * rttref: the C reference for rawping's round trips (tests/bench/rtt.sh).
 * The least a user-space echo over AF_PACKET can do: one frame out, one
 * back, timed in user space on CLOCK_MONOTONIC.
 *
 *   rttref echo IFACE block|busy SECONDS        answer until SECONDS pass
 *   rttref ping IFACE DSTMAC block|busy COUNT   COUNT requests, 1 ms apart
 *                                               (ends after 10 unanswered)
 *
 * busy spins on recv(MSG_DONTWAIT); block sleeps in recv(). ping prints
 * "rttref MODE median N us p99 N us min N us n N". Ethertype 0x88b5 (local
 * experimental), so rawecho on the same link never answers it.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TYPE	0x88b5

static int busy;

static long long
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* One frame, or -1 once until (ns) has passed. */
static ssize_t
get(int fd, unsigned char *b, size_t n, long long until)
{
	ssize_t r;

	do
		r = recv(fd, b, n, busy ? MSG_DONTWAIT : 0);
	while (r < 0 && (errno == EAGAIN || errno == EINTR) &&
	    now_ns() < until);
	return r;
}

static int
cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char *argv[])
{
	struct timeval tv = { 0, 200000 };	/* block: wake to check time */
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
	    .sll_protocol = htons(TYPE) };
	unsigned char f[128], me[6], r0[128];
	FILE *mac;
	long long *rtt, n = 0, i, t0, lost = 0;
	int fd, ping;

	if (argc < 5 || (argc < 6 && strcmp(argv[1], "ping") == 0))
		errx(2, "usage: rttref echo|ping IFACE [DSTMAC] block|busy N");
	ping = strcmp(argv[1], "ping") == 0;
	busy = strcmp(argv[ping ? 4 : 3], "busy") == 0;
	if ((fd = socket(AF_PACKET, SOCK_RAW, htons(TYPE))) < 0)
		err(2, "socket");
	if ((sll.sll_ifindex = (int)if_nametoindex(argv[2])) == 0)
		err(2, "%s", argv[2]);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		err(2, "bind");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (!ping) {		/* echo: swap the MACs, send it back */
		long long until = now_ns() + atoll(argv[4]) * 1000000000LL;
		ssize_t len;

		fprintf(stderr, "rttref: listening on %s\n", argv[2]);
		while ((len = get(fd, f, sizeof(f), until)) >= 0) {
			memcpy(me, f, 6);
			memcpy(f, f + 6, 6);
			memcpy(f + 6, me, 6);
			send(fd, f, (size_t)len, 0);
		}
		return 0;
	}
	if ((rtt = calloc((size_t)atoll(argv[5]) + 1, sizeof(*rtt))) == NULL)
		err(2, "calloc");
	memset(f, 0, 60);
	if (sscanf(argv[3], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &f[0], &f[1],
	    &f[2], &f[3], &f[4], &f[5]) != 6)
		errx(2, "bad MAC %s", argv[3]);
	snprintf((char *)r0, sizeof(r0), "/sys/class/net/%s/address", argv[2]);
	if ((mac = fopen((char *)r0, "r")) == NULL || fscanf(mac,
	    "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &f[6], &f[7], &f[8], &f[9],
	    &f[10], &f[11]) != 6)
		errx(2, "%s: no MAC address", argv[2]);
	f[12] = TYPE >> 8, f[13] = TYPE & 0xff;
	/* Ten unanswered in a row: the echo is gone. */
	for (i = 0; i < atoll(argv[5]) && lost < 10; i++) {
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
		memcpy(f + 14, &i, sizeof(i));
		t0 = now_ns();
		if (send(fd, f, 60, 0) < 0)
			err(2, "send");
		for (lost++;;) {	/* our reply, our number, in 0.1 s */
			unsigned char r[128];

			if (get(fd, r, sizeof(r), t0 + 100000000LL) < 0)
				break;
			if (memcmp(r + 14, &i, sizeof(i)) == 0) {
				rtt[n++] = now_ns() - t0;
				lost = 0;
				break;
			}
		}
	}
	if (n == 0)
		errx(1, "no replies");
	qsort(rtt, (size_t)n, sizeof(*rtt), cmp);
	printf("rttref %s median %.1f us p99 %.1f us min %.1f us n %lld\n",
	    argv[4], rtt[(n - 1) / 2] / 1e3, rtt[(n * 99 + 99) / 100 - 1] / 1e3,
	    rtt[0] / 1e3, n);
	return 0;
}
