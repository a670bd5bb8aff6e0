/**
 * @module
 * Timestamp formats on the wire: epoch seconds, ISO 8601 and RFC 822 (HTTP date).
 */
import type { TimestampFormat } from './model.js';

/** Formats a Date in a wire format. ISO 8601 drops milliseconds when they are zero, as AWS does. */
export function formatTimestamp(value: Date, format: TimestampFormat): string | number {
  switch (format) {
    case 'unixTimestamp':
      return value.getTime() / 1000;
    case 'rfc822':
      return value.toUTCString();
    case 'iso8601': {
      const iso = value.toISOString();
      return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
    }
  }
}

/**
 * Parses a wire timestamp: a number of epoch seconds, or a string in any of the three formats
 * (clients are not consistent about which they send). Returns undefined when it is none of them.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value * 1000) : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)) return new Date(Number(value) * 1000);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Coerces a handler's timestamp value (Date, epoch ms number, or ISO string) to a Date. */
export function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }
  return undefined;
}
