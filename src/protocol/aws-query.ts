/**
 * @module
 * awsQuery (IAM, STS, SNS, CloudWatch's query mode): `Action=<Operation>&Version=<date>` and the
 * input's parameters in a form-urlencoded POST body (or a GET query string); responses are
 * `<{Op}Response><{Op}Result>…</{Op}Result><ResponseMetadata>…</ResponseMetadata></{Op}Response>`
 * and errors are `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 */
import { ServiceError } from '../core/errors.js';
import type { Input, Output, ProtocolCodec, ResponseMeta, WireRequest, WireResponse } from './codec.js';
import type { Operation, ServiceModel, Shape } from './model.js';
import { queryParameters, queryTree, readQueryStructure, type QueryDialect } from './query-params.js';
import { appendElement, renderXml, xmlElement } from './xml.js';
import { writeXmlMembers, type XmlStyle } from './xml-values.js';

const DIALECT: QueryDialect = { ec2: false, invalidValueCode: 'ValidationError' };
const STYLE: XmlStyle = { isoMillis: false };
const CONTENT_TYPE = 'text/xml';

/** The error for an Action the service does not have (AWS answers 400 `InvalidAction`). */
export function invalidAction(action: string, version: string | undefined): ServiceError {
  return new ServiceError('InvalidAction', `Could not find operation ${action} for version ${version ?? ''}`.trimEnd(), { status: 400 });
}

/** The error for a query request without an Action parameter. */
export function missingAction(): ServiceError {
  return new ServiceError('MissingAction', 'Missing Action', { status: 400 });
}

/** The `Action` and `Version` of a query request (body or query string). */
export function queryAction(request: WireRequest): { action?: string; version?: string } {
  const params = queryParameters(request.query, request.body);
  return { action: params.get('Action') ?? undefined, version: params.get('Version') ?? undefined };
}

/**
 * The wire code of an error: when the ServiceError's code names an error shape whose awsQuery
 * code differs (IAM's `NoSuchEntityException` shape is `NoSuchEntity` on the wire), the shape's
 * code; otherwise the code as thrown.
 */
export function queryErrorCode(model: ServiceModel, error: ServiceError): { code: string; shape?: Shape } {
  const shape = model.errorsByCode.get(error.code);
  if (shape?.error && shape.name === error.code) return { code: shape.error.code, shape };
  return { code: error.code, shape };
}

function namespace(model: ServiceModel): Record<string, string> {
  return model.xmlNamespace ? { xmlns: model.xmlNamespace } : {};
}

function errorDocument(model: ServiceModel, error: ServiceError, code: string, status: number, requestId: string): string {
  const root = xmlElement('ErrorResponse', '', namespace(model));
  const body = appendElement(root, 'Error');
  appendElement(body, 'Type', status >= 500 ? 'Receiver' : 'Sender');
  appendElement(body, 'Code', code);
  appendElement(body, 'Message', error.message);
  for (const [name, value] of Object.entries(error.fields ?? {})) {
    if (value !== undefined) appendElement(body, name, String(value));
  }
  appendElement(root, 'RequestId', requestId);
  return renderXml(root);
}

/** The codec for awsQuery. */
export const awsQueryCodec: ProtocolCodec = {
  resolveOperation(model: ServiceModel, request: WireRequest) {
    const { action } = queryAction(request);
    if (action === undefined) return {};
    return { operation: model.operations.get(action), name: action };
  },

  decodeInput(operation: Operation, request: WireRequest): Input {
    if (!operation.input) return {};
    const tree = queryTree(queryParameters(request.query, request.body));
    return readQueryStructure(operation.input, tree, DIALECT);
  },

  encodeOutput(operation: Operation, output: Output, meta: ResponseMeta): WireResponse {
    const root = xmlElement(`${operation.name}Response`, '', namespace(operation.service));
    if (operation.output) {
      const result = appendElement(root, `${operation.name}Result`);
      writeXmlMembers(operation.output, output, result, STYLE);
    }
    appendElement(appendElement(root, 'ResponseMetadata'), 'RequestId', meta.requestId);
    return {
      status: 200,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': meta.requestId },
      body: renderXml(root),
    };
  },

  encodeError(model: ServiceModel, error: ServiceError, meta: ResponseMeta): WireResponse {
    const { code, shape } = queryErrorCode(model, error);
    const status = error.status ?? shape?.error?.status ?? 400;
    return {
      status,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': meta.requestId },
      body: errorDocument(model, error, code, status, meta.requestId),
    };
  },
};
