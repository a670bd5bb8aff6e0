/**
 * @module
 * Authentication: from a request's SigV4 signature to the principal behind it. Strict mode
 * verifies every signature against the stored secret; open mode accepts any credentials (a
 * 12-digit access key id names the account) but still recognises keys it knows.
 */
import { hash } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { DEFAULT_ACCOUNT_ID, isAccountId } from '../core/scope.js';
import type { AuthMode } from '../core/settings.js';
import type { WireRequest } from '../protocol/codec.js';
import type { AccessKey, Store } from '../store/types.js';
import { AuthenticationError } from './errors.js';
import { principalFromKey, rootPrincipal, type Principal } from './principal.js';
import { checkRequestTime, parseSignature, SigningKeyCache, verifySignature, type ParsedSignature } from './sigv4.js';

/** The outcome of authenticating a signed request. */
export interface Authenticated {
  readonly principal: Principal;
  /** The region and service of the credential scope. */
  readonly region: string;
  readonly service: string;
  readonly signature: ParsedSignature;
  /** The stored key, when the request used one Custos knows. */
  readonly key?: AccessKey;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const EMPTY_SHA256 = hash('sha256', '');

/** The hex SHA-256 of a body (the payload hash SigV4 signs for non-S3 services). */
export function payloadHash(body: Buffer): string {
  return body.length === 0 ? EMPTY_SHA256 : hash('sha256', body);
}

/** Authenticates requests against the store's access keys. */
export class Authenticator {
  readonly #store: Store;
  readonly #mode: AuthMode;
  readonly #clock: Clock;
  readonly #keys = new SigningKeyCache();

  constructor(options: { store: Store; mode: AuthMode; clock: Clock }) {
    this.#store = options.store;
    this.#mode = options.mode;
    this.#clock = options.clock;
  }

  /**
   * Authenticates a request whose body has been read (or whose payload streams: then the
   * claimed `x-amz-content-sha256` is what the signature covers, and the stream checks it).
   * Returns undefined for a request that carries no signature at all.
   */
  async authenticate(request: WireRequest): Promise<Authenticated | undefined> {
    const signature = parseSignature(request);
    if (!signature) return undefined;
    const key = await this.#store.read((tx) => tx.credentials.get(signature.accessKeyId));
    if (this.#mode === 'open') return this.#openIdentity(signature, key);
    if (!key || key.status !== 'Active') throw new AuthenticationError('UnknownAccessKey', undefined, { AWSAccessKeyId: signature.accessKeyId });
    checkRequestTime(signature, this.#clock.now());
    const claimed = signature.contentSha256;
    if (!verifySignature(request, signature, key.secretAccessKey, claimed ?? payloadHash(request.body), this.#keys)) {
      throw new AuthenticationError('SignatureMismatch', undefined, { AWSAccessKeyId: signature.accessKeyId, SignatureProvided: signature.signature });
    }
    if (claimed && HEX_SHA256.test(claimed) && !request.payload && payloadHash(request.body) !== claimed) {
      throw new AuthenticationError('PayloadHashMismatch', undefined, { ClientComputedContentSHA256: claimed });
    }
    this.#checkSession(signature, key);
    return { principal: principalFromKey(key), region: signature.region, service: signature.service, signature, key };
  }

  #checkSession(signature: ParsedSignature, key: AccessKey): void {
    if (key.sessionToken === undefined) {
      if (signature.securityToken !== undefined) throw new AuthenticationError('InvalidToken');
      return;
    }
    if (signature.securityToken !== key.sessionToken) throw new AuthenticationError('InvalidToken');
    if (key.expiresAt !== undefined && key.expiresAt <= this.#clock.now()) throw new AuthenticationError('ExpiredToken');
  }

  #openIdentity(signature: ParsedSignature, key: AccessKey | undefined): Authenticated {
    const principal = key
      ? principalFromKey(key)
      : rootPrincipal(isAccountId(signature.accessKeyId) ? signature.accessKeyId : DEFAULT_ACCOUNT_ID, signature.accessKeyId);
    return { principal, region: signature.region, service: signature.service, signature, key };
  }
}
