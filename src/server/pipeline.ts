/**
 * @module
 * The request pipeline, in order. Every API call goes through these steps:
 *
 *  1. receive       split the request line; note where the call came from (IP, user agent, TLS)
 *  2. route         which service and codec: X-Amz-Target, Query Action/Version, path, SigV4 scope
 *  3. read          the body (bounded), or for streaming payloads the stream itself
 *  4. authenticate  SigV4 → the principal, its account, and the region of the credential scope
 *  5. decode        the operation and its typed input; required members present
 *  6. prepare       the operation's slow pre-work outside the transaction (e.g. staging an upload),
 *                   authorised first against committed state when the operation asks (`authorizeFirst`)
 *  7. execute       one transaction: authorise → handler (state + outbox) → the CloudTrail record
 *  8. respond       encode the output or the error, once, in the service's protocol; drain what the
 *                   call left unread of the body; log the call at debug level
 *
 * Every durable commit wakes the dispatcher (see the store's `onCommit`), so subscribers see the change at once.
 * Calls Custos makes on its own behalf (`invoke`) enter at step 5 with decoded input.
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
import type { Authenticated, Authenticator } from '../auth/authenticate.js';
import type { Authorizer } from '../auth/authorize.js';
import { checkBufferedBody, verifiedPayload } from '../auth/payload.js';
import { rootPrincipal, type Principal } from '../auth/principal.js';
import { auditValue } from '../audit/parameters.js';
import { buildRecord, type TlsDetails } from '../audit/record.js';
import type { Input, Output, WireRequest, WireResponse } from '../protocol/codec.js';
import type { Operation } from '../protocol/model.js';
import { accessDenied, denialMessage, entityTooLarge, notImplemented, unknownOperation, validationError } from '../services/common-errors.js';
import {
  isReadOnly, type CallContext, type InternalCall, type OperationSpec, type Permission, type PrepareContext, type RecordDetails, type RequestFacts,
  type ServiceDefinition, type ServiceEnvironment,
} from '../services/service.js';
import { missingRequired } from '../services/validation.js';
import type { Store, Tx } from '../store/types.js';
import { BodyTooLargeError, discardUnread, readBody } from './body.js';
import { inflateBody } from './content-encoding.js';
import { NEEDS_FORM, type Route, type ServiceRouter } from './router.js';
import { unroutableResponse, writeResponse } from './respond.js';

/** What the pipeline is built from. */
export interface PipelineDeps {
  readonly settings: Settings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly store: Store;
  readonly services: readonly ServiceDefinition[];
  readonly router: ServiceRouter;
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  readonly env: ServiceEnvironment;
}

/** One call on its way through steps 5 to 7. */
interface Execution {
  readonly requestId: string;
  readonly facts: RequestFacts;
  readonly service: ServiceDefinition;
  readonly operation: Operation;
  readonly spec?: OperationSpec;
  readonly principal: Principal;
  scope: Scope;
  input: Input;
  /** An error found before the transaction (decoding, validation); still recorded. */
  failure?: ServiceError;
  /** Condition keys of an internal call (see InternalCall). */
  readonly conditionKeys?: Readonly<Record<string, string>>;
}

type Outcome = { ok: true; output: Output } | { ok: false; error: ServiceError };

const EMPTY = Buffer.alloc(0);
const INTERNAL_FACTS: RequestFacts = { sourceIp: '' };

/** Runs API calls through the steps above. */
export class Pipeline {
  readonly #deps: PipelineDeps;
  readonly #byModelId: ReadonlyMap<string, ServiceDefinition>;

  constructor(deps: PipelineDeps) {
    this.#deps = deps;
    this.#byModelId = new Map(deps.services.map((s) => [s.model.id, s]));
  }

