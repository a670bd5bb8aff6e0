/**
 * @module
 * Which service a request is for: by `smithy-protocol: rpc-v2-cbor` and the service in its path
 * (RPC v2 CBOR), by `X-Amz-Target` (JSON protocols), by `Action`/`Version` in a
 * Query request, by path (S3 Control), or by the service named in the SigV4 credential scope;
 * everything else is S3, as on AWS's shared S3 endpoints.
 */
import { targetService } from '../protocol/aws-json.js';
import type { ProtocolCodec, WireRequest } from '../protocol/codec.js';
import { rpcV2Target } from '../protocol/rpc-v2-cbor.js';
import type { ServiceDefinition } from '../services/service.js';

/** A request's service and the codec that speaks to it. */
export interface Route {
  readonly service: ServiceDefinition;
  readonly codec: ProtocolCodec;
}

/** Returned by `routeHead` when the route depends on `Action`/`Version` in a form body. */
export const NEEDS_FORM = Symbol('needs-form');

const CREDENTIAL_SERVICE = /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\/aws4_request/;

/** The service named in a request's SigV4 credential scope, if it is signed. */
export function signingService(request: Pick<WireRequest, 'headers' | 'query'>): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') return CREDENTIAL_SERVICE.exec(authorization)?.[1];
  const credential = new URLSearchParams(request.query).get('X-Amz-Credential');
  return credential?.split('/')[3];
}

/** Routes requests to services. */
export class ServiceRouter {
  readonly #codecFor: (protocol: string) => ProtocolCodec;
  readonly #byTarget = new Map<string, ServiceDefinition>();
  readonly #byVersion = new Map<string, ServiceDefinition[]>();
  readonly #bySigningName = new Map<string, ServiceDefinition[]>();
  readonly #s3?: ServiceDefinition;
  readonly #s3Control?: ServiceDefinition;

  constructor(services: readonly ServiceDefinition[], codecFor: (protocol: string) => ProtocolCodec) {
    this.#codecFor = codecFor;
    for (const service of services) {
      const { metadata } = service.model;
      if (metadata.targetPrefix) this.#byTarget.set(targetService(`${metadata.targetPrefix}.x`), service);
      if (metadata.protocol === 'query' || metadata.protocol === 'ec2' || metadata.awsQueryCompatible) {
        push(this.#byVersion, metadata.apiVersion ?? '', service);
      }
      push(this.#bySigningName, metadata.signingName ?? service.model.id, service);
      if (service.model.id === 's3') this.#s3 = service;
      if (service.model.id === 's3control') this.#s3Control = service;
    }
  }

  /** Routes by what the request line and headers show; NEEDS_FORM when a Query body decides. */
  routeHead(request: WireRequest): Route | typeof NEEDS_FORM | undefined {
    const rpcV2 = request.headers['smithy-protocol'] === 'rpc-v2-cbor' ? rpcV2Target(request.path) : undefined;
    if (rpcV2) {
      const service = this.#byTarget.get(targetService(`${rpcV2.service}.x`));
      return service && { service, codec: this.#codecFor('smithy-rpc-v2-cbor') };
    }
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string') {
      const service = this.#byTarget.get(targetService(target));
      return service && { service, codec: this.#codecFor('json') };
    }
    const contentType = request.headers['content-type'] ?? '';
    if ((request.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) || /(^|&)Action=/.test(request.query)) {
      return NEEDS_FORM;
    }
    if (request.path.startsWith('/v20180820/') && this.#s3Control) return this.#route(this.#s3Control);
    const signed = signingService(request);
    const candidates = signed ? this.#bySigningName.get(signed) : undefined;
    const rest = candidates?.find((s) => s.model.metadata.protocol.startsWith('rest-'));
    if (rest && rest !== this.#s3Control) return this.#route(rest);
    return this.#s3 && this.#route(this.#s3);
  }

  /** Routes a Query request by its Version, then by the credential scope's service. */
  routeForm(params: URLSearchParams, request: WireRequest): Route | undefined {
    const signed = signingService(request);
    const byVersion = this.#byVersion.get(params.get('Version') ?? '') ?? [];
    const service = byVersion.length === 1
      ? byVersion[0]
      : (byVersion.length ? byVersion : this.#bySigningName.get(signed ?? '') ?? [])
          .find((s) => !signed || (s.model.metadata.signingName ?? s.model.id) === signed);
    if (!service) return undefined;
    return { service, codec: this.#codecFor(service.model.metadata.protocol === 'ec2' ? 'ec2' : 'query') };
  }

  #route(service: ServiceDefinition): Route {
    return { service, codec: this.#codecFor(service.model.metadata.protocol) };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
