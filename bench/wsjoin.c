// wsjoin: a cheap Socket.IO (Engine.IO v4, websocket transport) join generator, so that the socket-joins
// benchmark measures the server and PostgreSQL rather than a Node load generator (~20–25 µs of CPU per join
// in raw `ws`, taken from the same two cores). N connections each authenticate with their own Telegram
// init-data (signed by the Node script: no HMAC here), then each joins every giveaway in GIDS_FILE in order,
// keeping K joins in flight; every ack's latency is measured on CLOCK_MONOTONIC from the moment its join
// was handed to write() to the read() that brought the ack.
// usage: wsjoin HOST PORT N K CONNECT_FILE GIDS_FILE [RATE]
//   RATE (joins/s, optional): open loop. Joins leave on a fixed schedule, i/RATE s after "go", each on the
//   next socket (round robin) with fewer than K in flight, whatever the acks do; a join that finds every
//   socket busy leaves late, and its latency still counts from its scheduled time (no coordinated
//   omission). Without RATE the loop is closed: each ack sends that socket's next join at once, so latency
//   is in flight / throughput by construction and the run measures the server at saturation.
//   CONNECT_FILE: N lines, each a complete Socket.IO CONNECT text ("40{\"initData\":\"...\"}").
//   GIDS_FILE: one giveaway id per line.
// Prints READY once every connection is connected, waits for a line on stdin, runs, and prints one line:
// sockets joins acked accepted joined already failed p50_ms p90_ms p99_ms p999_ms max_ms wall_s cpu_s
// cpu_run_s writes reads go_ms end_ms (cpu_run_s, writes, reads: between "go" and the last ack; go_ms and
// end_ms: CLOCK_MONOTONIC, the clock of V8 CPU profiles, so a server profile can be cut to the run), then
// p50_warm_ms p99_warm_ms: the same without each socket's first K joins (all sockets start at once on the
// first giveaway, on cold connections: a burst that is ~1/giveaways of the samples, enough to set a p99).
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
#include <time.h>
#include <unistd.h>

enum { S_HTTP, S_OPEN, S_CONNECTING, S_READY, S_DONE };
typedef struct {
  int fd, state, next, acked;
  char *buf; size_t len, cap;   // bytes read, not yet parsed
  char *out; size_t olen, ocap; // frames built while handling one read, written with one write()
  double *sent;                 // send time of each join (index = ack id = giveaway index)
  const char *connect_msg;
} conn_t;

static char **gids; static int ngids;
static int K, running = 0;
static double rate = 0;          // joins/s in open-loop mode, 0 for the closed loop
static long issued = 0, late = 0; // open loop: joins sent so far; of them, sent after their scheduled time
static int rr = 0;               // open loop: the socket the next join tries first
static long acked = 0, accepted = 0, joined = 0, already = 0, failed = 0, writes = 0, reads = 0, ready = 0, done = 0;
static double *lat; static long nlat = 0;
static double *warm; static long nwarm = 0;
static int errors_shown = 0;

