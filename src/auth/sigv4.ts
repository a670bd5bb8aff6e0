/**
 * @module
 * Server-side AWS Signature Version 4: the entry point the request pipeline uses. Parse the
 * signature (`parseSignature`), check its time (`checkRequestTime`), look up the secret of its
 * access key, then `verifySignature`. Pure: no I/O, no clock, no global state (the signing-key
 * cache is an object the server owns).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  alternateCanonicalUri,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  rawCanonicalQuery,
  stringToSign,
  type CanonicalForms,
  type SignableRequest,
} from './canonical-request.js';
import type { ParsedSignature } from './sigv4-parse.js';
import type { SigningKeyCache } from './signing-key.js';

export { canonicalRequest, stringToSign, type SignableRequest } from './canonical-request.js';
export { parseSignature, SIGV4_ALGORITHM, type ParsedSignature, type SignatureCarrier } from './sigv4-parse.js';
export { checkRequestTime, MAX_CLOCK_SKEW_MS, MAX_PRESIGNED_EXPIRES_SECONDS } from './request-time.js';
export { deriveSigningKey, SigningKeyCache } from './signing-key.js';

const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;

/**
 * Whether `parsed.signature` is the signature of `request` under `secretAccessKey`. `payloadHash`
 * is the last line of the canonical request: the declared `x-amz-content-sha256` when there is one
 * (presigned S3: `UNSIGNED-PAYLOAD`), else the hex SHA-256 of the body. Tries AWS's canonical form
 * first and, only when that fails, the alternate spellings of the path and query (see
 * canonical-request.ts); compares in constant time.
 * Precondition: `parsed` came from `parseSignature(request)`.
 */
export function verifySignature(
  request: SignableRequest,
  parsed: ParsedSignature,
  secretAccessKey: string,
  payloadHash: string,
  keys: SigningKeyCache,
): boolean {
  if (!HEX_SIGNATURE.test(parsed.signature)) return false;
  const provided = Buffer.from(parsed.signature, 'hex');
  const key = keys.get(secretAccessKey, parsed.date, parsed.region, parsed.service);
  const matches = (forms?: CanonicalForms): boolean => {
    const canonical = canonicalRequest(request, parsed, payloadHash, forms);
    const mac = createHmac('sha256', key).update(stringToSign(parsed.amzDate, parsed.scope, canonical)).digest();
    return timingSafeEqual(mac, provided);
  };
  if (matches()) return true;
  const uris = distinct(canonicalUri(request.path, parsed.service), alternateCanonicalUri(request.path, parsed.service));
  const queries = distinct(canonicalQuery(request.query, parsed.presigned), rawCanonicalQuery(request.query, parsed.presigned));
  for (let u = 0; u < uris.length; u++) {
    for (let q = 0; q < queries.length; q++) {
      if ((u > 0 || q > 0) && matches({ uri: uris[u]!, query: queries[q]! })) return true;
    }
  }
  return false;
}

function distinct(primary: string, alternate: string): string[] {
  return primary === alternate ? [primary] : [primary, alternate];
}
