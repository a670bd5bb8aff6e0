/**
 * @module
 * ec2Query: requests like awsQuery but with EC2's parameter names (queryName, else the capitalised
 * locationName) and lists always flattened (`Name.N`); responses are
 * `<{Op}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId/>…</{Op}Response>`
 * with camelCase element names, `<item>` list entries and millisecond timestamps; errors are
 * `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.
 */
import type { ServiceError } from '../core/errors.js';
import type { Input, Output, ProtocolCodec, ResponseMeta, WireRequest, WireResponse } from './codec.js';
import { awsQueryCodec } from './aws-query.js';
import type { Operation, ServiceModel } from './model.js';
import { queryParameters, queryTree, readQueryStructure, type QueryDialect } from './query-params.js';
import { appendElement, renderXml, xmlElement } from './xml.js';
import { writeXmlMembers, type XmlStyle } from './xml-values.js';

const DIALECT: QueryDialect = { ec2: true, invalidValueCode: 'InvalidParameterValue' };
const STYLE: XmlStyle = { isoMillis: true };
const CONTENT_TYPE = 'text/xml;charset=UTF-8';
const DEFAULT_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** The namespace EC2 puts on its responses: the model's, with the trailing slash EC2 sends. */
export function ec2Namespace(model: ServiceModel): string {
  const ns = model.xmlNamespace ?? DEFAULT_NAMESPACE;
  return ns.endsWith('/') ? ns : `${ns}/`;
}

/** The codec for ec2Query. */
export const ec2QueryCodec: ProtocolCodec = {
  resolveOperation: awsQueryCodec.resolveOperation,

  decodeInput(operation: Operation, request: WireRequest): Input {
    if (!operation.input) return {};
    const tree = queryTree(queryParameters(request.query, request.body));
    return readQueryStructure(operation.input, tree, DIALECT);
  },

  encodeOutput(operation: Operation, output: Output, meta: ResponseMeta): WireResponse {
    const root = xmlElement(`${operation.name}Response`, '', { xmlns: ec2Namespace(operation.service) });
    appendElement(root, 'requestId', meta.requestId);
    if (operation.output) writeXmlMembers(operation.output, output, root, STYLE);
    return {
      status: 200,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': meta.requestId },
      body: renderXml(root, { declaration: true }),
    };
  },

  encodeError(model: ServiceModel, error: ServiceError, meta: ResponseMeta): WireResponse {
    const shape = model.errorsByCode.get(error.code);
    const root = xmlElement('Response');
    const body = appendElement(appendElement(root, 'Errors'), 'Error');
    appendElement(body, 'Code', shape?.error?.code ?? error.code);
    appendElement(body, 'Message', error.message);
    appendElement(root, 'RequestID', meta.requestId);
    return {
      status: error.status ?? shape?.error?.status ?? 400,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': meta.requestId },
      body: renderXml(root, { declaration: true }),
    };
  },
};
