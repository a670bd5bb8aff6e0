/**
 * @module
 * The request pipeline, in order. Every API call goes through these steps:
 *
 *  1. receive       split the request line; note where the call came from (IP, user agent, TLS)
 *  2. route         which service and codec: X-Amz-Target, Query Action/Version, path, SigV4 scope
 *  3. read          the body (bounded), or for streaming payloads the stream itself
 *  4. authenticate  SigV4 → the principal, its account, and the region of the credential scope
 *  5. decode        the operation and its typed input; required members present
 *  6. execute       one transaction: authorise → handler (state + outbox) → the CloudTrail record
 *  7. respond       encode the output or the error, once, in the service's protocol
 *
 * After the commit the dispatcher is woken, so outbox subscribers see the change at once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ServiceError, InternalFailure } from '../core/errors.js';
import { newEventId, newRequestId } from '../core/ids.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { DEFAULT_ACCOUNT_ID, GLOBAL_REGION, type Scope } from '../core/scope.js';
import type { Settings } from '../core/settings.js';
import { AuthenticationError, authErrorFor } from '../auth/errors.js';
import type { Authenticator } from '../auth/authenticate.js';
import type { Authorizer } from '../auth/authorize.js';
import { rootPrincipal, type Principal } from '../auth/principal.js';
import { auditValue } from '../audit/parameters.js';
import { buildRecord, type TlsDetails } from '../audit/record.js';
import type { Input, Output, WireRequest, WireResponse } from '../protocol/codec.js';
import type { Operation } from '../protocol/model.js';
import { accessDenied, denialMessage, entityTooLarge, notImplemented, unknownOperation, validationError } from '../services/common-errors.js';
import { isReadOnly, type CallContext, type OperationSpec, type RequestFacts, type ServiceEnvironment } from '../services/service.js';
import { missingRequired } from '../services/validation.js';
import type { Store } from '../store/types.js';
import { BodyTooLargeError, readBody } from './body.js';
import { NEEDS_FORM, type Route, type ServiceRouter } from './router.js';
import { writeResponse, unroutableResponse } from './respond.js';

/** What the pipeline is built from. */
export interface PipelineDeps {
  readonly settings: Settings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly store: Store;
  readonly router: ServiceRouter;
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  readonly env: ServiceEnvironment;
  /** Called after each commit. */
  readonly onCommit: () => void;
}

/** A call whose service is known, carried from step to step. */
interface Call {
  readonly requestId: string;
  readonly facts: RequestFacts;
  readonly route: Route;
  request: WireRequest;
  principal?: Principal;
  scope?: Scope;
  operation?: Operation;
}

type Outcome = { ok: true; output: Output } | { ok: false; error: ServiceError };

const EMPTY = Buffer.alloc(0);

/** Runs API calls through the steps above. */
export class Pipeline {
  readonly #deps: PipelineDeps;

  constructor(deps: PipelineDeps) {
    this.#deps = deps;
  }

  /** Handles one HTTP request that is an API call. */
  async handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const { facts, request } = receive(incoming);
    let call: Call | undefined;
    try {
      const route = await this.#route(incoming, request);
      if (!route) return writeResponse(response, unroutableResponse(request, requestId), request.method);
      call = { requestId, facts, route: route.route, request: route.request };
      call.request = await this.#read(incoming, call);
      await this.#authenticate(call);
      const outcome = await this.#decodeAndExecute(call);
      const wire = outcome.ok
        ? call.route.codec.encodeOutput(call.operation!, outcome.output, { requestId })
        : this.#errorResponse(call, outcome.error);
      writeResponse(response, wire, request.method);
    } catch (error) {
      if (!call) {
        this.#deps.logger.error({ err: error, requestId }, 'request failed before routing');
        return writeResponse(response, { status: 500, headers: {}, body: '' }, request.method);
      }
      writeResponse(response, this.#errorResponse(call, this.#toServiceError(call, error)), request.method);
    }
  }

