// wsfan: a cheap Socket.IO (Engine.IO v4, websocket transport) watcher swarm in C, so that a fan-out
// benchmark measures the server, not a Node load generator. N connections subscribe to one giveaway room
// and count the "giveaway:count" events they receive; per event value it records first and last arrival.
// usage: wsfan HOST PORT GIVEAWAY_ID N SECONDS_AFTER_READY [EVENT_NAME]
// prints: ready=<n> deliveries=<d> events=<e> spread_p50_ms spread_p99_ms (events seen by >=90% of watchers)
// and cpu_s=<user+system CPU of this generator>, frames/frame_bytes=<every frame received after READY>, so a benchmark can show the generator was not the bottleneck.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum { S_HTTP, S_OPEN, S_CONNECTING, S_SUBSCRIBING, S_READY };
typedef struct { int fd; int state; char *buf; size_t len, cap; } conn_t;
static const char *gid, *evname = "giveaway:count";
static long deliveries = 0, ready = 0, frames = 0, frame_bytes = 0; static double ready_at = 0;
#define MAXV 100000
static double first_at[MAXV], last_at[MAXV]; static int seen[MAXV];

static double now_ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }

static void send_text(int fd, const char *s) {
  size_t n = strlen(s); unsigned char hdr[14]; size_t h = 0;
  hdr[h++] = 0x81;
  if (n < 126) hdr[h++] = 0x80 | n; else { hdr[h++] = 0x80 | 126; hdr[h++] = n >> 8; hdr[h++] = n & 255; }
  unsigned char mask[4] = {1, 2, 3, 4}; memcpy(hdr + h, mask, 4); h += 4;
  unsigned char *out = malloc(h + n); memcpy(out, hdr, h);
  for (size_t i = 0; i < n; i++) out[h + i] = s[i] ^ mask[i & 3];
  ssize_t w = write(fd, out, h + n); (void)w; free(out);
}

static void on_message(conn_t *c, const char *p, size_t n) {
  if (n == 1 && p[0] == '2') { send_text(c->fd, "3"); return; }          // engine.io ping -> pong
  if (c->state == S_OPEN && n > 0 && p[0] == '0') { send_text(c->fd, "40"); c->state = S_CONNECTING; return; }
  if (c->state == S_CONNECTING && n >= 2 && p[0] == '4' && p[1] == '0') {
    char msg[256]; snprintf(msg, sizeof msg, "421[\"giveaway:subscribe\",{\"giveaway_id\":\"%s\"}]", gid);
    send_text(c->fd, msg); c->state = S_SUBSCRIBING; return;
  }
  if (c->state == S_SUBSCRIBING && n >= 3 && p[0] == '4' && p[1] == '3' && p[2] == '1') { c->state = S_READY; ready++; return; }
  if (ready_at) { frames++; frame_bytes += n; }
  if (c->state == S_READY && n > 4 && p[0] == '4' && p[1] == '2') {
    size_t el = strlen(evname);
    if (ready_at && n > el + 4 && memcmp(p + 4, evname, el) == 0) {
      deliveries++;
      const char *q = memmem(p, n, "\"participants_count\":", 21);
      if (q) { long v = strtol(q + 21, NULL, 10); if (v >= 0 && v < MAXV) { double t = now_ms(); if (!seen[v]++) first_at[v] = t; last_at[v] = t; } }
    }
  }
}

