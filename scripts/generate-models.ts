/**
 * @module
 * Generates `models/<service>.json` from the official AWS API models that the
 * `@aws-sdk/client-*` packages carry as Smithy static schemas. The output follows botocore's
 * `service-2.json` layout (metadata, operations, shapes), which is what `src/protocol/model.ts`
 * loads. Run with `npm run models`; never edit the generated files by hand.
 */
import { createRequire } from 'node:module';

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { NormalizedSchema } from '@smithy/core/schema';
import { SERVICE_PACKAGES, type ServicePackage } from './service-packages.js';

const require = createRequire(import.meta.url);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

type Json = Record<string, unknown>;

const PROTOCOLS: Record<string, string> = {
  'aws.protocols#awsJson1_0': 'json',
  'aws.protocols#awsJson1_1': 'json',
  'aws.protocols#awsQuery': 'query',
  'aws.protocols#ec2Query': 'ec2',
  'aws.protocols#restXml': 'rest-xml',
  'aws.protocols#restJson1': 'rest-json',
  'smithy.protocols#rpcv2Cbor': 'smithy-rpc-v2-cbor',
};

const TIMESTAMP_FORMATS: Record<number, string | undefined> = { 5: 'iso8601', 6: 'rfc822', 7: 'unixTimestamp' };

