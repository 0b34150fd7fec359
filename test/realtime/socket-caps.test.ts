// Per-IP socket caps on real socket.io-client connections, over websocket and long-polling: concurrent
// connections per IP (per node) and handshakes per second per IP, refused with a coded connect_error that the
// SDK reads (data.code RATE_LIMITED, retry_after), and the refused connection is closed by the server.
// TRUST_PROXY=1 lets each test claim its own client address through X-Forwarded-For.
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import type { TestSocket } from '../support/socket-client.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

type Transport = 'websocket' | 'polling';
type Outcome =
  | { ok: true; socket: TestSocket }
  | { ok: false; message: string; data: { code?: string; retry_after?: number } | undefined };

let db: TestDatabase;
const open: TestSocket[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(async () => {
  await db?.drop();
});

async function withApp(env: Record<string, string>, run: (app: TestApp) => Promise<void>) {
  const app = await startTestApp({ DATABASE_URL: db.url, TRUST_PROXY: '1', ...env });
  try {
    await run(app);
  } finally {
    await app.stop();
  }
}

/** One connection attempt from `ip`: connected, or the connect_error the client got. */
function attempt(app: TestApp, ip: string, transport: Transport): Promise<Outcome> {
  const socket: TestSocket = io(`http://127.0.0.1:${app.app.realtimePort}`, {
    transports: [transport],
    extraHeaders: { 'X-Forwarded-For': ip },
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      open.push(socket);
      resolve({ ok: true, socket });
    });
    socket.once('connect_error', (err: Error & { data?: { code?: string; retry_after?: number } }) => {
      socket.close();
      resolve({ ok: false, message: err.message, data: err.data });
    });
  });
}

const connectedFrom = (app: TestApp, ip: string) =>
  [...(app.app.io?.sockets.sockets.values() ?? [])].filter((s) => s.handshake.address === ip).length;

describe('per-IP socket caps', () => {
  it.each<Transport>(['websocket', 'polling'])(
    'refuses connections over SOCKET_MAX_PER_IP with RATE_LIMITED, per address, on %s',
    async (transport) => {
      await withApp({ SOCKET_MAX_PER_IP: '3', SOCKET_HANDSHAKES_PER_SEC_PER_IP: '1000' }, async (app) => {
        const ip = '198.51.100.10';
        const first = await Promise.all([1, 2, 3].map(() => attempt(app, ip, transport)));
        expect(first.every((o) => o.ok)).toBe(true);

        const fourth = await attempt(app, ip, transport);
        expect(fourth).toMatchObject({
          ok: false,
          message: expect.stringContaining('Too many connections'),
          data: { code: 'RATE_LIMITED', retry_after: expect.any(Number) },
        });
        // Another address is not affected.
        expect(await attempt(app, '198.51.100.11', transport)).toMatchObject({ ok: true });

        // A socket closes: its address may connect again.
        const [one] = first;
        if (one?.ok) one.socket.disconnect();
        await expect.poll(async () => (await attempt(app, ip, transport)).ok, { timeout: 10_000 }).toBe(true);
        expect(connectedFrom(app, ip)).toBe(3);
      });
    },
  );

  it.each<Transport>(['websocket', 'polling'])(
    'refuses handshakes over SOCKET_HANDSHAKES_PER_SEC_PER_IP with RATE_LIMITED on %s',
    async (transport) => {
      await withApp({ SOCKET_MAX_PER_IP: '1000', SOCKET_HANDSHAKES_PER_SEC_PER_IP: '3' }, async (app) => {
        const burst = await Promise.all(
          Array.from({ length: 10 }, () => attempt(app, '203.0.113.20', transport)),
        );
        const refused = burst.filter((o) => !o.ok);
        // Ten at once against 3 per second: even a burst spread over two windows has 4 refusals.
        expect(refused.length).toBeGreaterThanOrEqual(4);
        for (const r of refused) {
          expect(r).toMatchObject({ data: { code: 'RATE_LIMITED', retry_after: expect.any(Number) } });
        }
        // The server closed the refused connections; only the admitted ones remain.
        await expect.poll(() => app.app.io?.engine.clientsCount).toBe(burst.length - refused.length);
        // Another address has its own budget.
        expect(await attempt(app, '203.0.113.21', transport)).toMatchObject({ ok: true });
      });
    },
  );

  it('closes the connections of a client that ignores its refusal, and refuses the transport past twice the cap', async () => {
    await withApp({ SOCKET_MAX_PER_IP: '2', SOCKET_HANDSHAKES_PER_SEC_PER_IP: '1000' }, async (app) => {
      const ip = '192.0.2.40';
      const url = `ws://127.0.0.1:${app.app.realtimePort}/socket.io/?EIO=4&transport=websocket`;
      /** A bare Engine.IO websocket that never closes by itself; `connect` sends the Socket.IO connect. */
      const raw = async (connect: boolean) => {
        const ws = new WebSocket(url, { headers: { 'X-Forwarded-For': ip } });
        const frames: string[] = [];
        ws.on('message', (m: Buffer) => {
          frames.push(m.toString());
          if (m.toString() === '2') ws.send('3'); // pong
        });
        // Plain listeners: events.once() would reject on the 'error' of a refused handshake.
        const closed = new Promise<true>((resolve) => ws.once('close', () => resolve(true)));
        ws.on('error', () => undefined);
        const opened = await Promise.race([
          new Promise<boolean>((resolve) => ws.once('open', () => resolve(true))),
          closed.then(() => false),
        ]);
        if (opened && connect) ws.send('40');
        return { ws, frames, opened, closed };
      };
      for (let i = 0; i < 2; i++) expect((await attempt(app, ip, 'websocket')).ok).toBe(true);

      const stubborn = await raw(true);
      expect(stubborn.opened).toBe(true);
      await stubborn.closed; // The server closed it after the refusal...
      const refusal = stubborn.frames.find((f) => f.startsWith('44'));
      expect(JSON.parse(refusal?.slice(2) ?? '{}')).toMatchObject({ data: { code: 'RATE_LIMITED' } });

      const silent = await raw(false);
      expect(silent.opened).toBe(true);
      const started = Date.now();
      await silent.closed; // ...and one that never finishes its Socket.IO connect, within a short grace.
      expect(Date.now() - started).toBeLessThan(5_000);

      // Holding twice the cap in open transports, the next transport handshake itself is refused.
      const held = await Promise.all([raw(false), raw(false)]);
      expect(held.every((h) => h.opened)).toBe(true);
      const turnedAway = await raw(false);
      expect(turnedAway.opened).toBe(false);
      await Promise.all(held.map((h) => h.closed));
    });
  });

  it('lets every connection through with RATE_LIMIT=off', async () => {
    await withApp(
      { RATE_LIMIT: 'off', SOCKET_MAX_PER_IP: '2', SOCKET_HANDSHAKES_PER_SEC_PER_IP: '2' },
      async (app) => {
        const all = await Promise.all(
          Array.from({ length: 6 }, (_, i) => attempt(app, '192.0.2.30', i % 2 ? 'polling' : 'websocket')),
        );
        expect(all.every((o) => o.ok)).toBe(true);
      },
    );
  });
});
