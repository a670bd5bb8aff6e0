/**
 * @module
 * Authentication: from a request's SigV4 signature to the principal behind it. Strict mode
 * verifies every signature against the stored secret; open mode accepts any credentials (a
 * 12-digit access key id names the account) but still recognises keys it knows.
 */
import { hash } from 'node:crypto';
import { isoSeconds, type Clock } from '../core/clock.js';
import { DEFAULT_ACCOUNT_ID, GLOBAL_REGION, isAccountId } from '../core/scope.js';
import type { AuthMode } from '../core/settings.js';
import type { WireRequest } from '../protocol/codec.js';
import type { AccessKey, Store } from '../store/types.js';
import { AuthenticationError } from './errors.js';
import { principalFromKey, rootPrincipal, type Principal } from './principal.js';
import { parseSigV2Query, verifySigV2, type SigV2Query } from './sigv2.js';
import { checkRequestTime, parseSignature, SigningKeyCache, verifySignature, type ParsedSignature } from './sigv4.js';

/** How a request was signed, in the words of CloudTrail's additionalEventData. */
export interface SigningFacts {
  readonly signatureVersion: 'SigV2' | 'SigV4';
  readonly authenticationMethod: 'AuthHeader' | 'QueryString';
}

/** The outcome of authenticating a signed request. */
export interface Authenticated {
  readonly principal: Principal;
  /** The region and service of the credential scope (SigV2, which has none: us-east-1 and s3). */
  readonly region: string;
  readonly service: string;
  /** The SigV4 signature; undefined for SigV2. */
  readonly signature?: ParsedSignature;
  readonly signing: SigningFacts;
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
    const sigV2 = parseSigV2Query(request.query);
    if (sigV2 && request.headers.authorization === undefined) return this.#authenticateSigV2(request, sigV2);
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
    this.#checkSession(signature.securityToken, key);
    return { principal: principalFromKey(key), region: signature.region, service: signature.service, signature, signing: signingFacts(signature), key };
  }

  /** S3's SigV2 presigned URLs (`aws s3 presign`): HMAC-SHA1 over the request, valid until `Expires`. */
  async #authenticateSigV2(request: WireRequest, query: SigV2Query): Promise<Authenticated> {
    const key = await this.#store.read((tx) => tx.credentials.get(query.accessKeyId));
    const signing: SigningFacts = { signatureVersion: 'SigV2', authenticationMethod: 'QueryString' };
    if (this.#mode === 'open') {
      const principal = key ? principalFromKey(key) : rootPrincipal(isAccountId(query.accessKeyId) ? query.accessKeyId : DEFAULT_ACCOUNT_ID, query.accessKeyId);
      return { principal, region: GLOBAL_REGION, service: 's3', signing, key };
    }
    if (!key || key.status !== 'Active') throw new AuthenticationError('UnknownAccessKey', undefined, { AWSAccessKeyId: query.accessKeyId });
    if (Number.isNaN(query.expires)) throw new AuthenticationError('IncompleteSignature', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters');
    const now = this.#clock.now();
    if (now > query.expires * 1000) {
      throw new AuthenticationError('PresignedUrlExpired', undefined, { Expires: isoSeconds(query.expires * 1000), ServerTime: isoSeconds(now) });
    }
    if (!verifySigV2(request, query, key.secretAccessKey)) {
      throw new AuthenticationError('SignatureMismatch', undefined, { AWSAccessKeyId: query.accessKeyId, SignatureProvided: query.signature });
    }
    this.#checkSession(query.securityToken, key);
    return { principal: principalFromKey(key), region: GLOBAL_REGION, service: 's3', signing, key };
  }

  #checkSession(securityToken: string | undefined, key: AccessKey): void {
    if (key.sessionToken === undefined) {
      if (securityToken !== undefined) throw new AuthenticationError('InvalidToken');
      return;
    }
    if (securityToken !== key.sessionToken) throw new AuthenticationError('InvalidToken');
    if (key.expiresAt !== undefined && key.expiresAt <= this.#clock.now()) throw new AuthenticationError('ExpiredToken');
  }

  #openIdentity(signature: ParsedSignature, key: AccessKey | undefined): Authenticated {
    const principal = key
      ? principalFromKey(key)
      : rootPrincipal(isAccountId(signature.accessKeyId) ? signature.accessKeyId : DEFAULT_ACCOUNT_ID, signature.accessKeyId);
    return { principal, region: signature.region, service: signature.service, signature, signing: signingFacts(signature), key };
  }
}

function signingFacts(signature: ParsedSignature): SigningFacts {
  return { signatureVersion: 'SigV4', authenticationMethod: signature.presigned ? 'QueryString' : 'AuthHeader' };
}