/** Builds the botocore-style model of one SDK client package. */
async function generate({ id, pkg, signingName }: ServicePackage): Promise<Json> {
  const mod = require(pkg) as Record<string, unknown>;
  const ClientClass = Object.values(mod).find(
    (v): v is new (c: object) => { config: Record<string, any> } =>
      typeof v === 'function' && v.name.endsWith('Client') && v.name !== 'Client',
  );
  if (!ClientClass) throw new Error(`${pkg}: no client class`);
  const config = new ClientClass({ region: 'us-east-1' }).config;
  const protocol = config.protocol;
  const shapeId: string = protocol.getShapeId();
  const options = protocol.options ?? {};

  const shapes: Record<string, Json> = {};
  const operations: Record<string, Json> = {};
  const errors: string[] = [];

  const shapeName = (ns: NormalizedSchema): string => {
    if (ns.isStructSchema() || ns.isUnionSchema() || ns.isListSchema() || ns.isMapSchema()) {
      const name = ns.getName(true) ? ns.getName() : undefined;
      if (name && name !== 'member') return name;
    }
    const raw = ns.getSchema() as unknown;
    if (Array.isArray(raw) && typeof raw[2] === 'string' && raw[0] === 0) return raw[2];
    if (ns.isListSchema()) return `__listOf_${shapeName(ns.getValueSchema())}`;
    if (ns.isMapSchema()) return `__mapOf_${shapeName(ns.getValueSchema())}`;
    if (ns.isBlobSchema()) return ns.isStreaming() ? '__streamingBlob' : '__blob';
    if (ns.isTimestampSchema()) return '__timestamp';
    if (ns.isBooleanSchema()) return '__boolean';
    if (ns.isBigIntegerSchema() || ns.isBigDecimalSchema() || ns.isNumericSchema()) return '__number';
    if (ns.isDocumentSchema()) return '__document';
    return '__string';
  };

  const memberOf = (m: NormalizedSchema, memberName?: string): Json => {
    const traits = m.getMergedTraits() as Record<string, any>;
    const out: Json = { shape: visit(m) };
    if (traits.httpHeader !== undefined) Object.assign(out, { location: 'header', locationName: traits.httpHeader });
    else if (traits.httpQuery !== undefined) Object.assign(out, { location: 'querystring', locationName: traits.httpQuery });
    else if (traits.httpLabel !== undefined) Object.assign(out, { location: 'uri', locationName: memberName });
    else if (traits.httpPrefixHeaders !== undefined) Object.assign(out, { location: 'headers', locationName: traits.httpPrefixHeaders });
    else if (traits.httpQueryParams !== undefined) Object.assign(out, { location: 'querystring' });
    else if (traits.httpResponseCode !== undefined) out.location = 'statusCode';
    if (traits.xmlName !== undefined && out.locationName === undefined) out.locationName = traits.xmlName;
    if (traits.jsonName !== undefined && out.locationName === undefined) out.jsonName = traits.jsonName;
    if (traits.ec2QueryName !== undefined) out.queryName = traits.ec2QueryName;
    if (traits.xmlFlattened) out.flattened = true;
    if (traits.xmlAttribute) out.xmlAttribute = true;
    if (traits.xmlNamespace) out.xmlNamespace = normalizeNamespace(traits.xmlNamespace);
    if (traits.idempotencyToken) out.idempotencyToken = true;
    if (traits.sensitive) out.sensitive = true;
    if (traits.hostLabel) out.hostLabel = true;
    if (traits.mediaType === 'application/json') out.jsonvalue = true;
    if (traits.eventPayload) out.eventpayload = true;
    if (traits.eventHeader) out.eventheader = true;
    const format = TIMESTAMP_FORMATS[m.getSchema() as number];
    if (m.isTimestampSchema() && format) out.timestampFormat = format;
    return out;
  };

  /** Inline lists and maps (numeric schemas) carry no name of their own: name them by structure, never after a member. */
  const visit = (ns: NormalizedSchema): string => {
    const inline = typeof ns.getSchema() === 'number' && (ns.isListSchema() || ns.isMapSchema());
    const name = inline ? `${ns.isListSchema() ? '__listOf_' : '__mapOf_'}${shapeName(ns.getValueSchema())}` : shapeName(ns);
    if (shapes[name]) return name;
    const own = ns.getOwnTraits() as Record<string, any>;
    if (ns.isStructSchema() || ns.isUnionSchema()) {
      const shape: Json = { type: 'structure', members: {} };
      shapes[name] = shape;
      const raw = ns.getSchema() as unknown[];
      const requiredCount = typeof raw[6] === 'number' ? raw[6] : 0;
      const members: Record<string, Json> = {};
      const required: string[] = [];
      let index = 0;
      for (const [memberName, member] of ns.structIterator()) {
        const traits = member.getMergedTraits() as Record<string, any>;
        members[memberName] = memberOf(member, memberName);
        if (traits.httpPayload) shape.payload = memberName;
        if (index++ < requiredCount) required.push(memberName);
      }
      shape.members = members;
      if (required.length) shape.required = required;
      if (ns.isUnionSchema()) shape.union = true;
      if (own.xmlName) shape.locationName = own.xmlName;
      if (own.xmlNamespace) shape.xmlNamespace = normalizeNamespace(own.xmlNamespace);
      if (own.streaming) shape.eventstream = true;
      if (own.error) {
        shape.exception = true;
        const queryError = own.awsQueryError as [string, number] | undefined;
        shape.error = {
          httpStatusCode: own.httpError ?? (own.error === 'server' ? 500 : 400),
          senderFault: own.error === 'client',
          ...(queryError ? { code: queryError[0] } : {}),
        };
      }
      return name;
    }
    if (ns.isListSchema()) {
      const shape: Json = { type: 'list' };
      shapes[name] = shape;
      const member = ns.getValueSchema();
      const memberTraits = member.getMergedTraits() as Record<string, any>;
      shape.member = { shape: visit(member), ...(memberTraits.xmlName ? { locationName: memberTraits.xmlName } : {}) };
      if (own.xmlFlattened) shape.flattened = true;
      if (own.sparse) shape.sparse = true;
      return name;
    }
    if (ns.isMapSchema()) {
      const shape: Json = { type: 'map' };
      shapes[name] = shape;
      const key = ns.getKeySchema();
      const value = ns.getValueSchema();
      const keyTraits = key.getMergedTraits() as Record<string, any>;
      const valueTraits = value.getMergedTraits() as Record<string, any>;
      shape.key = { shape: visit(key), ...(keyTraits.xmlName ? { locationName: keyTraits.xmlName } : {}) };
      shape.value = { shape: visit(value), ...(valueTraits.xmlName ? { locationName: valueTraits.xmlName } : {}) };
      if (own.xmlFlattened) shape.flattened = true;
      return name;
    }
    const type = ns.isBlobSchema() ? 'blob'
      : ns.isTimestampSchema() ? 'timestamp'
      : ns.isBooleanSchema() ? 'boolean'
      : ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema() ? 'double'
      : ns.isDocumentSchema() ? 'document'
      : 'string';
    const shape: Json = { type };
    if (ns.isStreaming()) shape.streaming = true;
    if (own.sensitive) shape.sensitive = true;
    const format = TIMESTAMP_FORMATS[ns.getSchema() as number];
    if (type === 'timestamp' && format && !name.startsWith('__')) shape.timestampFormat = format;
    shapes[name] = shape;
    return name;
  };

  for (const [exportName, value] of Object.entries(mod)) {
    if (!exportName.endsWith('$') || !Array.isArray(value)) continue;
    if (value[0] === 9) {
      const [, , opName, traits, input, output] = value as [number, string, string, Record<string, any>, () => unknown, () => unknown];
      const op: Json = { name: opName };
      const http = traits?.http as [string, string, number] | undefined;
      if (http) op.http = { method: http[0], requestUri: http[1], responseCode: http[2] };
      const inNs = NormalizedSchema.of(input as never);
      const outNs = NormalizedSchema.of(output as never);
      if (!inNs.isUnitSchema()) op.input = { shape: visit(inNs) };
      if (!outNs.isUnitSchema()) op.output = { shape: visit(outNs) };
      if (traits?.endpoint) op.endpoint = { hostPrefix: traits.endpoint[0] };
      if (traits?.httpChecksum) op.httpChecksum = true;
      operations[opName] = op;
    } else if (value[0] === -3 && !String(value[2]).endsWith('ServiceException')) {
      errors.push(visit(NormalizedSchema.of(value as never)));
    }
  }

  const metadata: Json = {
    serviceId: config.serviceId,
    apiVersion: config.apiVersion,
    protocol: PROTOCOLS[shapeId] ?? shapeId,
    signingName,
  };
  if (shapeId === 'aws.protocols#awsJson1_0') metadata.jsonVersion = '1.0';
  if (shapeId === 'aws.protocols#awsJson1_1') metadata.jsonVersion = '1.1';
  if (protocol.serviceTarget) metadata.targetPrefix = protocol.serviceTarget;
  const xmlNamespace = options.xmlNamespace ?? (protocol.awsQueryCompatible ? config.protocolSettings?.xmlNamespace : undefined);
  if (xmlNamespace) metadata.xmlNamespace = normalizeNamespace(xmlNamespace);
  if (protocol.awsQueryCompatible) metadata.awsQueryCompatible = {};
  return {
    version: '2.0',
    generatedFrom: `${pkg}@${require(`${pkg}/package.json`).version}`,
    id,
    metadata,
    operations: sortKeys(operations),
    errors: [...new Set(errors)].sort(),
    shapes: sortKeys(shapes),
  };
}

