// A fake Bot API server for tests: HTTP on loopback speaking the Bot API's JSON (`POST /bot<token>/<method>`,
// `GET /file/bot<token>/<path>`). It records every call, keeps a little world (chats, members, admins, boosts,
// files), can be scripted to answer 429 / 403 / 400 or to hold a request unanswered, and delivers updates to
// long polling (getUpdates with offset and timeout).
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import { TEST_BOT_TOKEN } from './telegram-user.ts';

export const FAKE_BOT_ID = Number(TEST_BOT_TOKEN.split(':')[0]);
export const FAKE_BOT_USERNAME = 'test_giveaway_bot';

export type FakeAnswer =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

export interface FakeCall {
  method: string;
  payload: Record<string, any>;
  at: number;
  /** The fake wrote an answer (a held request that the client abandoned stays false). */
  answered: boolean;
  answer?: FakeAnswer;
}

type Handler = (payload: Record<string, any>, call: FakeCall) => FakeAnswer | Promise<FakeAnswer>;

export const tgError = (error_code: number, description: string, retry_after?: number): FakeAnswer => ({
  ok: false,
  error_code,
  description,
  ...(retry_after !== undefined ? { parameters: { retry_after } } : {}),
});
export const BLOCKED = tgError(403, 'Forbidden: bot was blocked by the user');
export const CHAT_NOT_FOUND = tgError(400, 'Bad Request: chat not found');
export const tooManyRequests = (retryAfter: number) =>
  tgError(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);

export interface FakeChat {
  id: number;
  type: 'channel' | 'supergroup' | 'group' | 'private';
  title?: string;
  username?: string;
  /** Photo bytes; the fake serves them through getFile + /file/. */
  photo?: Buffer;
}

export class FakeTelegram {
  readonly calls: FakeCall[] = [];
  readonly fileRequests: string[] = [];
  readonly chats = new Map<string, Record<string, any>>();
  readonly members = new Map<string, Record<string, any>>();
  readonly admins = new Map<number, Array<Record<string, any>>>();
  readonly boosts = new Map<string, Array<Record<string, any>>>();
  readonly files = new Map<string, { unique: string; path: string; bytes: Buffer }>();
  private readonly scripted = new Map<string, Handler[]>();
  private readonly overrides = new Map<string, Handler>();
  private readonly holds = new Map<string, number>();
  private readonly updates: Array<Record<string, any>> = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private pollers: Array<() => void> = [];

  private constructor(
    private readonly server: http.Server,
    readonly token: string,
  ) {}

