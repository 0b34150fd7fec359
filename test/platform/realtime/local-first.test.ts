// The cluster adapter delivers to this node's sockets without waiting for Redis: while the adapter's
// SPUBLISH is held (CLIENT PAUSE WRITE on a private Redis), a socket on the emitting node already has
// the event, and a socket on the other node gets it once Redis lets the publish through.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/platform/logger.ts';
import { createAdapter, type AdapterHandle } from '../../../server/platform/realtime/index.ts';
import { startPrivateRedis, type PrivateRedis } from '../../support/redis.ts';

interface Node {
  io: Server;
  http: HttpServer;
  handle: AdapterHandle;
  client: ClientSocket;
  received: string[];
}

const logger = createLogger('silent');
const nodes: Node[] = [];
let redis: PrivateRedis;
let admin: Redis;

async function startNode(name: string): Promise<Node> {
  const config = { url: redis.url, password: undefined, db: 0, keyPrefix: 'lf:', maxInFlight: 100 };
  const handle = createAdapter(config, logger, name);
  const http = createServer();
  const io = new Server(http, { adapter: handle.adapter });
  io.on('connection', (socket) => void socket.join('room'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const received: string[] = [];
  const client = connectClient(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  client.on('tick', (value: string) => received.push(value));
  const node = { io, http, handle, client, received };
  nodes.push(node);
  return node;
}

beforeAll(async () => {
  // Private: pausing the machine's Redis would stall every test file running alongside.
  redis = await startPrivateRedis();
  admin = new Redis(redis.url);
});

afterAll(async () => {
  await admin.call('CLIENT', 'UNPAUSE');
  for (const node of nodes) {
    node.client.disconnect();
    await new Promise<void>((resolve) => node.io.close(() => resolve()));
    await node.handle.close();
  }
  admin.disconnect();
  await redis.stop();
});

describe('cluster broadcasts', () => {
  it("reach this node's sockets while Redis holds the publish, and the other node's once it lets it through", async () => {
    const a = await startNode('local-first-a');
    const b = await startNode('local-first-b');
    // Both rooms subscribed cluster-wide: a fence broadcast from A reaches B's socket.
    await expect
      .poll(async () => {
        a.io.to('room').emit('tick', 'fence');
        await new Promise((resolve) => setImmediate(resolve));
        return b.received.includes('fence');
      })
      .toBe(true);

    await admin.call('CLIENT', 'PAUSE', '10000', 'WRITE');
    a.io.to('room').emit('tick', 'during-pause');
    await expect.poll(() => a.received.includes('during-pause')).toBe(true);
    // B cannot have it yet: the publish carrying it is the one Redis holds.
    expect(b.received).not.toContain('during-pause');

    await admin.call('CLIENT', 'UNPAUSE');
    await expect.poll(() => b.received.includes('during-pause')).toBe(true);
  });
});