static double now_ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static double cpu_s(void) {
  struct rusage ru; getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/** Appends one masked text frame to the connection's output (mask key 0: XOR is a no-op, still valid). */
static void queue_text(conn_t *c, const char *s, size_t n) {
  if (c->ocap - c->olen < n + 14) { c->ocap = (c->ocap + n + 14) * 2; c->out = realloc(c->out, c->ocap); }
  unsigned char *h = (unsigned char *)c->out + c->olen;
  size_t hl = 0;
  h[hl++] = 0x81;
  if (n < 126) h[hl++] = 0x80 | n;
  else if (n < 65536) { h[hl++] = 0x80 | 126; h[hl++] = n >> 8; h[hl++] = n & 255; }
  else { h[hl++] = 0x80 | 127; for (int i = 7; i >= 0; i--) h[hl++] = (uint64_t)n >> (8 * i); }
  memset(h + hl, 0, 4); hl += 4;
  memcpy(h + hl, s, n);
  c->olen += hl + n;
}

static void flush_out(conn_t *c) {
  size_t off = 0;
  while (off < c->olen) {
    ssize_t w = write(c->fd, c->out + off, c->olen - off);
    if (w > 0) { off += w; writes++; continue; }
    if (w < 0 && errno == EINTR) continue;
    // Kernel buffer full (K small frames per socket never fill it); give up loudly rather than spin.
    fprintf(stderr, "write failed: %s\n", w < 0 ? strerror(errno) : "0 bytes"); exit(2);
  }
  c->olen = 0;
}

static void send_join(conn_t *c, double at) {
  int i = c->next++;
  char msg[160];
  int n = snprintf(msg, sizeof msg, "42%d[\"giveaway:join\",{\"giveaway_id\":\"%s\"}]", i, gids[i]);
  queue_text(c, msg, n);
  c->sent[i] = at;
}

static void start(conn_t *c) {
  if (ngids == 0) { c->state = S_DONE; done++; return; }
  if (rate > 0) return;  // the schedule sends (main loop)
  for (int k = 0; k < K && c->next < ngids; k++) send_join(c, now_ms());
}

static void on_ack(conn_t *c, const char *p, size_t n, double t) {
  // 43<id>[{"ok":true,"status":"joined"}]
  size_t i = 2; long id = 0;
  while (i < n && p[i] >= '0' && p[i] <= '9') id = id * 10 + (p[i++] - '0');
  if (id < 0 || id >= c->next || c->sent[id] < 0) { fprintf(stderr, "unexpected ack: %.*s\n", (int)(n < 200 ? n : 200), p); exit(2); }
  lat[nlat++] = t - c->sent[id];
  if (id >= K) warm[nwarm++] = t - c->sent[id];
  c->sent[id] = -1;
  acked++; c->acked++;
  if (n - i >= 11 && memcmp(p + i, "[{\"ok\":true", 11) == 0) {
    accepted++;
    if (memmem(p + i, n - i, "\"joined\"", 8)) joined++;
    else if (memmem(p + i, n - i, "\"already_joined\"", 16)) already++;
  } else {
    failed++;
    if (errors_shown++ < 5) fprintf(stderr, "join refused: %.*s\n", (int)(n < 300 ? n : 300), p);
  }
  if (rate == 0 && c->next < ngids) send_join(c, now_ms());
  else if (c->acked == ngids) { c->state = S_DONE; done++; }
}

static void on_message(conn_t *c, const char *p, size_t n, double t) {
  if (n == 1 && p[0] == '2') { queue_text(c, "3", 1); return; }  // engine.io ping -> pong
  if (c->state == S_OPEN && n > 0 && p[0] == '0') { queue_text(c, c->connect_msg, strlen(c->connect_msg)); c->state = S_CONNECTING; return; }
  if (c->state == S_CONNECTING && n >= 2 && p[0] == '4' && p[1] == '0') { c->state = S_READY; ready++; if (running) start(c); return; }
  if (n >= 2 && p[0] == '4' && p[1] == '4') { fprintf(stderr, "connect refused: %.*s\n", (int)(n < 300 ? n : 300), p); exit(2); }
  if (n >= 3 && p[0] == '4' && p[1] == '3') { on_ack(c, p, n, t); return; }
}

static void on_data(conn_t *c, double t) {
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
    if (op == 1 || op == 2) on_message(c, (char *)b + h, pl, t);
    else if (op == 8) { fprintf(stderr, "server closed a websocket\n"); exit(2); }
    off += h + pl;
  }
  memmove(c->buf, c->buf + off, c->len - off); c->len -= off;
}

static char **read_lines(const char *path, int *count) {
  FILE *f = fopen(path, "r"); if (!f) { perror(path); exit(2); }
  char **lines = NULL; int n = 0, cap = 0; char *line = NULL; size_t lcap = 0; ssize_t r;
  while ((r = getline(&line, &lcap, f)) > 0) {
    while (r > 0 && (line[r - 1] == '\n' || line[r - 1] == '\r')) line[--r] = 0;
    if (r == 0) continue;
    if (n == cap) { cap = cap ? cap * 2 : 1024; lines = realloc(lines, cap * sizeof *lines); }
    lines[n++] = strdup(line);
  }
  free(line); fclose(f); *count = n; return lines;
}

