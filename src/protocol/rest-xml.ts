/**
 * @module
 * restXml (S3, S3 Control): operations routed by method and request-URI template, input members
 * bound to labels, query parameters and headers, the rest in an XML body (or a raw payload);
 * outputs the same way round. S3's bucket comes from the host (virtual-hosted style) or the first
 * path segment. Errors are `<Error>` documents (S3) or `<ErrorResponse>` documents (S3 Control).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ServiceError } from '../core/errors.js';
import type { Input, Output, ProtocolCodec, ResponseMeta, WireRequest, WireResponse } from './codec.js';
import { readBindings, writeBindings } from './http-bindings.js';
import type { Member, Operation, ServiceModel, Shape } from './model.js';
import { DEFAULT_S3_BASE_HOSTS, s3Target } from './s3-addressing.js';
import { matchPath, parseUriTemplate, resolveRoute, routeCache, type Route, type RouteMatch } from './uri-template.js';
import { appendElement, parseXml, renderXml, xmlElement, type XmlElement } from './xml.js';
import { readXmlStructure, scalarText, writeXmlMembers, xmlName, type XmlStyle } from './xml-values.js';

const STYLE: XmlStyle = { isoMillis: true };
const XML_CONTENT_TYPE = 'application/xml';

/** Settings of the restXml codec. */
export interface RestXmlOptions {
  /** Host names under which `<bucket>.<host>` addresses a bucket (virtual-hosted style). */
  readonly baseHosts?: readonly string[];
}

/**
 * Response facts restXml can use beyond the request id: the request's method (errors to HEAD
 * requests carry no body) and S3's host id (`x-amz-id-2`; derived from the request id if absent).
 */
export interface RestXmlResponseMeta extends ResponseMeta {
  readonly method?: string;
  readonly hostId?: string;
}

/** An `x-amz-id-2` value derived from a request id (stable, base64, as long as S3's). */
export function hostIdFor(requestId: string): string {
  return createHash('sha512').update(requestId).digest('base64').slice(0, 76);
}

/** S3's answer when no operation matches the method and resource (405 MethodNotAllowed). */
export function methodNotAllowed(method?: string, resourceType?: string): ServiceError {
  return new ServiceError('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
    status: 405,
    fields: { Method: method, ResourceType: resourceType },
  });
}

function isS3(model: ServiceModel): boolean {
  return model.metadata.serviceId === 'S3';
}

function bucketBound(operation: Operation): boolean {
  return operation.input?.membersByName.get('Bucket')?.location === 'uri';
}

