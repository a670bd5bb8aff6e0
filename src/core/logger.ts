/**
 * @module
 * Structured logs: one JSON object per line (pino).
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** A logger at `level` writing JSON lines to `destination` (stdout by default). */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return destination ? pino({ level, base: { name: 'custos' } }, destination) : pino({ level, base: { name: 'custos' } });
}