  async #route(incoming: IncomingMessage, request: WireRequest): Promise<{ route: Route; request: WireRequest } | undefined> {
    const route = this.#deps.router.routeHead(request);
    if (route !== NEEDS_FORM) return route && { route, request };
    const body = await readBody(incoming, this.#deps.settings.maxBodyBytes);
    const withBody = { ...request, body };
    const params = new URLSearchParams(request.query);
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
    const formRoute = this.#deps.router.routeForm(params, withBody);
    return formRoute && { route: formRoute, request: withBody };
  }

  async #read(incoming: IncomingMessage, call: Call): Promise<WireRequest> {
    const { request, route } = call;
    if (request.body.length > 0 || incoming.readableEnded) return request;
    const { operation } = route.codec.resolveOperation(route.service.model, request);
    const payload = operation?.input?.payload;
    if (payload?.shape.streaming) return { ...request, payload: incoming };
    return { ...request, body: await readBody(incoming, this.#deps.settings.maxBodyBytes) };
  }

  async #authenticate(call: Call): Promise<void> {
    const { service } = call.route;
    const authenticated = await this.#deps.authenticator.authenticate(call.request);
    if (authenticated) {
      call.principal = authenticated.principal;
      call.scope = { accountId: authenticated.principal.accountId, region: service.global ? GLOBAL_REGION : authenticated.region };
      return;
    }
    if (this.#deps.settings.auth === 'open' || service.errorStyle === 's3') {
      call.principal = this.#deps.settings.auth === 'open'
        ? rootPrincipal(DEFAULT_ACCOUNT_ID)
        : { type: 'Anonymous', accountId: '', arn: '*', principalId: 'anonymous' };
      call.scope = { accountId: call.principal.accountId || DEFAULT_ACCOUNT_ID, region: GLOBAL_REGION };
      return;
    }
    throw new AuthenticationError('MissingAuthenticationToken');
  }

