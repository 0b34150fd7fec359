// The socket translation point: validates a command's payload, runs it, and answers exactly one ack,
// `{ok:true,…}` or `{ok:false, error:{code, message, retry_after?}}`. A missing ack or a thrown error never
// crashes the process; internal detail is logged, never sent.
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { Ack } from '../../../schema/contract/index.ts';
import { AppError, toAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export function command<TSchema extends z.ZodType, TResult extends object>(
  socket: Socket,
  event: string,
  schema: TSchema,
  logger: Logger,
  handler: (payload: z.output<TSchema>) => Promise<TResult>,
): void {
  socket.on(event, (payload: unknown, ack: unknown) => {
    const reply = typeof ack === 'function' ? (ack as (res: Ack<TResult>) => void) : undefined;
    void run(payload)
      .then((result) => reply?.({ ok: true, ...result }))
      .catch((err: unknown) => {
        const error = toAppError(err);
        if (error.code === 'INTERNAL') logger.error({ err, event }, 'Socket command failed');
        reply?.({ ok: false, error: error.toPayload() });
      });
  });

  async function run(payload: unknown): Promise<TResult> {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        'VALIDATION',
        `Invalid ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'bad input'}`,
      );
    }
    return handler(parsed.data);
  }
}

/** Answers unknown events that expect an ack, so a client bug gets an error instead of a timeout. */
export function rejectUnknownEvents(socket: Socket, known: ReadonlySet<string>): void {
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && known.has(event)) return;
    const ack = args.at(-1);
    if (typeof ack === 'function') {
      (ack as (res: Ack) => void)({
        ok: false,
        error: { code: 'VALIDATION', message: `Unknown event ${String(event).slice(0, 64)}` },
      });
    }
  });
}