  static async start(token = TEST_BOT_TOKEN): Promise<FakeTelegram> {
    const server = http.createServer();
    const fake = new FakeTelegram(server, token);
    server.on('request', (req, res) => void fake.handle(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const wake of this.pollers.splice(0)) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- the world -------------------------------------------------------------------------------------

  addChat(chat: FakeChat): void {
    const full: Record<string, any> = { id: chat.id, type: chat.type };
    if (chat.title) full.title = chat.title;
    if (chat.username) full.username = chat.username;
    if (chat.photo) {
      const n = this.files.size + 1;
      const file = { unique: `uniq-${chat.id}-${n}`, path: `photos/file_${n}.jpg`, bytes: chat.photo };
      this.files.set(`big-${chat.id}-${n}`, file);
      full.photo = {
        small_file_id: `small-${chat.id}-${n}`,
        small_file_unique_id: `suniq-${chat.id}-${n}`,
        big_file_id: `big-${chat.id}-${n}`,
        big_file_unique_id: file.unique,
      };
    }
    this.chats.set(String(chat.id), full);
    if (chat.username) this.chats.set(`@${chat.username.toLowerCase()}`, full);
  }

  setMember(chatId: number, userId: number, member: Record<string, any>): void {
    this.members.set(`${chatId}:${userId}`, {
      user: { id: userId, is_bot: userId === FAKE_BOT_ID, first_name: `U${userId}` },
      ...member,
    });
  }

  setAdmins(
    chatId: number,
    admins: Array<{ id: number; status: 'creator' | 'administrator'; is_bot?: boolean }>,
  ) {
    this.admins.set(
      chatId,
      admins.map((a) => ({
        status: a.status,
        user: { id: a.id, is_bot: a.is_bot ?? false, first_name: `U${a.id}` },
        ...(a.status === 'administrator'
          ? { can_manage_chat: true, can_be_edited: false }
          : { is_anonymous: false }),
      })),
    );
  }

  setBoosts(chatId: number, userId: number, count: number, expiresInSec = 86_400): void {
    const now = Math.floor(Date.now() / 1000);
    this.boosts.set(
      `${chatId}:${userId}`,
      Array.from({ length: count }, (_, i) => ({
        boost_id: `b${i}`,
        add_date: now,
        expiration_date: now + expiresInSec,
        source: { source: 'premium', user: { id: userId, is_bot: false, first_name: `U${userId}` } },
      })),
    );
  }

  // --- scripting -------------------------------------------------------------------------------------

  /** The next `times` calls of `method` get `answer` (queued after earlier scripts). */
  failNext(method: string, answer: FakeAnswer, times = 1): void {
    const list = this.scripted.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(() => answer);
    this.scripted.set(method, list);
  }

  /** Replaces the default behaviour of `method` until cleared with `on(method, undefined)`. */
  on(method: string, handler: Handler | undefined): void {
    if (handler) this.overrides.set(method, handler);
    else this.overrides.delete(method);
  }

  /** The next `count` calls of `method` are recorded but never answered (a request in flight forever). */
  hold(method: string, count = 1): void {
    this.holds.set(method, (this.holds.get(method) ?? 0) + count);
  }

  // --- updates ---------------------------------------------------------------------------------------

  /** Queues an update for getUpdates (the update_id is assigned here). */
  pushUpdate(update: Record<string, any>): number {
    const id = this.nextUpdateId++;
    this.updates.push({ update_id: id, ...update });
    for (const wake of this.pollers.splice(0)) wake();
    return id;
  }

  /**
   * Forgets what earlier tests left behind: recorded calls, the world (chats, members, admins, boosts, files),
   * scripted answers, overrides, holds and queued updates. For a beforeEach, so no test leans on another's
   * fake state; the test then seeds the world it needs.
   */
  reset(): void {
    this.calls.length = 0;
    this.fileRequests.length = 0;
    for (const map of [this.chats, this.members, this.admins, this.boosts, this.files]) map.clear();
    this.scripted.clear();
    this.overrides.clear();
    this.holds.clear();
    this.updates.length = 0;
  }

  // --- inspection ------------------------------------------------------------------------------------

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * The calls made from now on, for a test that counts what it caused while the fake's history (and work
   * started by earlier tests) stays in place.
   */
  since(): { calls(): FakeCall[]; callsOf(method: string): FakeCall[] } {
    const earlier = new Set(this.calls);
    const calls = () => this.calls.filter((c) => !earlier.has(c));
    return { calls, callsOf: (method) => calls().filter((c) => c.method === method) };
  }

  /** Waits until `predicate` holds. vi.waitFor (a poll, like expect.poll) also works in hooks. */
  async waitFor(predicate: () => boolean, timeoutMs = 15_000, what = 'a Telegram call'): Promise<void> {
    await vi.waitFor(
      () => {
        if (!predicate()) throw new Error(`Timed out waiting for ${what}`);
      },
      { timeout: timeoutMs, interval: 20 },
    );
  }

  // --- HTTP ------------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.serveFile(file[1] ?? '', decodeURIComponent(file[2] ?? ''), res);
    const api = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!api) return this.write(res, 404, tgError(404, 'Not Found'));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const payload = (body ? JSON.parse(body) : Object.fromEntries(url.searchParams)) as Record<string, any>;
    const call: FakeCall = { method: api[2] ?? '', payload, at: Date.now(), answered: false };
    if (api[1] !== this.token) return this.write(res, 401, tgError(401, 'Unauthorized'), call);
    this.calls.push(call);
    const held = this.holds.get(call.method) ?? 0;
    if (held > 0) {
      this.holds.set(call.method, held - 1);
      return; // Never answered; the client may time out or die.
    }
    const scripted = this.scripted.get(call.method)?.shift();
    const handler =
      scripted ??
      this.overrides.get(call.method) ??
      ((p: Record<string, any>) => this.defaultAnswer(call.method, p));
    const answer = await handler(payload, call);
    const status = answer.ok ? 200 : answer.error_code;
    this.write(res, status, answer, call);
  }

  private write(res: http.ServerResponse, status: number, answer: FakeAnswer, call?: FakeCall): void {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
    if (call) {
      call.answered = true;
      call.answer = answer;
    }
  }

  private serveFile(token: string, path: string, res: http.ServerResponse): void {
    this.fileRequests.push(path);
    const file = [...this.files.values()].find((f) => f.path === path);
    if (token !== this.token || !file) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(tgError(404, 'Not Found')));
      return;
    }
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
  }

  private chat(ref: unknown): Record<string, any> | undefined {
    const key = typeof ref === 'string' && ref.startsWith('@') ? ref.toLowerCase() : String(ref);
    return this.chats.get(key);
  }

  /** Default behaviour of each method (overrides may delegate to it). */
  async defaultAnswer(method: string, p: Record<string, any>): Promise<FakeAnswer> {
    const ok = (result: unknown): FakeAnswer => ({ ok: true, result });
    switch (method) {
      case 'getMe':
        return ok({
          id: FAKE_BOT_ID,
          is_bot: true,
          first_name: 'Giveaway Bot',
          username: FAKE_BOT_USERNAME,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        });
      case 'getUpdates':
        return ok(await this.poll(Number(p.offset ?? 0), Number(p.timeout ?? 0)));
      case 'sendMessage':
      case 'editMessageText': {
        const chatId = p.chat_id;
        const message_id = method === 'sendMessage' ? this.nextMessageId++ : Number(p.message_id);
        const type = typeof chatId === 'number' && chatId > 0 ? 'private' : 'channel';
        return ok({
          message_id,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type },
          text: p.text,
        });
      }
      case 'getChat': {
        const chat = this.chat(p.chat_id);
        return chat ? ok(chat) : CHAT_NOT_FOUND;
      }
      case 'getChatMember': {
        const chat = this.chat(p.chat_id);
        if (!chat) return CHAT_NOT_FOUND;
        const member = this.members.get(`${chat.id}:${p.user_id}`);
        return ok(
          member ?? { status: 'left', user: { id: p.user_id, is_bot: false, first_name: `U${p.user_id}` } },
        );
      }
      case 'getChatAdministrators': {
        const chat = this.chat(p.chat_id);
        return chat ? ok(this.admins.get(chat.id) ?? []) : CHAT_NOT_FOUND;
      }
      case 'getUserChatBoosts': {
        const chat = this.chat(p.chat_id);
        return chat ? ok({ boosts: this.boosts.get(`${chat.id}:${p.user_id}`) ?? [] }) : CHAT_NOT_FOUND;
      }
      case 'getFile': {
        const file = this.files.get(String(p.file_id));
        if (!file) return tgError(400, 'Bad Request: invalid file_id');
        return ok({
          file_id: p.file_id,
          file_unique_id: file.unique,
          file_size: file.bytes.length,
          file_path: file.path,
        });
      }
      case 'savePreparedInlineMessage':
        return ok({
          id: `prepared-${this.calls.length}`,
          expiration_date: Math.floor(Date.now() / 1000) + 3600,
        });
      default:
        return ok(true);
    }
  }

  /** Long polling: answers at once when updates at or after `offset` exist, else waits up to `timeout` s. */
  private async poll(offset: number, timeoutSec: number): Promise<Array<Record<string, any>>> {
    if (offset > 0) {
      while (this.updates.length > 0 && (this.updates[0]?.update_id ?? 0) < offset) this.updates.shift();
    }
    if (this.updates.length === 0 && timeoutSec > 0) {
      // Not synchronisation: Telegram's long polling, held until an update arrives or `timeout` passes.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutSec * 1000);
        this.pollers.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.updates.filter((u) => (u.update_id ?? 0) >= offset);
  }
}
