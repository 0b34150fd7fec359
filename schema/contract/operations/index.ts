// The REST surface declared once: where each operation lives (routes.ts, plain data the SDK also reads) and
// what it takes and answers (schemas.ts, zod). The server's routers, validation, rate limits and /api/docs
// all come from here.
export * from './routes.ts';
export * from './schemas.ts';
