// The socket translation point: validates a command's payload, runs it, and answers exactly one ack,
// `{ok:true,…}` or `{ok:false, error:{code, message, retry_after?}}`. A missing ack or a thrown error never
// crashes the process; internal detail is logged, never sent.
//
// Listeners are built once and shared by every socket (EventEmitter calls them with `this` = the socket): a
// closure per command per socket cost ~1.5 KB on every idle connection, most of a watcher's heap.
import type { Socket } from 'socket.io';
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

export function defineCommand<TSchema extends z.ZodType, TResult extends object, S extends Socket = Socket>(
  event: string,
  schema: TSchema,
  logger: Logger,
  handler: (socket: S, payload: z.output<TSchema>) => Promise<TResult>,
): SocketCommand<S> {
  return {
    event,
    listener(this: S, payload: unknown, ack: unknown) {
      const reply = typeof ack === 'function' ? (ack as (res: Ack<TResult>) => void) : undefined;
      void run(schema, handler, this, payload)
        .then((result) => reply?.({ ok: true, ...result }))
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
 * attach with `socket.onAny(listener)` on each connection.
 */
export function unknownEventGuard(known: ReadonlySet<string>): (event: unknown, ...args: unknown[]) => void {
  return (event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && known.has(event)) return;
    const ack = args.at(-1);
    if (typeof ack === 'function') {
      (ack as (res: Ack) => void)({
        ok: false,
        error: { code: 'VALIDATION', message: `Unknown event ${String(event).slice(0, 64)}` },
      });
    }
  };
}
