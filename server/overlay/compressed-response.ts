// Sends a body in the best encoding the client accepts (brotli, gzip, or none), with Vary and caching headers.
// Assets come precompressed; small per-request pages are compressed on the way out.
import type { Request, Response } from 'express';
import { compress } from './page-bundle.ts';

export interface Body {
  raw: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

export function sendCompressed(
  req: Request,
  res: Response,
  body: Body,
  headers: Record<string, string>,
): void {
  const encoding = req.acceptsEncodings('br', 'gzip', 'identity');
  let payload = body.raw;
  // Below ~1 KB compression saves less than it costs.
  if ((encoding === 'br' || encoding === 'gzip') && body.raw.length > 1024) {
    const packed = body.gzip && body.br ? { gzip: body.gzip, br: body.br } : compress(body.raw, true);
    payload = packed[encoding];
    res.setHeader('Content-Encoding', encoding);
  }
  res.setHeader('Vary', 'Accept-Encoding');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', String(payload.length));
  res.status(200).end(payload);
}
