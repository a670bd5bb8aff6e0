/**
 * @module
 * Time, injectable so that tests and replays can move it.
 */

/** A source of the current time in milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** `YYYY-MM-DDTHH:MM:SSZ`, the second-precision form CloudTrail uses for eventTime. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}
