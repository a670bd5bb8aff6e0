/**
 * @module
 * Opaque pagination tokens. A token carries where the previous page ended and a digest of the
 * other request parameters, so it is only honoured by the same query, as AWS requires.
 */
import { createHash } from 'node:crypto';

/** Makes a token that resumes `cursor` for a query with these parameters. */
export function encodeToken(cursor: unknown, params: unknown): string {
  return Buffer.from(JSON.stringify({ c: cursor, p: digest(params) }), 'utf8').toString('base64url');
}

/**
 * Reads a token made by `encodeToken` for the same parameters; returns undefined when the token
 * is malformed or was made for another query (the caller answers with its InvalidNextToken error).
 */
export function decodeToken<T>(token: string, params: unknown): T | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { c?: T; p?: string };
    return parsed.p === digest(params) && parsed.c !== undefined ? parsed.c : undefined;
  } catch {
    return undefined;
  }
}

function digest(params: unknown): string {
  return createHash('sha256').update(JSON.stringify(params ?? null)).digest('base64url').slice(0, 16);
}
