/**
 * @module
 * URI encoding as Signature Version 4 defines it: the RFC 3986 unreserved characters
 * (`A-Z a-z 0-9 - . _ ~`) stay as they are, every other byte of the UTF-8 form becomes `%XY` with
 * upper-case hex. Pure string functions on the verifier's hot path; each has a fast path for
 * strings that need no work.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */

const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED_OR_SLASH = /^[A-Za-z0-9\-._~/]*$/;

const STRICT: readonly string[] = Object.freeze(Array.from({ length: 256 }, (_, byte) => encodeByte(byte, false)));
const KEEP_SLASH: readonly string[] = Object.freeze(Array.from({ length: 256 }, (_, byte) => encodeByte(byte, true)));

function encodeByte(byte: number, keepSlash: boolean): string {
  const char = String.fromCharCode(byte);
  if (/^[A-Za-z0-9\-._~]$/.test(char) || (keepSlash && char === '/')) return char;
  return '%' + byte.toString(16).toUpperCase().padStart(2, '0');
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/** Options for reading a component that is already percent-encoded. */
export interface DecodeOptions {
  /** Whether `+` stands for a space, as in query strings (AWS reads them so); in paths it is a `+`. */
  readonly plusIsSpace: boolean;
  /** Whether a literal `/` stays a separator (paths) rather than being encoded (query components). */
  readonly keepSlash: boolean;
}

/**
 * Encodes every byte of the UTF-8 form of `value` except the unreserved characters, and `/` when
 * `keepSlash`. A `%` is encoded too, so an already-encoded string comes out encoded twice.
 */
export function uriEncode(value: string, keepSlash: boolean): string {
  if ((keepSlash ? UNRESERVED_OR_SLASH : UNRESERVED_ONLY).test(value)) return value;
  const table = keepSlash ? KEEP_SLASH : STRICT;
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += table[bytes[i]!];
  return out;
}

/**
 * Rewrites a component as sent (already percent-encoded, perhaps loosely) into SigV4's single
 * encoding: each valid `%XY` is decoded and re-encoded strictly (`%7e` becomes `~`, `%2f` becomes
 * `%2F`), other bytes are encoded as `uriEncode` does. A `%` not followed by two hex digits is
 * taken literally (encoded as `%25`). A decoded `/` is always encoded, whatever `keepSlash` says.
 */
export function normalizeEncoding(raw: string, options: DecodeOptions): string {
  if ((options.keepSlash ? UNRESERVED_OR_SLASH : UNRESERVED_ONLY).test(raw)) return raw;
  const literal = options.keepSlash ? KEEP_SLASH : STRICT;
  const bytes = Buffer.from(raw, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x25 && i + 2 < bytes.length) {
      const high = hexValue(bytes[i + 1]!);
      const low = hexValue(bytes[i + 2]!);
      if (high >= 0 && low >= 0) {
        out += STRICT[high * 16 + low];
        i += 2;
        continue;
      }
    }
    out += byte === 0x2b && options.plusIsSpace ? '%20' : literal[byte];
  }
  return out;
}

/**
 * Decodes a percent-encoded component to text (UTF-8; invalid sequences become U+FFFD).
 * Malformed escapes are kept literally. `+` becomes a space when `plusIsSpace`.
 */
export function percentDecode(raw: string, plusIsSpace: boolean): string {
  if (!raw.includes('%') && !(plusIsSpace && raw.includes('+'))) return raw;
  const bytes = Buffer.from(raw, 'utf8');
  const out = Buffer.allocUnsafe(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x25 && i + 2 < bytes.length) {
      const high = hexValue(bytes[i + 1]!);
      const low = hexValue(bytes[i + 2]!);
      if (high >= 0 && low >= 0) {
        out[length++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    out[length++] = byte === 0x2b && plusIsSpace ? 0x20 : byte;
  }
  return out.toString('utf8', 0, length);
}