function headerText(request: WireRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

interface RouteContext {
  readonly routes: readonly Route[];
  readonly baseHosts: readonly string[];
}

function route(model: ServiceModel, request: WireRequest, context: RouteContext, only?: Operation): RouteMatch | undefined {
  const query = new URLSearchParams(request.query);
  const accept = (op: Operation): boolean => only === undefined || op === only;
  const { routes } = context;
  if (!isS3(model)) return resolveRoute(routes, { method: request.method, path: request.path, query, headers: request.headers }, accept);
  const target = s3Target(headerText(request, 'host'), request.path, context.baseHosts);
  const hasBucket = target.bucket !== undefined;
  const match = resolveRoute(
    routes,
    { method: request.method, path: target.path, query, headers: request.headers },
    (op) => accept(op) && bucketBound(op) === hasBucket,
  );
  if (!match || !hasBucket) return match;
  return { operation: match.operation, labels: { ...match.labels, Bucket: target.bucket! } };
}

function labelsFor(operation: Operation, request: WireRequest, context: RouteContext): Record<string, string> {
  const routed = route(operation.service, request, context, operation);
  if (routed) return routed.labels;
  const template = parseUriTemplate(operation.http?.requestUri ?? '/');
  return matchPath(template.segments, request.path) ?? {};
}

function readBody(request: WireRequest): XmlElement | undefined {
  const text = request.body.toString('utf8');
  return text.trim() === '' ? undefined : parseXml(text);
}

function readPayload(member: Member, request: WireRequest): unknown {
  const shape = member.shape;
  if (shape.type === 'structure') {
    const root = readBody(request);
    return root && readXmlStructure(shape, root);
  }
  if (shape.type === 'blob') {
    if (shape.streaming) return request.payload ?? request.body;
    return request.body.length > 0 ? request.body : undefined;
  }
  return request.body.length > 0 ? request.body.toString('utf8') : undefined;
}

function documentRoot(name: string, model: ServiceModel): XmlElement {
  return xmlElement(name, '', model.xmlNamespace ? { xmlns: model.xmlNamespace } : {});
}

function bodyMembers(shape: Shape): Member[] {
  return shape.members.filter((m) => !m.location);
}

function outputDocument(operation: Operation, output: Output): string | undefined {
  const shape = operation.output!;
  const members = bodyMembers(shape);
  if (members.length === 0) return undefined;
  const root = documentRoot(shape.locationName ?? shape.name, operation.service);
  const only = members.length === 1 ? members[0]! : undefined;
  const scalar = only && !['structure', 'list', 'map'].includes(only.shape.type);
  if (only && scalar && xmlName(only) === root.name) {
    const value = output[only.name];
    if (value !== undefined && value !== null) root.text = scalarText(only.shape, value, STYLE, only.timestampFormat) ?? '';
  } else {
    writeXmlMembers(shape, output, root, STYLE);
  }
  return renderXml(root, { declaration: true });
}

function payloadBody(member: Member, value: unknown, model: ServiceModel): { body: WireResponse['body']; type?: string } {
  const shape = member.shape;
  if (shape.type === 'structure') {
    const root = documentRoot(member.locationName ?? shape.locationName ?? shape.name, model);
    writeXmlMembers(shape, value as Record<string, unknown>, root, STYLE);
    return { body: renderXml(root, { declaration: true }), type: XML_CONTENT_TYPE };
  }
  if (value instanceof Readable || Buffer.isBuffer(value)) return { body: value };
  if (value instanceof Uint8Array) return { body: Buffer.from(value) };
  return { body: String(value) };
}

function errorDocument(model: ServiceModel, error: ServiceError, requestId: string, hostId: string): string {
  const control = !isS3(model);
  const root = xmlElement(control ? 'ErrorResponse' : 'Error');
  const body = control ? appendElement(root, 'Error') : root;
  appendElement(body, 'Code', error.code);
  appendElement(body, 'Message', error.message);
  for (const [name, value] of Object.entries(error.fields ?? {})) {
    if (value !== undefined) appendElement(body, name, String(value));
  }
  appendElement(root, 'RequestId', requestId);
  appendElement(root, 'HostId', hostId);
  return renderXml(root, { declaration: true });
}

/** Builds a restXml codec; `baseHosts` configures S3 virtual-hosted-style addressing. */
export function createRestXmlCodec(options: RestXmlOptions = {}): ProtocolCodec {
  const baseHosts = options.baseHosts ?? DEFAULT_S3_BASE_HOSTS;
  const routesOf = routeCache();
  const contextOf = (model: ServiceModel): RouteContext => ({ routes: routesOf(model), baseHosts });
  return {
    resolveOperation(model: ServiceModel, request: WireRequest) {
      const match = route(model, request, contextOf(model));
      return match ? { operation: match.operation, name: match.operation.name } : {};
    },

    decodeInput(operation: Operation, request: WireRequest): Input {
      const shape = operation.input;
      if (!shape) return {};
      const template = parseUriTemplate(operation.http?.requestUri ?? '/');
      const input: Input = readBindings(shape, {
        labels: labelsFor(operation, request, contextOf(operation.service)),
        query: new URLSearchParams(request.query),
        headers: request.headers,
        routeKeys: new Set([...template.query.keys(), 'x-id']),
      });
      if (shape.payload) {
        const value = readPayload(shape.payload, request);
        if (value !== undefined) input[shape.payload.name] = value;
      } else if (bodyMembers(shape).length > 0) {
        const root = readBody(request);
        if (root) Object.assign(input, readXmlStructure(shape, root));
      }
      return input;
    },

    encodeOutput(operation: Operation, output: Output, meta: RestXmlResponseMeta): WireResponse {
      const bindings = writeBindings(operation.output, output);
      const headers: WireResponse['headers'] = {
        ...bindings.headers,
        'x-amz-request-id': meta.requestId,
        'x-amz-id-2': meta.hostId ?? hostIdFor(meta.requestId),
      };
      const partial = isS3(operation.service) && output.ContentRange !== undefined;
      const response: WireResponse = { status: bindings.status ?? (partial ? 206 : operation.http?.responseCode ?? 200), headers };
      const payload = operation.output?.payload;
      if (payload) {
        const value = output[payload.name];
        if (value === undefined || value === null) return response;
        const { body, type } = payloadBody(payload, value, operation.service);
        response.body = body;
        if (type && !headers['content-type']) headers['content-type'] = type;
      } else if (operation.output) {
        const body = outputDocument(operation, output);
        if (body !== undefined) {
          response.body = body;
          headers['content-type'] = XML_CONTENT_TYPE;
        }
      }
      return response;
    },

    encodeError(model: ServiceModel, error: ServiceError, meta: RestXmlResponseMeta): WireResponse {
      const shape = model.errorsByCode.get(error.code);
      const hostId = meta.hostId ?? hostIdFor(meta.requestId);
      const headers: WireResponse['headers'] = { ...error.headers, 'x-amz-request-id': meta.requestId, 'x-amz-id-2': hostId };
      const status = error.status ?? shape?.error?.status ?? 400;
      if (meta.method === 'HEAD') return { status, headers };
      headers['content-type'] = XML_CONTENT_TYPE;
      return { status, headers, body: errorDocument(model, error, meta.requestId, hostId) };
    },
  };
}

/** The restXml codec with the default S3 base hosts. */
export const restXmlCodec: ProtocolCodec = createRestXmlCodec();