  /** Handles one HTTP request that is an API call (steps 1 to 8), and logs it at debug level. */
  async handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = newRequestId();
    const { facts, request: head } = receive(incoming);
    let route: Route | undefined;
    let operation: string | undefined;
    let wire: WireResponse;
    try {
      const routed = await this.#route(incoming, head);
      if (!routed) {
        wire = unroutableResponse(head, requestId);
      } else {
        route = routed.route;
        const resolved = route.codec.resolveOperation(route.service.model, this.#inflate(route, routed.request));
        operation = resolved.name;
        const signed = await this.#read(incoming, routed.request, resolved.operation);
        const { principal, scope, authenticated } = await this.#authenticate(route.service, signed, resolved.operation);
        const request = this.#inflate(route, signed);
        if (!resolved.operation) {
          const version = new URLSearchParams(request.query).get('Version') ?? undefined;
          throw unknownOperation(route.service.errorStyle, resolved.name, version);
        }
        const callFacts: RequestFacts = { ...facts, signing: authenticated?.signing, bodyLength: request.body.length };
        const execution = this.#decode(route, request, resolved.operation, { requestId, facts: callFacts, principal, scope }, authenticated);
        const outcome = await this.#run(execution);
        const meta = { requestId, method: head.method };
        wire = outcome.ok
          ? route.codec.encodeOutput(execution.operation, outcome.output, meta)
          : route.codec.encodeError(route.service.model, outcome.error, meta);
      }
    } catch (error) {
      if (route) {
        const serviceError = this.#toServiceError(route.service, error, requestId);
        wire = route.codec.encodeError(route.service.model, serviceError, { requestId, method: head.method });
      } else {
        this.#deps.logger.error({ err: error, requestId }, 'request failed before routing');
        wire = { status: 500, headers: {}, body: '' };
      }
    }
    writeResponse(response, wire, head.method);
    discardUnread(incoming);
    this.#deps.logger.debug({
      requestId, method: head.method, service: route?.service.model.id, operation, status: wire.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
    }, 'call');
  }

  /** Runs an operation on behalf of a principal without HTTP (steps 5 to 7). */
  async invoke(call: InternalCall): Promise<Output> {
    const service = this.#byModelId.get(call.service);
    const operation = service?.model.operations.get(call.operation);
    if (!service || !operation) throw new Error(`invoke: unknown operation ${call.service}:${call.operation}`);
    const spec = service.operations[operation.name];
    const scope = { accountId: call.principal.accountId, region: service.global ? GLOBAL_REGION : call.region };
    const execution: Execution = {
      requestId: newRequestId(), facts: INTERNAL_FACTS, service, operation, spec, principal: call.principal, scope, input: call.input,
      conditionKeys: call.conditionKeys,
    };
    if (!spec) execution.failure = notImplemented(service.errorStyle, operation.name);
    else this.#validate(execution);
    const outcome = await this.#run(execution);
    if (!outcome.ok) throw outcome.error;
    return outcome.output;
  }

  async #route(incoming: IncomingMessage, request: WireRequest): Promise<{ route: Route; request: WireRequest } | undefined> {
    const route = this.#deps.router.routeHead(request);
    if (route !== NEEDS_FORM) return route && { route, request };
    const body = await readBody(incoming, this.#deps.settings.maxBodyBytes);
    const withBody = { ...request, body };
    const params = new URLSearchParams(request.query);
    for (const [k, v] of new URLSearchParams(inflateBody(request.headers, body, this.#deps.settings.maxBodyBytes).toString('utf8'))) params.append(k, v);
    const formRoute = this.#deps.router.routeForm(params, withBody);
    return formRoute && { route: formRoute, request: withBody };
  }

  async #read(incoming: IncomingMessage, request: WireRequest, operation: Operation | undefined): Promise<WireRequest> {
    if (request.body.length > 0 || incoming.readableEnded) return request;
    if (operation?.input?.payload?.shape.streaming) return { ...request, payload: incoming };
    return { ...request, body: await readBody(incoming, this.#deps.settings.maxBodyBytes) };
  }

  /** The request with its body inflated when it came gzip-compressed (non-REST protocols only). */
  #inflate(route: Route, request: WireRequest): WireRequest {
    if (route.service.model.metadata.protocol.startsWith('rest-')) return request;
    const body = inflateBody(request.headers, request.body, this.#deps.settings.maxBodyBytes);
    return body === request.body ? request : { ...request, body };
  }

  async #authenticate(
    service: ServiceDefinition, request: WireRequest, operation: Operation | undefined,
  ): Promise<{ principal: Principal; scope: Scope; authenticated?: Authenticated }> {
    const authenticated = await this.#deps.authenticator.authenticate(request);
    if (authenticated) {
      const { principal } = authenticated;
      return { principal, scope: { accountId: principal.accountId, region: service.global ? GLOBAL_REGION : authenticated.region }, authenticated };
    }
    if (this.#deps.settings.auth === 'open') {
      return { principal: rootPrincipal(DEFAULT_ACCOUNT_ID), scope: { accountId: DEFAULT_ACCOUNT_ID, region: GLOBAL_REGION } };
    }
    if (service.errorStyle === 's3' || (operation && service.operations[operation.name]?.anonymous)) {
      const principal: Principal = { type: 'Anonymous', accountId: '', arn: '*', principalId: 'anonymous' };
      return { principal, scope: { accountId: DEFAULT_ACCOUNT_ID, region: GLOBAL_REGION } };
    }
    throw new AuthenticationError('MissingAuthenticationToken');
  }

  #decode(
    route: Route,
    request: WireRequest,
    operation: Operation,
    call: Pick<Execution, 'requestId' | 'facts' | 'principal' | 'scope'>,
    authenticated: Authenticated | undefined,
  ): Execution {
    const { service } = route;
    const spec = service.operations[operation.name];
    const execution: Execution = { ...call, service, operation, spec, input: {} };
    try {
      if (!spec) throw notImplemented(service.errorStyle, operation.name);
      execution.input = route.codec.decodeInput(operation, checkedPayload(service, request, authenticated));
      this.#validate(execution);
      if (call.principal.type === 'Anonymous' && spec.anonymous) execution.scope = spec.anonymous(execution.input) ?? execution.scope;
    } catch (error) {
      execution.failure = this.#toServiceError(service, error, call.requestId);
    }
    return execution;
  }

  #validate(execution: Execution): void {
    const { operation, service } = execution;
    const missing = operation.input ? missingRequired(operation.input, execution.input) : [];
    if (missing.length === 0) return;
    execution.failure = service.validationError?.(missing) ?? validationError(service.errorStyle, missing);
  }

  async #run(execution: Execution): Promise<Outcome> {
    const { spec } = execution;
    const prepareContext: PrepareContext = {
      requestId: execution.requestId, scope: execution.scope, principal: execution.principal, env: this.#deps.env,
      authorize: (permission) => this.#deps.store.read((tx) => this.#check(execution, tx, permission, true)),
    };
    let prepared = false;
    if (!execution.failure && spec?.prepare) {
      try {
        if (spec.authorizeFirst && this.#authorizes(execution, spec)) await this.#deps.store.read((tx) => this.#authorize(execution, spec, tx, true));
        execution.input = await spec.prepare(execution.input, prepareContext);
        prepared = true;
      } catch (error) {
        execution.failure = this.#toServiceError(execution.service, error, execution.requestId);
      }
    }
    let outcome: Outcome | undefined;
    try {
      outcome = await this.#deps.store.transaction((tx) => this.#execute(execution, tx));
    } finally {
      if (prepared) await this.#settle(execution, outcome?.ok === true, prepareContext);
    }
    return outcome;
  }

  async #settle(execution: Execution, committed: boolean, ctx: PrepareContext): Promise<void> {
    try {
      await execution.spec?.settle?.(execution.input, committed, ctx);
    } catch (error) {
      this.#deps.logger.error({ err: error, requestId: execution.requestId }, 'settle failed');
    }
  }

  async #execute(execution: Execution, tx: Tx): Promise<Outcome> {
    const { service, operation, spec, principal, scope, input, failure } = execution;
    const ctx: CallContext = {
      requestId: execution.requestId,
      eventId: newEventId(),
      scope,
      principal,
      tx,
      now: this.#deps.clock.now(),
      request: execution.facts,
      audit: { resources: [] },
      env: this.#deps.env,
      authorize: (permission) => this.#check(execution, tx, permission, false),
    };
    let outcome: Outcome;
    if (failure || !spec) {
      outcome = { ok: false, error: failure ?? notImplemented(service.errorStyle, operation.name) };
    } else {
      try {
        const output = await tx.atomic(async () => {
          if (this.#authorizes(execution, spec)) await this.#authorize(execution, spec, tx, false);
          return spec.handler(input, ctx);
        });
        outcome = { ok: true, output: (output ?? {}) as Output };
      } catch (error) {
        outcome = { ok: false, error: this.#toServiceError(service, error, execution.requestId) };
      }
    }
    const style = service.auditStyle ?? 'default';
    const readOnly = isReadOnly(operation.name, spec);
    const recordsResponse = outcome.ok && (spec?.recordResponse ?? !readOnly);
    const requestParameters = operation.input && !failure ? emptyAsNull(auditValue(operation.input, input, style, 'mask')) : null;
    const responseElements = outcome.ok && recordsResponse
      ? (operation.output ? auditValue(operation.output, outcome.output, style, 'drop') : {})
      : null;
    const details: RecordDetails = (await service.recordDetails?.({
      operation,
      input: failure ? {} : input,
      output: outcome.ok ? outcome.output : undefined,
      error: outcome.ok ? undefined : outcome.error,
      ctx,
      requestParameters,
      responseElements,
    })) ?? {};
    const recordScope = details.scope ?? scope;
    await tx.events.append(recordScope, buildRecord({
      eventId: ctx.eventId,
      requestId: execution.requestId,
      eventTime: this.#deps.clock.now(),
      eventSource: service.eventSource,
      eventName: details.eventName ?? operation.name,
      region: recordScope.region,
      sourceIp: execution.facts.sourceIp,
      userAgent: execution.facts.userAgent,
      principal,
      readOnly,
      category: spec?.category ?? 'Management',
      requestParameters: 'requestParameters' in details ? details.requestParameters : requestParameters,
      responseElements: 'responseElements' in details ? details.responseElements : responseElements,
      error: outcome.ok ? undefined : { code: details.errorCode ?? outcome.error.code, message: outcome.error.message },
      resources: details.resources ?? ctx.audit.resources,
      recipientAccountId: recordScope.accountId,
      additionalEventData: details.additionalEventData ?? ctx.audit.additionalEventData,
      tls: execution.facts.tls,
    }));
    return outcome;
  }

  /** Whether the pipeline authorises the call (not when it needs no permission, or is authorised by its token). */
  #authorizes(execution: Execution, spec: OperationSpec): boolean {
    const byToken = execution.principal.type === 'Anonymous' && spec.anonymous !== undefined;
    return !spec.unauthorized && !byToken;
  }

  /** Authorises the call's action on its resources, then every further permission it requires. */
  async #authorize(execution: Execution, spec: OperationSpec, tx: Tx, preflight: boolean): Promise<void> {
    const { service, operation } = execution;
    const who = { scope: execution.scope, principal: execution.principal };
    await this.#check(execution, tx, {
      action: spec.action ?? `${service.model.metadata.signingName ?? service.model.id}:${operation.name}`,
      resources: spec.resources?.(execution.input, who) ?? ['*'],
      conditions: spec.conditions?.(execution.input, who),
    }, preflight);
    for (const permission of spec.requires?.(execution.input, who) ?? []) await this.#check(execution, tx, permission, preflight);
  }

  /** Asks the authoriser about one permission; throws the service's AccessDenied when it is denied. */
  async #check(execution: Execution, tx: Tx, permission: Permission, preflight: boolean): Promise<void> {
    if (this.#deps.settings.auth === 'open') return;
    const { service, facts, principal } = execution;
    const keys = execution.conditionKeys ? { ...execution.conditionKeys, ...permission.conditions } : permission.conditions;
    const decision = await this.#deps.authorizer.authorize({
      principal,
      action: permission.action,
      resources: permission.resources,
      scope: execution.scope,
      tx,
      preflight,
      context: { sourceIp: facts.sourceIp, secureTransport: facts.tls !== undefined, now: this.#deps.clock.now(), userAgent: facts.userAgent, keys },
    });
    if (!decision.allowed) {
      const message = denialMessage(principal.arn, decision.action ?? permission.action, decision.resource, decision.reason);
      throw service.accessDenied?.(message) ?? accessDenied(service.errorStyle, message);
    }
  }

  #toServiceError(service: ServiceDefinition, error: unknown, requestId: string): ServiceError {
    if (error instanceof ServiceError) return error;
    if (error instanceof AuthenticationError) return authErrorFor(service.errorStyle, error);
    if (error instanceof BodyTooLargeError) return entityTooLarge(service.errorStyle, error.limit);
    this.#deps.logger.error({ err: error, requestId }, 'internal failure');
    return new InternalFailure();
  }
}

/** The request with its streaming payload decoded and checked as it streams, or its buffered S3 body checked. */
function checkedPayload(service: ServiceDefinition, request: WireRequest, authenticated: Authenticated | undefined): WireRequest {
  if (request.payload) return { ...request, payload: verifiedPayload({ ...request, payload: request.payload }, authenticated) };
  if (service.errorStyle === 's3') checkBufferedBody(request);
  return request;
}

function emptyAsNull(value: unknown): unknown {
  return value && typeof value === 'object' && Object.keys(value).length === 0 ? null : value;
}

/** The origin form of a request target: a proxy-style absolute URL (`http://host/path`) loses its scheme and host. */
function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  const authority = /^https?:\/\/[^/?#]*/i.exec(target);
  if (!authority) return target;
  const rest = target.slice(authority[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

function receive(incoming: IncomingMessage): { facts: RequestFacts; request: WireRequest } {
  const url = originForm(incoming.url ?? '/');
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
