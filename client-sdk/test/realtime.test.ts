// client.watch and client.join against the real realtime server, reached through a TCP proxy that can be cut:
// resync after reconnects and version gaps, idempotent join retries, credentials refreshed through the auth
// function (socket and REST), and live relay events once the change relay is wired into the app.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomOf } from '../../schema/contract/realtime.ts';
import { startTcpProxy, type TcpProxy } from '../../test/support/tcp-proxy.ts';
import { initDataFor } from '../../test/support/telegram-user.ts';
import {
  createClient,
  GiveawayError,
  type ClientOptions,
  type Credential,
  type GiveawayClient,
  type GiveawaySnapshot,
} from '../src/index.ts';
import { closedGiveaway, giveawayBody, startSdkServer, type SdkServer } from './support.ts';

let server: SdkServer;
let proxy: TcpProxy;
let owner: GiveawayClient;
const OWNER = { id: 301, username: 'streamer' };
const TWO_DAYS_AGO = new Date(Date.now() - 2 * 86_400_000);

beforeAll(async () => {
  server = await startSdkServer();
  proxy = await startTcpProxy(server.app.app.realtimePort);
  owner = server.clientFor(OWNER);
});
afterAll(async () => {
  await proxy?.cut();
  await server?.stop();
});

const viaProxy = (options: Partial<ClientOptions> = {}) =>
  createClient({ baseUrl: server.app.url, realtimeUrl: `http://127.0.0.1:${proxy.port}`, ...options });

function recorder() {
  const log = {
    snapshots: [] as Array<[GiveawaySnapshot, string]>,
    counts: [] as number[],
    statuses: [] as string[],
    states: [] as string[],
    errors: [] as GiveawayError[],
  };
  const handlers = {
    snapshot: (view: GiveawaySnapshot, reason: string) => log.snapshots.push([view, reason]),
    count: (e: { participants_count: number }) => log.counts.push(e.participants_count),
    status: (e: { status: string }) => log.statuses.push(e.status),
    state: (s: string) => log.states.push(s),
    error: (e: GiveawayError) => log.errors.push(e),
  };
  return { log, handlers };
}

async function versionOf(id: string): Promise<number> {
  const { rows } = await server.db.pool.query<{ version: number }>(
    'SELECT version FROM giveaways WHERE id = $1',
    [id],
  );
  return Number(rows[0]?.version);
}

