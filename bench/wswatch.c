// wswatch: Socket.IO (Engine.IO v4, websocket transport) viewers on several server nodes in one process, so
// every arrival is read on one clock at a cost of a few microseconds per frame (a Node client spends ~10 µs
// per frame, which with hundreds of watchers in one event loop becomes the measurement floor).
// usage: wswatch HOST GROUP... where GROUP is LABEL:PORT:N:GIVEAWAY_ID[+GIVEAWAY_ID...]
// Each of the N connections of a group subscribes to its giveaways. Prints READY once all are subscribed,
// records every event frame ("42[...") from then on in memory, and when stdin reaches EOF prints one line
// per frame, "LABEL T_MS FRAME" (T_MS: CLOCK_MONOTONIC, ms with µs), then "cpu_s=... cpu_recording_s=... frames=... frame_bytes=..." (CPU of the whole run and from READY).
#define _GNU_SOURCE
#include <arpa/inet.h>
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

enum { S_HTTP, S_OPEN, S_CONNECTING, S_SUBSCRIBING, S_READY };
typedef struct { int fd, state, acks, group; char *buf; size_t len, cap; } conn_t;
typedef struct { char label[16]; int port, n; char *gids[8]; int ngids; } group_t;
static group_t groups[16];
static long ready = 0, frames = 0, frame_bytes = 0;
static int recording = 0;
static double cpu_at_ready = 0;
static char *log_buf; static size_t log_len = 0, log_cap = 0;

static double cpu_s(void) {
  struct rusage ru; getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

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

static void record(const conn_t *c, const char *p, size_t n, double t) {
  size_t need = n + 48;
  if (log_cap - log_len < need) { log_cap = (log_cap + need) * 2; log_buf = realloc(log_buf, log_cap); }
  log_len += snprintf(log_buf + log_len, log_cap - log_len, "%s %.3f %.*s\n", groups[c->group].label, t, (int)n, p);
}

static void on_message(conn_t *c, const char *p, size_t n, double t) {
  const group_t *g = &groups[c->group];
  if (n == 1 && p[0] == '2') { send_text(c->fd, "3"); return; }  // engine.io ping -> pong
  if (c->state == S_OPEN && n > 0 && p[0] == '0') { send_text(c->fd, "40"); c->state = S_CONNECTING; return; }
  if (c->state == S_CONNECTING && n >= 2 && p[0] == '4' && p[1] == '0') {
    for (int i = 0; i < g->ngids; i++) {
      char msg[256]; snprintf(msg, sizeof msg, "42%d[\"giveaway:subscribe\",{\"giveaway_id\":\"%s\"}]", i + 1, g->gids[i]);
      send_text(c->fd, msg);
    }
    c->state = S_SUBSCRIBING; return;
  }
  if (c->state == S_SUBSCRIBING && n >= 3 && p[0] == '4' && p[1] == '3') {
    if (!memmem(p, n, "\"ok\":true", 9)) { fprintf(stderr, "subscribe refused: %.*s\n", (int)(n < 200 ? n : 200), p); exit(2); }
    if (++c->acks == g->ngids) { c->state = S_READY; ready++; }
    return;
  }
  if (recording) { frames++; frame_bytes += n; }
  if (recording && c->state == S_READY && n > 2 && p[0] == '4' && p[1] == '2') record(c, p, n, t);
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
    off += h + pl;
  }
  memmove(c->buf, c->buf + off, c->len - off); c->len -= off;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: wswatch HOST LABEL:PORT:N:GID[+GID...]...\n"); return 2; }
  const char *host = argv[1]; int ngroups = 0, total = 0;
  for (int a = 2; a < argc && ngroups < 16; a++, ngroups++) {
    group_t *g = &groups[ngroups]; char *spec = strdup(argv[a]);
    snprintf(g->label, sizeof g->label, "%s", strtok(spec, ":"));
    g->port = atoi(strtok(NULL, ":")); g->n = atoi(strtok(NULL, ":"));
    for (char *id = strtok(strtok(NULL, ":"), "+"); id && g->ngids < 8; id = strtok(NULL, "+")) g->gids[g->ngids++] = id;
    total += g->n;
  }
  struct rlimit rl = {total + 1024, total + 1024}; setrlimit(RLIMIT_NOFILE, &rl);
  int ep = epoll_create1(0); conn_t *cs = calloc(total, sizeof(conn_t));
  struct epoll_event in = {.events = EPOLLIN, .data.ptr = NULL}; epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);
  struct epoll_event evs[1024];
  int opened = 0, gi = 0, in_group = 0; double t0 = now_ms();
  for (;;) {
    // Open connections in waves so a server's accept queue is not flooded.
    while (opened < total && opened - ready < 200) {
      if (in_group == groups[gi].n) { gi++; in_group = 0; }
      group_t *g = &groups[gi]; conn_t *c = &cs[opened]; c->group = gi; in_group++;
      struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(g->port)}; inet_pton(AF_INET, host, &sa.sin_addr);
      char req[512]; snprintf(req, sizeof req, "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", host, g->port);
      c->fd = socket(AF_INET, SOCK_STREAM, 0); int one = 1; setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("connect"); return 2; }
      fcntl(c->fd, F_SETFL, O_NONBLOCK); ssize_t w = write(c->fd, req, strlen(req)); (void)w;
      c->cap = 65536; c->buf = malloc(c->cap); c->state = S_HTTP;
      struct epoll_event e = {.events = EPOLLIN, .data.ptr = c}; epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e); opened++;
    }
    int k = epoll_wait(ep, evs, 1024, 50);
    int stop = 0;
    for (int i = 0; i < k; i++) {
      conn_t *c = evs[i].data.ptr;
      if (!c) { char b[256]; if (read(0, b, sizeof b) <= 0) stop = 1; continue; }
      for (;;) {
        if (c->cap - c->len < 16384) { c->cap *= 2; c->buf = realloc(c->buf, c->cap); }
        ssize_t r = read(c->fd, c->buf + c->len, c->cap - c->len);
        // One clock reading per read(): every frame of the read arrived together.
        if (r > 0) { c->len += r; on_data(c, now_ms()); continue; }
        if (r == 0) { fprintf(stderr, "server closed a connection\n"); close(c->fd); epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); }
        break;
      }
    }
    if (stop) break;
    if (!recording && ready == total) { recording = 1; cpu_at_ready = cpu_s(); fprintf(stderr, "ready: %d watchers in %.0f ms\n", total, now_ms() - t0); printf("READY\n"); fflush(stdout); }
    if (!recording && now_ms() - t0 > 120000) { fprintf(stderr, "only %ld of %d ready after 120 s\n", ready, total); return 3; }
  }
  fwrite(log_buf, 1, log_len, stdout);
  printf("cpu_s=%.2f cpu_recording_s=%.2f frames=%ld frame_bytes=%ld\n", cpu_s(), cpu_s() - cpu_at_ready, frames, frame_bytes);
  return 0;
}
