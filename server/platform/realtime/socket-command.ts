// The socket translation point: validates a command's payload, runs it, and answers exactly one ack,
// `{ok:true,…}` or `{ok:false, error:{code, message, retry_after?}}`. A missing ack or a thrown error never
// crashes the process; internal detail is logged, never sent.
//
// Listeners are built once and shared by every socket (EventEmitter calls them with `this` = the socket): a
// closure per command per socket cost ~1.5 KB on every idle connection, most of a watcher's heap. For the same
// reason the check that runs before every command (the caller's standing, server/auth/socket-sessions.ts) is
// one gate per Socket.IO server, found through the socket, rather than a `socket.use` middleware: Socket.IO
// calls those without the socket, so each would be a closure per connection.
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import type { Ack } from '../../../schema/contract/index.ts';
import { AppError, toAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** A shared listener: attach it with `socket.on(event, listener)` on each connection. */
export type CommandListener<S extends Socket = Socket> = (this: S, payload: unknown, ack: unknown) => void;

export interface SocketCommand<S extends Socket = Socket> {
  event: string;
  listener: CommandListener<S>;
}

/**
 * Runs before every command of a server's sockets (and for unknown events, for its side effects). Returns
 * undefined when there is nothing to check, resolves to let the command run, rejects with the error to answer.
 */
export type CommandGate = (socket: Socket) => Promise<void> | undefined;

const gates = new WeakMap<object, CommandGate>();

/** Installs the gate every command of `io`'s sockets passes, except those defined `ungated`. */
export function setCommandGate(io: Server, gate: CommandGate): void {
  gates.set(io, gate);
}

function gateOf(socket: Socket): Promise<void> | undefined {
  return gates.get(socket.nsp.server)?.(socket);
}

/** What a command whose socket disconnected while its gate was checked resolves to: no answer, no run. */
const DROPPED = Symbol('dropped');

export function defineCommand<TSchema extends z.ZodType, TResult extends object, S extends Socket = Socket>(
  event: string,
  schema: TSchema,
  logger: Logger,
  handler: (socket: S, payload: z.output<TSchema>) => Promise<TResult>,
  opts: { ungated?: boolean } = {},
): SocketCommand<S> {
  const ungated = opts.ungated ?? false;
  return {
    event,
    listener(this: S, payload: unknown, ack: unknown) {
      const reply = typeof ack === 'function' ? (ack as (res: Ack<TResult>) => void) : undefined;
      void gated(ungated ? undefined : gateOf(this), this, () => run(schema, handler, this, payload))
        .then((result) => {
          if (result !== DROPPED) reply?.({ ok: true, ...result });
        })
        .catch((err: unknown) => {
          const error = toAppError(err);
          if (error.code === 'INTERNAL') logger.error({ err, event }, 'Socket command failed');
          reply?.({ ok: false, error: error.toPayload() });
        });
    },
  };
}

/** Attaches shared command listeners to one socket: no allocation beyond the emitter's own entries. */
export function attachCommands<S extends Socket>(socket: S, commands: ReadonlyArray<SocketCommand<S>>): void {
  for (const c of commands) socket.on(c.event, c.listener as (...args: unknown[]) => void);
}

async function gated<T>(
  gate: Promise<void> | undefined,
  socket: Socket,
  command: () => Promise<T>,
): Promise<T | typeof DROPPED> {
  if (gate) {
    await gate;
    // As Socket.IO drops an event whose middleware finished after a disconnect.
    if (!socket.connected) return DROPPED;
  }
  return command();
}

async function run<TSchema extends z.ZodType, TResult, S extends Socket>(
  schema: TSchema,
  handler: (socket: S, payload: z.output<TSchema>) => Promise<TResult>,
  socket: S,
  payload: unknown,
): Promise<TResult> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'VALIDATION',
      `Invalid ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'bad input'}`,
    );
  }
  return handler(socket, parsed.data);
}

/**
 * Answers unknown events that expect an ack, so a client bug gets an error instead of a timeout. Build once,
 * attach with `socket.onAny(listener)` on each connection. An unknown event passes the gate too (as it went
 * through the middleware the gate replaces): a caller that lost its standing is told and disconnected.
 */
export function unknownEventGuard(
  known: ReadonlySet<string>,
): (this: Socket, event: unknown, ...args: unknown[]) => void {
  return function (this: Socket, event: unknown, ...args: unknown[]) {
    if (typeof event === 'string' && known.has(event)) return;
    const ack = args.at(-1);
    if (typeof ack === 'function') {
      (ack as (res: Ack) => void)({
        ok: false,
        error: { code: 'VALIDATION', message: `Unknown event ${String(event).slice(0, 64)}` },
      });
    }
    // The answer is already given; the gate's refusal only matters for what it does to the session.
    gateOf(this)?.catch(() => undefined);
  };
}
