// Reading a winners list from a request: multipart/form-data with one file in field `file` (what the Mini App
// sends, ≤ 1 MB, kept in memory) or a raw text/plain body. Anything else is refused before the service runs.
import express, { type Request, type RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../../platform/errors.ts';

export const CANDIDATE_FILE_LIMIT_BYTES = 1024 * 1024;

const multipart = multer({
  storage: multer.memoryStorage(),
  // One file plus a few small text fields (giveaway_id): nothing else may make the server buffer more.
  limits: { fileSize: CANDIDATE_FILE_LIMIT_BYTES, files: 1, fields: 4, fieldSize: 1024, parts: 6 },
}).single('file');

const plainText = express.text({ type: 'text/plain', limit: CANDIDATE_FILE_LIMIT_BYTES });

export const readCandidateUpload: RequestHandler = (req, res, next) => {
  if (req.is('multipart/form-data')) {
    multipart(req, res, (err: unknown) => {
      if (err) return next(uploadError(err));
      if (!req.file)
        return next(new AppError('VALIDATION', 'Attach the winners list as a file in field `file`.'));
      next();
    });
    return;
  }
  if (req.is('text/plain')) {
    plainText(req, res, next);
    return;
  }
  next(
    new AppError('VALIDATION', 'Send the winners list as multipart/form-data (field `file`) or text/plain.'),
  );
};

/** The uploaded list as text, after readCandidateUpload. */
export function candidateText(req: Request): string {
  if (req.file) return req.file.buffer.toString('utf8');
  return typeof req.body === 'string' ? req.body : '';
}

/** A text field of the multipart form, or else the query string (text/plain uploads have no form). */
export function uploadField(req: Request, name: string): string | undefined {
  const body: unknown = req.body;
  const fromForm =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  const value = fromForm ?? (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function uploadError(err: unknown): AppError {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') {
      return new AppError('PAYLOAD_TOO_LARGE', 'The winners list must be at most 1 MB.');
    }
    if (err.code === 'LIMIT_UNEXPECTED_FILE') {
      return new AppError('VALIDATION', 'Send exactly one file, in field `file`.', { field: err.field });
    }
    return new AppError('VALIDATION', `Bad upload: ${err.message}.`);
  }
  return new AppError('VALIDATION', 'The multipart body is malformed.');
}