describe('client.watch', () => {
  it('resubscribes after the connection drops and reflects what changed meanwhile', async () => {
    const { id } = await owner.giveaways.create(giveawayBody());
    const client = viaProxy({ auth: null });
    const { log, handlers } = recorder();
    const sub = client.watch(id, handlers);
    const first = await sub.ready();
    expect(first).toMatchObject({ id, participants_count: 0, status: 'active' });
    expect(sub.state).toBe('live');
    expect(sub.connectionState).toBe('connected');

    await proxy.cut();
    await expect.poll(() => sub.connectionState, { timeout: 15_000 }).toBe('reconnecting');
    expect(sub.state).toBe('offline');
    for (const uid of [311, 312]) await server.clientFor({ id: uid }).giveaways.join(id);
    await owner.giveaways.update(id, { title: 'Changed while away' });
    await proxy.restore();

    await expect.poll(() => log.snapshots.length, { timeout: 15_000 }).toBe(2);
    expect(log.snapshots[1]?.[1]).toBe('reconnect');
    expect(sub.view).toMatchObject({ participants_count: 2, title: 'Changed while away' });
    expect(sub.view?.version).toBe(await versionOf(id));
    expect(log.counts).toEqual([2]); // the resync reached a count-only UI too
    expect(log.states).toEqual(expect.arrayContaining(['live', 'offline', 'resyncing']));
    await sub.close();
    expect(sub.state).toBe('closed');
    client.close();
  });

  it('applies in-order events, drops stale and repeated ones, and resyncs from a snapshot after a version gap', async () => {
    const { id } = await owner.giveaways.create(giveawayBody());
    const client = viaProxy({ auth: null });
    const { log, handlers } = recorder();
    const sub = client.watch(id, handlers);
    const { version } = await sub.ready();
    const io = server.app.app.io;
    if (!io) throw new Error('no realtime server');
    const room = io.to(roomOf(id));

    room.emit('giveaway:count', { giveaway_id: id, version: version + 1, participants_count: 5 });
    room.emit('giveaway:status', { giveaway_id: id, version: version + 1, status: 'active' }); // same tick
    room.emit('giveaway:count', { giveaway_id: id, version: version + 1, participants_count: 6 }); // repeated
    room.emit('giveaway:count', { giveaway_id: id, version, participants_count: 4 }); // stale
    await expect.poll(() => log.statuses.length, { timeout: 15_000 }).toBe(1);
    expect(log.counts).toEqual([5]);
    expect(sub.view).toMatchObject({ participants_count: 5, version: version + 1 });

    // Events lost in transit: the client's socket leaves the room while the giveaway changes three times.
    const members = (await io.in(roomOf(id)).fetchSockets()).map((s) => s.id);
    // A second watcher stays in the room: once it has the relay's last count, the relay announced it all.
    const witness = viaProxy({ auth: null });
    const witnessed: number[] = [];
    await witness.watch(id, { count: (e) => witnessed.push(e.participants_count) }).ready();
    io.in(members).socketsLeave(roomOf(id));
    await owner.giveaways.update(id, { title: 'Edited unseen' });
    for (const uid of [321, 322]) await server.clientFor({ id: uid }).giveaways.join(id);
    await expect.poll(() => witnessed.at(-1), { timeout: 15_000 }).toBe(2); // unheard by the client
    witness.close();
    io.in(members).socketsJoin(roomOf(id));
    await server.clientFor({ id: 323 }).giveaways.join(id); // the relay announces it, versions ahead
    const current = await versionOf(id);
    expect(current).toBeGreaterThanOrEqual(version + 3);
    await expect.poll(() => log.snapshots.map(([, reason]) => reason), { timeout: 15_000 }).toContain('gap');
    await expect.poll(() => sub.view?.version, { timeout: 15_000 }).toBe(current);
    expect(sub.view).toMatchObject({ title: 'Edited unseen', participants_count: 3 });
    client.close();
  });

  it('reports a refused subscription (unknown giveaway) instead of retrying forever', async () => {
    const client = viaProxy({ auth: null });
    const { log, handlers } = recorder();
    const sub = client.watch('00000000-0000-4000-8000-000000000000', handlers);
    await expect(sub.ready()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(sub.state).toBe('failed');
    expect(log.errors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    client.close();
  });

  it('delivers live counts, the status change and the draw from the change relay', async () => {
    const { id } = await owner.giveaways.create(giveawayBody());
    const client = viaProxy({ auth: null });
    const { log, handlers } = recorder();
    const drawn: unknown[] = [];
    const sub = client.watch(id, { ...handlers, drawn: (e) => drawn.push(e) });
    await sub.ready();
    for (const uid of [331, 332, 333]) await server.clientFor({ id: uid }).giveaways.join(id);
    await expect.poll(() => log.counts.at(-1), { timeout: 15_000 }).toBe(3);
    expect(log.snapshots).toHaveLength(1);
    await server.db.pool.query(
      `UPDATE giveaways SET started_at = now() - interval '10 minutes', ends_at = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    await expect.poll(() => drawn.length, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => log.statuses, { timeout: 15_000 }).toContain('completed');
    await expect.poll(() => sub.view?.winners.length, { timeout: 15_000 }).toBe(2);
    client.close();
  });
});

describe('client.join', () => {
  it('joins with an idempotency key; repeating it is success and counts once', async () => {
    const { id } = await owner.giveaways.create(giveawayBody());
    const client = viaProxy({ auth: { initData: initDataFor({ id: 341 }) } });
    expect(await client.join(id, { idempotencyKey: 'k-341' })).toEqual({ status: 'joined' });
    expect(await client.join(id, { idempotencyKey: 'k-341' })).toEqual({ status: 'already_joined' });
    expect((await owner.giveaways.get(id)).participants_count).toBe(1);
    const viewer = viaProxy({ auth: null });
    await expect(viewer.join(id)).rejects.toMatchObject({ code: 'UNAUTHORIZED', retryable: false });
    client.close();
    viewer.close();
  });

  it('retries a join whose answer was lost, with the same idempotency key', async () => {
    const { id } = await owner.giveaways.create(giveawayBody());
    const io = server.app.app.io;
    if (!io) throw new Error('no realtime server');
    const keys: string[] = [];
    const dropFirstAnswer = (socket: {
      prependAny(fn: (...args: unknown[]) => void): void;
      conn: { close(): void };
    }) =>
      socket.prependAny((event, payload) => {
        if (event !== 'giveaway:join') return;
        keys.push((payload as { idempotency_key: string }).idempotency_key);
        if (keys.length === 1) setTimeout(() => socket.conn.close(), 0); // the join runs; its ack is lost
      });
    io.on('connection', dropFirstAnswer);
    try {
      const client = viaProxy({ auth: { initData: initDataFor({ id: 351 }) } });
      const result = await client.join(id, { timeoutMs: 3_000 });
      expect(['joined', 'already_joined']).toContain(result.status);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toBe(keys[1]);
      expect((await owner.giveaways.get(id)).participants_count).toBe(1);
      client.close();
    } finally {
      io.off('connection', dropFirstAnswer);
    }
  });
});

describe('credentials', () => {
  it('replaces an expired init-data through the auth function, on the socket and over REST, and on every reconnect', async () => {
    const { id } = await owner.giveaways.create(giveawayBody());
    const given: string[] = [];
    const auth = (): Credential => {
      given.push(given.length === 0 ? 'expired' : 'fresh');
      return { initData: initDataFor({ id: 361 }, given.length === 1 ? { authDate: TWO_DAYS_AGO } : {}) };
    };
    const client = viaProxy({ auth });
    const sub = client.watch(id);
    await sub.ready();
    expect(given).toEqual(['expired', 'fresh']);
    expect(await client.join(id)).toEqual({ status: 'joined' });

    await proxy.cut();
    await expect.poll(() => client.connectionState, { timeout: 15_000 }).toBe('reconnecting');
    await proxy.restore();
    await expect.poll(() => client.connectionState, { timeout: 15_000 }).toBe('connected');
    expect(given.length).toBeGreaterThanOrEqual(3); // called again for the new handshake

    const rest = viaProxy({
      auth: (() => {
        let calls = 0;
        return () => ({
          initData: initDataFor({ id: 362 }, ++calls === 1 ? { authDate: TWO_DAYS_AGO } : {}),
        });
      })(),
    });
    expect((await rest.users.me()).id).toBe(362);
    client.close();
  });

  it('stops in `failed` with the server code when a fixed credential is refused, rather than loop', async () => {
    const { id } = await owner.giveaways.create(giveawayBody());
    const client = viaProxy({ auth: { initData: initDataFor({ id: 371 }, { authDate: TWO_DAYS_AGO }) } });
    const states: string[] = [];
    client.onConnectionState((s) => states.push(s));
    const sub = client.watch(id);
    const err = await sub.ready().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GiveawayError);
    expect(err).toMatchObject({ code: 'INIT_DATA_EXPIRED' });
    // Not synchronisation: a second of quiet, in which a client that loops would reconnect and fail again.
    await sleep(1_000);
    expect(client.connectionState).toBe('failed');
    expect(states.filter((s) => s === 'failed')).toHaveLength(1);
    await expect(client.users.me()).rejects.toMatchObject({ code: 'INIT_DATA_EXPIRED', status: 401 });
    client.close();
  });
});

describe('a drawn giveaway over the socket', () => {
  it('serves the winners in the snapshot of a finished giveaway', async () => {
    const drawn = await closedGiveaway(server, owner, [{ id: 381 }, { id: 382 }]);
    const client = viaProxy({ auth: null });
    const view = await client.watch(drawn.id).ready();
    expect(view).toMatchObject({ status: 'completed', participants_count: 2 });
    expect(view.winners.map((w) => w.user_id).sort()).toEqual([381, 382]);
    client.close();
  });
});
