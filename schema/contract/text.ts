// Text fields people read (titles, names, descriptions): valid Unicode, no control characters, no bidi overrides.
// A right-to-left override makes "evil‮txt.exe" read as "evilexe.txt" in a Telegram message or the overlay; a
// NUL cannot even be stored (PostgreSQL refuses it with 22021). Titles are one line; descriptions keep newlines
// and tabs.
import { z } from 'zod';

// C0 and C1 controls, DEL; the multi-line form lets \t, \n and \r through. Matching them is the point here.
/* eslint-disable no-control-regex */
const CONTROL_LINE = /[\u0000-\u001F\u007F-\u009F]/;
const CONTROL_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/* eslint-enable no-control-regex */
// Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one (JSON can carry them).
// (String.prototype.isWellFormed is ES2024; the typings here stay at what Node 20 fully has.)
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `v` with each lone surrogate replaced by U+FFFD, as a browser encodes it. */
export const toWellFormed = (v: string): string =>
  v.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');

function readable(schema: z.ZodString, control: RegExp, allowed: string) {
  return schema
    .refine((v) => !LONE_SURROGATE.test(v), 'must be valid Unicode (no lone surrogates)')
    .refine((v) => !control.test(v), `must not contain control characters${allowed}`)
    .refine((v) => !BIDI.test(v), 'must not contain bidirectional override or isolate characters');
}

/** One line of text, trimmed; `min` 1 by default (empty refused with "must not be empty"). */
export const lineText = (max: number, min = 1) =>
  readable(
    z.string().trim().min(min, 'must not be empty').max(max, `must be at most ${max} characters`),
    CONTROL_LINE,
    '',
  );

/** Free text (descriptions): newlines and tabs allowed. */
export const multilineText = (max: number) =>
  readable(
    z.string().trim().max(max, `must be at most ${max} characters`),
    CONTROL_TEXT,
    ' (newlines and tabs are fine)',
  );
