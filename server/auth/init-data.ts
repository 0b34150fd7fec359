// Telegram Mini App init-data, validated by @telegram-apps/init-data-node (HMAC with the bot token,
// auth_date TTL). Only the validated string is parsed; initDataUnsafe is never trusted.
import {
  isExpiredError,
  isSignatureInvalidError,
  isSignatureMissingError,
  parse,
  validate,
} from '@telegram-apps/init-data-node';
import { AppError } from '../platform/errors.ts';
import type { TelegramProfile } from './auth.queries.ts';

export interface ValidatedInitData {
  profile: TelegramProfile;
  startParam: string | undefined;
  /** When this init-data stops being valid (auth_date + TTL), in epoch milliseconds. */
  expiresAt: number;
}

/** How far auth_date may lie ahead of our clock: Telegram's and ours drift a little, never by minutes. */
export const INIT_DATA_MAX_SKEW_SEC = 60;

export function validateInitData(
  raw: string,
  botToken: string | undefined,
  ttlSec: number,
  now: number = Date.now(),
): ValidatedInitData {
  if (!botToken) {
    throw new AppError('UNAUTHORIZED', 'Telegram init-data cannot be checked: the server has no BOT_TOKEN.');
  }
  try {
    validate(raw, botToken, { expiresIn: ttlSec });
  } catch (err) {
    if (isExpiredError(err))
      throw new AppError('INIT_DATA_EXPIRED', 'Telegram init-data has expired; reopen the app.');
    if (isSignatureMissingError(err))
      throw new AppError('INIT_DATA_INVALID', 'Telegram init-data has no hash.');
    if (isSignatureInvalidError(err))
      throw new AppError('INIT_DATA_INVALID', 'Telegram init-data signature is invalid.');
    throw new AppError('INIT_DATA_INVALID', 'Telegram init-data is malformed.');
  }
  const data = parseValidated(raw);
  // The library accepts any auth_date up to auth_date + TTL, so a future date would stretch the TTL.
  const authDate = data.auth_date instanceof Date ? data.auth_date.getTime() : Number.NaN;
  if (!Number.isFinite(authDate))
    throw new AppError('INIT_DATA_INVALID', 'Telegram init-data has no auth_date.');
  if (authDate > now + INIT_DATA_MAX_SKEW_SEC * 1_000) {
    throw new AppError('INIT_DATA_INVALID', 'Telegram init-data is dated in the future; check the clock.', {
      field: 'auth_date',
      max_skew_sec: INIT_DATA_MAX_SKEW_SEC,
    });
  }
  const user = data.user;
  if (!user || !Number.isSafeInteger(user.id) || user.id <= 0) {
    throw new AppError('INIT_DATA_INVALID', 'Telegram init-data carries no user.');
  }
  const username =
    typeof user.username === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(user.username) ? user.username : null;
  return {
    profile: {
      id: user.id,
      username,
      firstName: typeof user.first_name === 'string' ? user.first_name.slice(0, 256) : '',
      lastName: typeof user.last_name === 'string' ? user.last_name.slice(0, 256) : '',
      photoUrl: typeof user.photo_url === 'string' ? user.photo_url.slice(0, 1024) : null,
      languageCode: typeof user.language_code === 'string' ? user.language_code.slice(0, 16) : null,
      isPremium: user.is_premium === true,
    },
    startParam: typeof data.start_param === 'string' ? data.start_param : undefined,
    expiresAt: authDate + ttlSec * 1_000,
  };
}

/** What `parse` returns at runtime: Telegram's snake_case fields (its typings claim camelCase). */
interface ParsedInitData {
  auth_date?: unknown;
  start_param?: unknown;
  user?: {
    id: number;
    username?: unknown;
    first_name?: unknown;
    last_name?: unknown;
    photo_url?: unknown;
    language_code?: unknown;
    is_premium?: unknown;
  };
}

function parseValidated(raw: string): ParsedInitData {
  try {
    return parse(raw);
  } catch {
    throw new AppError('INIT_DATA_INVALID', 'Telegram init-data is malformed.');
  }
}
