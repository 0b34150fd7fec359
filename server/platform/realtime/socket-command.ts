// The socket translation point: validates a command's payload, runs it, and answers exactly one ack,
// `{ok:true,…}` or `{ok:false, error:{code, message, retry_after?}}`. A missing ack or a thrown error never
// crashes the process; internal detail is logged, never sent.
//
// Memory per idle socket is what this shape is for. Commands are built once and dispatched by one router that
// every socket shares (`socket.onAny(router)`; Socket.IO calls it with `this` = the socket): a closure per
// command per socket cost ~1.5 KB on every idle connection, and even shared listeners registered per event
// are an entry each in every socket's EventEmitter dictionary. For the same reason the check that runs before
// every command (the caller's standing, server/auth/socket-sessions.ts) is one gate per Socket.IO server,
// found through the socket, rather than a `socket.use` middleware: Socket.IO calls those without the socket,
// so each would be a closure per connection. Consequence: `socket.use` middlewares do not see commands (the
// router runs before them); put such checks in the gate.
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import type { Ack } from '../../../schema/contract/index.ts';
import { AppError, toAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** A command's handler as the router calls it (`this` is the socket, then the event's arguments). */
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
 * The one `onAny` listener of every socket: runs the command named by the event; an unknown event that expects
 * an ack is answered with an error, so a client bug gets one instead of a timeout, and passes the gate too (as
 * it went through the middleware the gate replaces): a caller that lost its standing is told and disconnected.
 */
export function commandRouter<S extends Socket>(
  commands: ReadonlyArray<SocketCommand<S>>,
): (this: S, event: unknown, ...args: unknown[]) => void {
  const byEvent = new Map<string, CommandListener<S>>();
  for (const c of commands) {
    if (byEvent.has(c.event)) throw new Error(`Socket command ${c.event} is defined twice`);
    byEvent.set(c.event, c.listener);
  }
  return function (this: S, event: unknown, ...args: unknown[]) {
    const listener = typeof event === 'string' ? byEvent.get(event) : undefined;
    // The arguments as an event listener would get them: the payload (if any), then the ack (if any).
    if (listener) return void listener.call(this, args[0], args[1]);
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

/**
 * `socket.onAny(router)`, with a listener array of exactly one slot: onAny pushes onto a fresh `[]`, and that
 * first push allocates 17 slots (~0.15 KB on every socket). Socket.IO reads `_anyListeners` as a plain array
 * (onAny, offAny and its dispatch), so a later onAny still works on it.
 */
export function attachRouter<S extends Socket>(
  socket: S,
  router: (this: S, event: unknown, ...args: unknown[]) => void,
): void {
  const internals = socket as unknown as { _anyListeners?: unknown[] };
  if (internals._anyListeners) socket.onAny(router);
  else internals._anyListeners = [router];
}
