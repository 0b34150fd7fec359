// Websocket upgrades skip engine.io's middlewares (lean-engine.ts: they kept a response wrapper per socket
// for nothing), but long-polling, where CORS matters, still gets the CORS headers, preflight included, and a
// websocket client still connects.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

const ORIGIN = 'https://app.example';
let db: TestDatabase;
let app: TestApp;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({ DATABASE_URL: db.url, SERVER_ORIGIN: ORIGIN });
  base = `http://127.0.0.1:${app.app.realtimePort}/socket.io/?EIO=4`;
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

describe('the realtime endpoint', () => {
  it('answers a long-polling handshake and its preflight with the CORS headers of SERVER_ORIGIN', async () => {
    const handshake = await fetch(`${base}&transport=polling`, { headers: { origin: ORIGIN } });
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await handshake.text()).toMatch(/^0\{"sid":/);

    const preflight = await fetch(`${base}&transport=polling`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });

  it('still connects a websocket client', async () => {
    const socket = io(`http://127.0.0.1:${app.app.realtimePort}`, {
      transports: ['websocket'],
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    expect(socket.io.engine.transport.name).toBe('websocket');
    socket.disconnect();
  });
});
