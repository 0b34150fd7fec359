// Webhook test harness: a worker-role server built by createServer (the production composition root) on a
// test database, with short webhook delays, and a local receiver (node:http) that verifies every delivery
// with the standardwebhooks library itself.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { Webhook } from 'standardwebhooks';
import type { Principal } from '../../server/auth/index.ts';
import type { WebhookSettings, Webhooks } from '../../server/webhooks/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/free-port.ts';
import { startTestApp } from '../support/test-app.ts';

export interface Harness {
  db: TestDatabase;
  hooks: Webhooks;
  stop(): Promise<void>;
}

export async function startHarness(settings: Partial<WebhookSettings> = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const app = await startTestApp(
    {
      ROLES: 'worker',
      DATABASE_URL: db.url,
      DB_AUTO_MIGRATE: 'false',
      // Receivers listen on 127.0.0.1 over plain HTTP.
      WEBHOOKS_ALLOW_HTTP: 'true',
      WEBHOOKS_ALLOW_PRIVATE: 'true',
    },
    {
      jobs: { poolMax: 2 },
      tuning: {
        webhooks: { backoffBaseMs: 100, backoffMaxMs: 400, pollMs: 100, jobPollSec: 0.1, ...settings },
      },
    },
  );
  return {
    db,
    hooks: app.app.services.webhooks,
    async stop() {
      await app.stop();
      await db.drop();
    },
  };
}

/** A user with an API key, acting through it. */
export async function apiKeyOwner(h: Harness, userId: number): Promise<Principal> {
  await h.db.pool.query('INSERT INTO users (id) VALUES ($1) ON CONFLICT DO NOTHING', [userId]);
  const { rows } = await h.db.pool.query<{ id: string }>(
    `INSERT INTO api_keys (owner_id, name, prefix, secret_hash) VALUES ($1, 'test', 'gw_test', $2) RETURNING id`,
    [userId, randomBytes(32)],
  );
  return { userId, isAdmin: false, isBanned: false, via: 'api-key', apiKeyId: rows[0]?.id ?? '' };
}

export async function insertGiveaway(h: Harness, creatorId: number, title = 'Hooked'): Promise<string> {
  const id = randomUUID();
  await h.db.pool.query(
    `INSERT INTO giveaways (id, creator_id, title, started_at, ends_at, duration, winners_count)
     VALUES ($1, $2, $3, now(), now() + interval '1 hour', 3600, 1)`,
    [id, creatorId, title],
  );
  return id;
}

export interface Received {
  id: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  event: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** Answers 2xx to deliveries that verify with `secret`, 401 otherwise; can go down (connection refused). */
export class Receiver {
  readonly received: Received[] = [];
  readonly rejected: string[] = [];
  secret = '';
  respond: (res: http.ServerResponse) => void = (res) => res.writeHead(204).end();
  private server: http.Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async up(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          const event = new Webhook(this.secret).verify(body, req.headers as Record<string, string>);
          this.received.push({
            id: String(req.headers['webhook-id']),
            headers: req.headers,
            body,
            event: event as Received['event'],
          });
          this.respond(res);
        } catch (err) {
          this.rejected.push((err as Error).message);
          res.writeHead(401).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export async function deliveryRows(h: Harness, endpointId: string) {
  const { rows } = await h.db.pool.query<{
    id: string;
    event_type: string;
    status: string;
    attempts: number;
    giveaway_id: string;
  }>(
    `SELECT id, event_type, status::text, attempts, giveaway_id FROM webhook_deliveries
     WHERE endpoint_id = $1 ORDER BY event_id`,
    [endpointId],
  );
  return rows;
}
