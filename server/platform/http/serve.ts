// Starts a node:http server and gives back a graceful close: stop accepting, let in-flight requests
// finish within the deadline, then cut whatever is left.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  server: Server;
  port: number;
  close(deadlineMs: number): Promise<void>;
}

export async function serve(handler: RequestListener, port: number, host?: string): Promise<RunningServer> {
  const server = createServer(handler);
  // Slow-loris bounds; keep-alive a bit above common load-balancer idle timeouts.
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: (deadlineMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), deadlineMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
