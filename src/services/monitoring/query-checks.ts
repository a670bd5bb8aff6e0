/**
 * @module
 * Checks shared by the metric reads: a query's time range and a period, with CloudWatch's messages.
 */
import { InvalidParameterValueException } from './errors.js';
import { validPeriod } from './statistics.js';

/** The range [start, end) in ms; StartTime must come before EndTime. */
export function checkWindow(start: Date | undefined, end: Date | undefined): { start: number; end: number } {
  const s = start?.getTime() ?? 0;
  const e = end?.getTime() ?? 0;
  if (s >= e) throw new InvalidParameterValueException('The parameter StartTime must be less than the parameter EndTime.');
  return { start: s, end: e };
}

/** A period in seconds that CloudWatch accepts. */
export function checkPeriod(period: number | undefined, member = 'Period'): number {
  const p = period ?? 0;
  if (!validPeriod(p)) throw new InvalidParameterValueException(`The parameter ${member} must be 1, 5, 10, 30, or a multiple of 60.`);
  return p;
}