function normalizeNamespace(ns: unknown): unknown {
  if (Array.isArray(ns)) return ns[0] ? { prefix: ns[0], uri: ns[1] } : { uri: ns[1] };
  return typeof ns === 'string' ? { uri: ns } : ns;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One shape per line keeps diffs of regenerated models readable. */
function stringify(model: Json): string {
  const lines: string[] = ['{'];
  const entries = Object.entries(model);
  entries.forEach(([key, value], i) => {
    const comma = i < entries.length - 1 ? ',' : '';
    if (key === 'operations' || key === 'shapes') {
      const inner = Object.entries(value as Json).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
      lines.push(`  ${JSON.stringify(key)}: {`, inner.join(',\n'), `  }${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`);
    }
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}

const check = process.argv.includes('--check');
let stale = 0;
for (const service of SERVICE_PACKAGES) {
  const { id } = service;
  const file = new URL(`../models/${id}.json`, import.meta.url);
  const text = stringify(await generate(service));
  if (check) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
      console.error(`models/${id}.json is stale: run \`npm run models\` and commit the result.`);
      stale++;
    }
    continue;
  }
  writeFileSync(file, text);
  console.log(`models/${id}.json written`);
}
if (check && stale === 0) console.log('models/ matches the installed SDK packages.');
process.exitCode = stale ? 1 : 0;
