/**
 * @module
 * When a signature is valid: within 15 minutes of the server's clock for the Authorization header,
 * until `X-Amz-Date + X-Amz-Expires` for presigned URLs. Failures carry AWS's wording and, for S3,
 * the fields its error documents carry.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html
 */
import { isoSeconds } from '../core/clock.js';
import { AuthenticationError } from './errors.js';
import type { ParsedSignature } from './sigv4-parse.js';

/** How far the request time may be from the server's clock, in milliseconds (AWS: 15 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** The longest a presigned URL may live, in seconds (one week). */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Milliseconds since the epoch of an ISO 8601 basic-format time (`20240101T000000Z`), or NaN. */
export function amzDateToMs(amzDate: string): number {
  const m = AMZ_DATE.exec(amzDate);
  if (!m) return NaN;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  return back.getUTCMonth() === month - 1 && back.getUTCDate() === day && hour < 24 && minute < 60 && second < 60 ? ms : NaN;
}

/** Formats epoch milliseconds in ISO 8601 basic format, as X-Amz-Date is written. */
export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

/**
 * Throws when the signature is not valid at `nowMs`: `SignatureMismatch` when the credential scope's
 * date is not the request's date; for header authentication, `RequestTimeTooSkewed` beyond 15
 * minutes either way; for presigned URLs, `PresignedUrlExpired` after `X-Amz-Date + X-Amz-Expires`
 * (`RequestTimeTooSkewed` when dated more than 15 minutes ahead).
 * Precondition: `parsed` came from `parseSignature`, so `amzDate` is well formed.
 */
export function checkRequestTime(
  parsed: Pick<ParsedSignature, 'amzDate' | 'date' | 'presigned' | 'expiresSeconds'>,
  nowMs: number,
): void {
  const day = parsed.amzDate.slice(0, 8);
  if (parsed.date !== day) {
    throw new AuthenticationError(
      'SignatureMismatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${day}', from '${parsed.amzDate}'.`,
    );
  }
  const requestMs = amzDateToMs(parsed.amzDate);
  if (parsed.presigned && parsed.expiresSeconds !== undefined) {
    const expiresMs = requestMs + parsed.expiresSeconds * 1000;
    if (nowMs > expiresMs) {
      throw new AuthenticationError(
        'PresignedUrlExpired',
        `Signature expired: ${parsed.amzDate} is now earlier than ${formatAmzDate(nowMs - parsed.expiresSeconds * 1000)} (${formatAmzDate(nowMs)} - ${parsed.expiresSeconds} sec.)`,
        { 'X-Amz-Expires': parsed.expiresSeconds, Expires: isoSeconds(expiresMs), ServerTime: isoSeconds(nowMs) },
      );
    }
  } else if (nowMs - requestMs > MAX_CLOCK_SKEW_MS) {
    throw skewed(parsed.amzDate, nowMs, `Signature expired: ${parsed.amzDate} is now earlier than ${formatAmzDate(nowMs - MAX_CLOCK_SKEW_MS)} (${formatAmzDate(nowMs)} - 15 min.)`);
  }
  if (requestMs - nowMs > MAX_CLOCK_SKEW_MS) {
    throw skewed(parsed.amzDate, nowMs, `Signature not yet current: ${parsed.amzDate} is still later than ${formatAmzDate(nowMs + MAX_CLOCK_SKEW_MS)} (${formatAmzDate(nowMs)} + 15 min.)`);
  }
}

function skewed(amzDate: string, nowMs: number, detail: string): AuthenticationError {
  return new AuthenticationError('RequestTimeTooSkewed', detail, {
    RequestTime: amzDate,
    ServerTime: isoSeconds(nowMs),
    MaxAllowedSkewMilliseconds: MAX_CLOCK_SKEW_MS,
  });
}