  async #decodeAndExecute(call: Call): Promise<Outcome> {
    const { service, codec } = call.route;
    const resolved = codec.resolveOperation(service.model, call.request);
    if (!resolved.operation) {
      const version = new URLSearchParams(call.request.query).get('Version') ?? undefined;
      return { ok: false, error: unknownOperation(service.errorStyle, resolved.name, version) };
    }
    const operation = resolved.operation;
    call.operation = operation;
    const spec = service.operations[operation.name];
    let input: Input = {};
    let failure: ServiceError | undefined;
    try {
      if (!spec) throw notImplemented(service.errorStyle, operation.name);
      input = codec.decodeInput(operation, call.request);
      const missing = operation.input ? missingRequired(operation.input, input) : [];
      if (missing.length) throw (service.validationError ?? ((m: string[]) => validationError(service.errorStyle, m)))(missing);
    } catch (error) {
      failure = this.#toServiceError(call, error);
    }
    const outcome = await this.#deps.store.transaction((tx) => this.#execute(call, spec, input, failure, tx));
    this.#deps.onCommit();
    return outcome;
  }

  async #execute(call: Call, spec: OperationSpec | undefined, input: Input, failure: ServiceError | undefined, tx: CallContext['tx']): Promise<Outcome> {
    const { service } = call.route;
    const operation = call.operation!;
    const principal = call.principal!;
    const scope = call.scope!;
    const now = this.#deps.clock.now();
    const ctx: CallContext = {
      requestId: call.requestId,
      eventId: newEventId(),
      scope,
      principal,
      tx,
      now,
      request: call.facts,
      audit: { resources: [] },
      env: this.#deps.env,
    };
    let outcome: Outcome;
    if (failure) {
      outcome = { ok: false, error: failure };
    } else {
      try {
        const output = await tx.atomic(async () => {
          await this.#authorize(call, spec!, input, ctx);
          return spec!.handler(input, ctx);
        });
        outcome = { ok: true, output: (output ?? {}) as Output };
      } catch (error) {
        outcome = { ok: false, error: this.#toServiceError(call, error) };
      }
    }
    const style = service.auditStyle ?? 'default';
    const readOnly = isReadOnly(operation.name, spec);
    await tx.events.append(scope, buildRecord({
      eventId: ctx.eventId,
      requestId: call.requestId,
      eventTime: this.#deps.clock.now(),
      eventSource: service.eventSource,
      eventName: operation.name,
      region: scope.region,
      sourceIp: call.facts.sourceIp,
      userAgent: call.facts.userAgent,
      principal,
      readOnly,
      category: spec?.category ?? 'Management',
      requestParameters: operation.input && !failure ? emptyAsNull(auditValue(operation.input, input, style, 'mask')) : null,
      responseElements: outcome.ok && operation.output ? auditValue(operation.output, outcome.output, style, 'drop') : null,
      error: outcome.ok ? undefined : { code: outcome.error.code, message: outcome.error.message },
      resources: ctx.audit.resources,
      recipientAccountId: scope.accountId,
      additionalEventData: ctx.audit.additionalEventData,
      tls: call.facts.tls,
    }));
    return outcome;
  }

  async #authorize(call: Call, spec: OperationSpec, input: Input, ctx: CallContext): Promise<void> {
    if (this.#deps.settings.auth === 'open') return;
    const { service } = call.route;
    const action = spec.action ?? `${service.model.metadata.signingName ?? service.model.id}:${call.operation!.name}`;
    const resources = spec.resources?.(input, ctx) ?? ['*'];
    const decision = await this.#deps.authorizer.authorize({
      principal: ctx.principal,
      action,
      resources,
      scope: ctx.scope,
      tx: ctx.tx,
      context: {
        sourceIp: call.facts.sourceIp,
        secureTransport: call.facts.tls !== undefined,
        now: ctx.now,
        userAgent: call.facts.userAgent,
      },
    });
    if (!decision.allowed) {
      throw accessDenied(service.errorStyle, denialMessage(ctx.principal.arn, action, decision.resource, decision.reason));
    }
  }

  #toServiceError(call: Call, error: unknown): ServiceError {
    const style = call.route.service.errorStyle;
    if (error instanceof ServiceError) return error;
    if (error instanceof AuthenticationError) return authErrorFor(style, error);
    if (error instanceof BodyTooLargeError) return entityTooLarge(style, error.limit);
    this.#deps.logger.error({ err: error, requestId: call.requestId, operation: call.operation?.name }, 'internal failure');
    return new InternalFailure();
  }

  #errorResponse(call: Call, error: ServiceError): WireResponse {
    return call.route.codec.encodeError(call.route.service.model, error, { requestId: call.requestId });
  }
}

function emptyAsNull(value: unknown): unknown {
  return value && typeof value === 'object' && Object.keys(value).length === 0 ? null : value;
}

function receive(incoming: IncomingMessage): { facts: RequestFacts; request: WireRequest } {
  const url = incoming.url ?? '/';
  const q = url.indexOf('?');
  const socket = incoming.socket as Partial<TLSSocket>;
  const host = incoming.headers.host;
  let tls: TlsDetails | undefined;
  if (socket.encrypted && socket.getProtocol) {
    const cipher = socket.getCipher?.();
    const exchange = socket.getEphemeralKeyInfo?.();
    tls = {
      tlsVersion: socket.getProtocol() ?? 'unknown',
      cipherSuite: cipher?.name ?? 'unknown',
      clientProvidedHostHeader: host ?? '',
      ...(exchange && 'name' in exchange && exchange.name ? { keyExchange: exchange.name } : {}),
    };
  }
  const remote = incoming.socket.remoteAddress ?? '127.0.0.1';
  return {
    facts: {
      sourceIp: remote.startsWith('::ffff:') ? remote.slice(7) : remote,
      userAgent: incoming.headers['user-agent'],
      host,
      tls,
    },
    request: {
      method: incoming.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      headers: incoming.headers,
      body: EMPTY,
    },
  };
}
