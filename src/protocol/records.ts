/**
 * @module
 * Building records from keys the client chose (map keys, header and parameter names) without
 * letting a key such as `__proto__` reach the record's prototype.
 */

/** Sets `record[key] = value` as an own, enumerable property, whatever the key. */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