static int cmpd(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
static double pct_of(const double *a, long na, double p) { if (!na) return -1; long i = (long)(p / 100 * na); if (i >= na) i = na - 1; return a[i]; }
static double pct(double p) { return pct_of(lat, nlat, p); }

int main(int argc, char **argv) {
  if (argc < 7) { fprintf(stderr, "usage: wsjoin HOST PORT N K CONNECT_FILE GIDS_FILE [RATE]\n"); return 2; }
  if (argc > 7) rate = atof(argv[7]);
  const char *host = argv[1]; int port = atoi(argv[2]), n = atoi(argv[3]); K = atoi(argv[4]);
  int nconnect = 0; char **connects = read_lines(argv[5], &nconnect);
  gids = read_lines(argv[6], &ngids);
  if (nconnect < n) { fprintf(stderr, "%s has %d lines, need %d\n", argv[5], nconnect, n); return 2; }
  struct rlimit rl = {n + 1024, n + 1024}; setrlimit(RLIMIT_NOFILE, &rl);
  lat = malloc(sizeof(double) * (size_t)n * ngids + 1);
  warm = malloc(sizeof(double) * (size_t)n * ngids + 1);
  int ep = epoll_create1(0); conn_t *cs = calloc(n, sizeof(conn_t));
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)}; inet_pton(AF_INET, host, &sa.sin_addr);
  char req[512]; int reqlen = snprintf(req, sizeof req, "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", host, port);
  struct epoll_event in = {.events = EPOLLIN, .data.ptr = NULL}; epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);
  struct epoll_event evs[1024];
  int opened = 0; long writes_go = 0, reads_go = 0; double t0 = now_ms(), go_at = 0, end_at = 0, cpu_go = 0, cpu_end = 0, last_progress = 0; long last_acked = -1;
  for (;;) {
    // Open connections in waves so the server's accept queue (and its auth middleware) is not flooded.
    while (opened < n && opened - ready < 200) {
      conn_t *c = &cs[opened]; c->fd = socket(AF_INET, SOCK_STREAM, 0); int one = 1; setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("connect"); return 2; }
      fcntl(c->fd, F_SETFL, O_NONBLOCK); ssize_t w = write(c->fd, req, reqlen); (void)w;
      c->cap = 16384; c->buf = malloc(c->cap); c->state = S_HTTP; c->connect_msg = connects[opened];
      c->sent = malloc(sizeof(double) * (ngids + 1));
      struct epoll_event e = {.events = EPOLLIN, .data.ptr = c}; epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e); opened++;
    }
    int k = epoll_wait(ep, evs, 1024, running && rate > 0 ? 1 : 50);
    for (int i = 0; i < k; i++) {
      conn_t *c = evs[i].data.ptr;
      if (!c) {
        char b[256]; ssize_t r = read(0, b, sizeof b);
        if (!running && ready == n && r > 0) {
          running = 1; go_at = last_progress = now_ms(); cpu_go = cpu_s(); writes_go = writes; reads_go = reads;
          for (int j = 0; j < n; j++) { start(&cs[j]); flush_out(&cs[j]); }
        }
        if (r <= 0) epoll_ctl(ep, EPOLL_CTL_DEL, 0, NULL);
        continue;
      }
      for (;;) {
        if (c->cap - c->len < 4096) { c->cap *= 2; c->buf = realloc(c->buf, c->cap); }
        ssize_t r = read(c->fd, c->buf + c->len, c->cap - c->len);
        if (r > 0) {
          reads++; c->len += r; on_data(c, now_ms());
          if ((size_t)r < c->cap - c->len + r) break;  // short read: the socket is drained, skip the EAGAIN read
          continue;
        }
        if (r == 0) { fprintf(stderr, "server closed a connection\n"); exit(2); }
        break;
      }
      if (c->olen) flush_out(c);
    }
    double t = now_ms();
    if (running && rate > 0) {
      // Open loop: send every join whose time has come, each on the next socket with room for one.
      long total = (long)n * ngids, due = (long)((t - go_at) * rate / 1000) + 1;
      while (issued < due && issued < total) {
        conn_t *c = NULL;
        for (int tries = 0; tries < n; tries++) {
          conn_t *x = &cs[rr]; rr = (rr + 1) % n;
          if (x->next < ngids && x->next - x->acked < K) { c = x; break; }
        }
        if (!c) break;  // every socket has K in flight: the schedule waits for an ack
        double at = go_at + issued * 1000.0 / rate;
        if (t - at > 1) late++;
        send_join(c, at); issued++; flush_out(c);
      }
    }
    if (!running && ready == n && !go_at) { go_at = -1; fprintf(stderr, "ready: %d sockets in %.0f ms\n", n, t - t0); printf("READY\n"); fflush(stdout); }
    if (!running && ready < n && t - t0 > 120000) { fprintf(stderr, "only %ld of %d connected after 120 s\n", ready, n); return 3; }
    if (running && done == n) { end_at = t; cpu_end = cpu_s(); break; }
    if (running) {
      if (acked != last_acked) { last_acked = acked; last_progress = t; }
      else if (t - last_progress > 30000) { fprintf(stderr, "no ack for 30 s: %ld of %ld acked\n", acked, (long)n * ngids); end_at = t; cpu_end = cpu_s(); break; }
    }
  }
  qsort(lat, nlat, sizeof(double), cmpd);
  qsort(warm, nwarm, sizeof(double), cmpd);
  printf("sockets=%d joins=%ld acked=%ld accepted=%ld joined=%ld already=%ld failed=%ld p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f wall_s=%.3f cpu_s=%.3f cpu_run_s=%.3f writes=%ld reads=%ld go_ms=%.3f end_ms=%.3f p50_warm_ms=%.2f p99_warm_ms=%.2f rate=%.0f late=%ld\n",
         n, (long)n * ngids, acked, accepted, joined, already, failed, pct(50), pct(90), pct(99), pct(99.9), nlat ? lat[nlat - 1] : -1,
         (end_at - go_at) / 1000, cpu_s(), cpu_end - cpu_go, writes - writes_go, reads - reads_go, go_at, end_at, pct_of(warm, nwarm, 50), pct_of(warm, nwarm, 99), rate, late);
  return acked == (long)n * ngids ? 0 : 4;
}