static void on_data(conn_t *c) {
  if (c->state == S_HTTP) {
    char *e = memmem(c->buf, c->len, "\r\n\r\n", 4); if (!e) return;
    if (strncmp(c->buf, "HTTP/1.1 101", 12) != 0) { fprintf(stderr, "bad upgrade: %.60s\n", c->buf); exit(2); }
    size_t used = e + 4 - c->buf; memmove(c->buf, c->buf + used, c->len - used); c->len -= used; c->state = S_OPEN;
  }
  size_t off = 0;
  for (;;) {
    if (c->len - off < 2) break;
    unsigned char *b = (unsigned char *)c->buf + off; uint64_t pl = b[1] & 127; size_t h = 2;
    if (pl == 126) { if (c->len - off < 4) break; pl = (b[2] << 8) | b[3]; h = 4; }
    else if (pl == 127) { if (c->len - off < 10) break; pl = 0; for (int i = 0; i < 8; i++) pl = (pl << 8) | b[2 + i]; h = 10; }
    if (c->len - off < h + pl) break;
    int op = b[0] & 15;
    if (op == 1 || op == 2) on_message(c, (char *)b + h, pl);
    off += h + pl;
  }
  memmove(c->buf, c->buf + off, c->len - off); c->len -= off;
}

static int cmpd(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }

int main(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage: wsfan HOST PORT GIVEAWAY_ID N SECONDS [EVENT]\n"); return 2; }
  const char *host = argv[1]; int port = atoi(argv[2]); gid = argv[3]; int n = atoi(argv[4]); double secs = atof(argv[5]);
  if (argc > 6) evname = argv[6];
  struct rlimit rl = {n + 1024, n + 1024}; setrlimit(RLIMIT_NOFILE, &rl);
  int ep = epoll_create1(0); conn_t *cs = calloc(n, sizeof(conn_t));
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)}; inet_pton(AF_INET, host, &sa.sin_addr);
  char req[512]; snprintf(req, sizeof req, "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", host, port);
  struct epoll_event evs[1024];
  int opened = 0; double t0 = now_ms();
  for (;;) {
    // open connections in waves so the server's accept queue is not flooded
    while (opened < n && opened - ready < 500) {
      conn_t *c = &cs[opened]; c->fd = socket(AF_INET, SOCK_STREAM, 0); int one = 1; setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("connect"); return 2; }
      fcntl(c->fd, F_SETFL, O_NONBLOCK); ssize_t w = write(c->fd, req, strlen(req)); (void)w;
      c->cap = 65536; c->buf = malloc(c->cap); c->state = S_HTTP;
      struct epoll_event e = {.events = EPOLLIN, .data.ptr = c}; epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e); opened++;
    }
    int k = epoll_wait(ep, evs, 1024, 50);
    for (int i = 0; i < k; i++) {
      conn_t *c = evs[i].data.ptr;
      for (;;) {
        if (c->cap - c->len < 16384) { c->cap *= 2; c->buf = realloc(c->buf, c->cap); }
        ssize_t r = read(c->fd, c->buf + c->len, c->cap - c->len);
        if (r > 0) { c->len += r; on_data(c); continue; }
        if (r == 0) { fprintf(stderr, "server closed a connection\n"); close(c->fd); epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); }
        break;
      }
    }
    if (!ready_at && ready == n) { ready_at = now_ms(); fprintf(stderr, "ready: %d watchers in %.0f ms\n", n, ready_at - t0); fflush(stderr); printf("READY\n"); fflush(stdout); }
    if (!ready_at && now_ms() - t0 > 120000) { fprintf(stderr, "only %ld of %d ready after 120 s\n", ready, n); return 3; }
    if (ready_at && now_ms() - ready_at > secs * 1000) break;
  }
  double sp[MAXV]; int m = 0, events = 0;
  for (int v = 0; v < MAXV; v++) if (seen[v]) { events++; if (seen[v] >= n * 0.9) sp[m++] = last_at[v] - first_at[v]; }
  qsort(sp, m, sizeof(double), cmpd);
  struct rusage ru; getrusage(RUSAGE_SELF, &ru);
  double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  printf("ready=%ld deliveries=%ld events=%d full_events=%d spread_p50_ms=%.1f spread_p99_ms=%.1f cpu_s=%.2f frames=%ld frame_bytes=%ld\n", ready, deliveries, events, m,
         m ? sp[m / 2] : -1.0, m ? sp[(int)(m * 0.99) < m ? (int)(m * 0.99) : m - 1] : -1.0, cpu, frames, frame_bytes);
  return 0;
}
