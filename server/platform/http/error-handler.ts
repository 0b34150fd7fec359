// The REST translation point: anything thrown in a route becomes `{error, code}` with the code's status.
// Internal detail is logged with the request id and never sent.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { RestErrorBody } from '../../../schema/contract/index.ts';
import { AppError, toAppError } from '../errors.ts';

export function sendError(res: Parameters<RequestHandler>[1], error: AppError): void {
  const body: RestErrorBody = {
    error: error.message,
    code: error.code,
    ...(error.retryAfterSec !== undefined ? { retry_after: error.retryAfterSec } : {}),
    ...(error.details !== undefined ? { details: error.details } : {}),
  };
  if (error.retryAfterSec !== undefined) res.setHeader('Retry-After', String(error.retryAfterSec));
  res.status(error.httpStatus).json(body);
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, new AppError('NOT_FOUND', `No route ${req.method} ${req.path}`));
};

export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const error = fromBodyParser(err) ?? toAppError(err);
  if (error.code === 'INTERNAL' || error.code === 'UNAVAILABLE') {
    req.log.error({ err: error.cause ?? err, code: error.code }, 'Request failed');
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, error);
};

/** body-parser signals its failures with `type`; map them to our codes. */
function fromBodyParser(err: unknown): AppError | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  switch (type) {
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large.');
    case 'entity.parse.failed':
      return new AppError('VALIDATION', 'Request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('VALIDATION', 'Unsupported request body encoding.');
    case 'request.aborted':
      return new AppError('VALIDATION', 'Request body was aborted.');
    default:
      break;
  }
  // A body that says gzip or deflate but is not (zlib's Z_DATA_ERROR, wrapped by body-parser as a 400 with no type).
  const { status, code } = (err ?? {}) as { status?: unknown; code?: unknown };
  if (status === 400 && typeof code === 'string' && code.startsWith('Z_')) {
    return new AppError('VALIDATION', 'Request body does not match its Content-Encoding.');
  }
  return undefined;
}
