// Real socket.io-client connections to a test server, typed by the contract.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../schema/contract/index.ts';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function connectSocket(
  port: number,
  opts: {
    auth?: Record<string, string>;
    transports?: Array<'websocket' | 'polling'>;
    /** Sent with the handshake (both transports), e.g. X-Forwarded-For. */
    extraHeaders?: Record<string, string>;
  } = {},
): Promise<TestSocket> {
  const socket: TestSocket = io(`http://127.0.0.1:${port}`, {
    transports: opts.transports ?? ['websocket'],
    auth: opts.auth ?? {},
    ...(opts.extraHeaders ? { extraHeaders: opts.extraHeaders } : {}),
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Emits a command and resolves with its ack. */
export function ask<T = any>(
  socket: TestSocket,
  event: string,
  payload: unknown,
  timeoutMs = 5_000,
): Promise<T> {
  return (socket.timeout(timeoutMs) as any).emitWithAck(event, payload);
}

/** Resolves with the first `event` payload matching `predicate`. */
export function nextEvent<T = any>(
  socket: TestSocket,
  event: keyof ServerToClientEvents,
  predicate: (payload: T) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    // Not a sleep: the deadline of the wait for the event.
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: T) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(payload);
    };
    socket.on(event, handler as never);
  });
}
