/*
 * echoload: the load generator of jglommio's `net` suite (NetSuite.java compiles it with gcc at
 * bench time and runs it pinned to a CPU of its own).
 *
 * One thread, epoll (level-triggered), non-blocking sockets. N connections to HOST:PORT, each with
 * K messages of S bytes outstanding: every time S bytes have come back on a connection, one message
 * is complete (echo servers return bytes in order) and the next one is queued, so each connection
 * keeps exactly K in flight (K=1: ping-pong; K>1: pipelined). A message's latency is from the moment
 * it was queued to the moment its last byte was read (CLOCK_MONOTONIC), in a 1 us histogram.
 *
 * Usage: echoload HOST PORT CONNECTIONS DEPTH SIZE WARMUP_S MEASURE_S
 * Output (one line on stdout): rps=<messages/s> p50_us=<..> p99_us=<..> msgs=<measured> total=<with warm-up>
 *   cpu_s=<this process's user+system CPU> errors=<connections lost>
 * Exit status: 0 when every connection stayed up, 1 otherwise (the line is still printed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HIST_US 1000000 /* 1 us buckets up to 1 s; beyond goes to the last bucket */
#define MAX_DEPTH 1024
#define READ_BUF (256 * 1024)

struct conn {
    int fd;
    int depth;
    uint64_t sent_at[MAX_DEPTH]; /* ring of queue times, oldest first */
    int head, count;             /* the ring's oldest entry and its size */
    long to_send;                /* bytes queued but not yet written */
    long received;               /* bytes of the oldest message read so far */
    int want_out;                /* EPOLLOUT armed */
};

static uint32_t hist[HIST_US + 1];
static char out_buf[READ_BUF];
static char in_buf[READ_BUF];

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void queue_message(struct conn *c, long size, uint64_t t) {
    c->sent_at[(c->head + c->count) % c->depth] = t;
    c->count++;
    c->to_send += size;
}

/* Writes what is queued; returns -1 on a connection error. */
static int flush_out(int ep, struct conn *c) {
    while (c->to_send > 0) {
        long n = c->to_send < READ_BUF ? c->to_send : READ_BUF;
        ssize_t w = send(c->fd, out_buf, (size_t)n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EAGAIN) {
                break;
            }
            return -1;
        }
        c->to_send -= w;
    }
    int want = c->to_send > 0;
    if (want != c->want_out) {
        struct epoll_event ev = {.events = EPOLLIN | (want ? EPOLLOUT : 0), .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        c->want_out = want;
    }
    return 0;
}

static double percentile(uint64_t total, double p) {
    uint64_t rank = (uint64_t)(p * (double)total);
    uint64_t seen = 0;
    for (int i = 0; i <= HIST_US; i++) {
        seen += hist[i];
        if (seen > rank) {
            return i + 0.5;
        }
    }
    return HIST_US;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: %s HOST PORT CONNECTIONS DEPTH SIZE WARMUP_S MEASURE_S\n", argv[0]);
        return 2;
    }
    const char *host = argv[1];
    int port = atoi(argv[2]);
    int nconns = atoi(argv[3]);
    int depth = atoi(argv[4]);
    long size = atol(argv[5]);
    double warmup_s = atof(argv[6]);
    double measure_s = atof(argv[7]);
    if (nconns < 1 || depth < 1 || depth > MAX_DEPTH || size < 1) {
        fprintf(stderr, "echoload: bad arguments\n");
        return 2;
    }
    memset(out_buf, 'x', sizeof out_buf);

    int ep = epoll_create1(0);
    struct conn *conns = calloc((size_t)nconns, sizeof *conns);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, host, &addr.sin_addr);
    for (int i = 0; i < nconns; i++) {
        struct conn *c = &conns[i];
        c->fd = socket(AF_INET, SOCK_STREAM, 0);
        if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
            fprintf(stderr, "echoload: connect %s:%d: %s\n", host, port, strerror(errno));
            return 1;
        }
        int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) != 0) {
            fprintf(stderr, "echoload: fcntl: %s\n", strerror(errno));
            return 1;
        }
        c->depth = depth;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    }
    uint64_t start = now_ns();
    for (int i = 0; i < nconns; i++) {
        for (int k = 0; k < depth; k++) {
            queue_message(&conns[i], size, start);
        }
        if (flush_out(ep, &conns[i]) != 0) {
            fprintf(stderr, "echoload: send: %s\n", strerror(errno));
            return 1;
        }
    }

    uint64_t measure_from = start + (uint64_t)(warmup_s * 1e9);
    uint64_t measure_to = measure_from + (uint64_t)(measure_s * 1e9);
    uint64_t msgs = 0;
    uint64_t total = 0;
    int errors = 0;
    int measuring = 0;
    struct epoll_event events[512];
    for (;;) {
        int n = epoll_wait(ep, events, 512, 100);
        uint64_t t = now_ns();
        if (t >= measure_to) {
            break;
        }
        if (!measuring && t >= measure_from) {
            measuring = 1;
        }
        for (int e = 0; e < n; e++) {
            struct conn *c = events[e].data.ptr;
            if (events[e].events & EPOLLIN) {
                ssize_t r = recv(c->fd, in_buf, sizeof in_buf, 0);
                if (r <= 0) {
                    if (r < 0 && errno == EAGAIN) {
                        continue;
                    }
                    errors++;
                    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                    continue;
                }
                uint64_t done_at = now_ns();
                c->received += r;
                while (c->received >= size && c->count > 0) {
                    c->received -= size;
                    uint64_t lat_us = (done_at - c->sent_at[c->head]) / 1000;
                    c->head = (c->head + 1) % c->depth;
                    c->count--;
                    if (measuring) {
                        hist[lat_us < HIST_US ? lat_us : HIST_US]++;
                        msgs++;
                    }
                    total++;
                    queue_message(c, size, done_at);
                }
            }
            if (flush_out(ep, c) != 0) {
                errors++;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
            }
        }
    }
    double seconds = (double)(now_ns() - measure_from) / 1e9;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu_s = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    printf("rps=%.0f p50_us=%.1f p99_us=%.1f msgs=%llu total=%llu cpu_s=%.3f errors=%d\n", msgs / seconds,
           percentile(msgs, 0.50), percentile(msgs, 0.99), (unsigned long long)msgs, (unsigned long long)total, cpu_s,
           errors);
    fflush(stdout);
    for (int i = 0; i < nconns; i++) {
        close(conns[i].fd);
    }
    return errors == 0 ? 0 : 1;
}
