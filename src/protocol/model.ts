/**
 * @module
 * The API models Custos speaks, in botocore's `service-2.json` layout (generated into `models/`
 * from the `@aws-sdk/client-*` packages by `npm run models`), compiled into linked shapes that the
 * protocol codecs walk.
 */
import { readFileSync } from 'node:fs';

/** Where an input or output member travels in REST protocols. */
export type MemberLocation = 'header' | 'headers' | 'querystring' | 'uri' | 'statusCode';

/** A structure member, list member or map key/value reference as it appears in a model file. */
export interface ModelMember {
  shape: string;
  location?: MemberLocation;
  locationName?: string;
  queryName?: string;
  jsonName?: string;
  flattened?: boolean;
  xmlAttribute?: boolean;
  xmlNamespace?: { prefix?: string; uri: string };
  timestampFormat?: TimestampFormat;
  jsonvalue?: boolean;
  sensitive?: boolean;
  idempotencyToken?: boolean;
  hostLabel?: boolean;
  eventpayload?: boolean;
  eventheader?: boolean;
}

/** The wire formats of timestamps. */
export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

/** A shape as it appears in a model file. */
export interface ModelShape {
  type: string;
  members?: Record<string, ModelMember>;
  required?: string[];
  payload?: string;
  member?: ModelMember;
  key?: ModelMember;
  value?: ModelMember;
  flattened?: boolean;
  sparse?: boolean;
  timestampFormat?: TimestampFormat;
  locationName?: string;
  xmlNamespace?: { prefix?: string; uri: string };
  exception?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  union?: boolean;
  document?: boolean;
  streaming?: boolean;
  sensitive?: boolean;
  eventstream?: boolean;
  event?: boolean;
}

/** An operation as it appears in a model file. */
export interface ModelOperation {
  name: string;
  http?: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
  endpoint?: { hostPrefix: string };
}

/** The service-wide facts a codec needs. */
export interface ModelMetadata {
  serviceId?: string;
  apiVersion?: string;
  protocol: string;
  jsonVersion?: string;
  targetPrefix?: string;
  signingName?: string;
  xmlNamespace?: { uri: string } | string;
  awsQueryCompatible?: object;
}

/** A model file. */
export interface ModelFile {
  id?: string;
  metadata: ModelMetadata;
  operations?: Record<string, ModelOperation>;
  errors?: string[];
  shapes: Record<string, ModelShape>;
}

/** Shape types after compilation: botocore's numeric types fold into `number`. */
export type ShapeType =
  | 'structure' | 'list' | 'map' | 'string' | 'number' | 'boolean' | 'timestamp' | 'blob' | 'document';

/** A compiled shape: references resolved to objects. */
export interface Shape {
  readonly name: string;
  readonly type: ShapeType;
  /** Structure members in model order. */
  readonly members: readonly Member[];
  readonly membersByName: ReadonlyMap<string, Member>;
  readonly required: ReadonlySet<string>;
  /** The structure member bound to the HTTP payload (REST protocols). */
  readonly payload?: Member;
  /** The element of a list. */
  readonly member?: Member;
  readonly key?: Member;
  readonly value?: Member;
  readonly flattened: boolean;
  readonly sparse: boolean;
  readonly timestampFormat?: TimestampFormat;
  readonly locationName?: string;
  readonly xmlNamespace?: { prefix?: string; uri: string };
  readonly error?: { code: string; status: number; senderFault: boolean; messageMember?: string };
  readonly streaming: boolean;
  readonly sensitive: boolean;
  readonly eventstream: boolean;
  readonly union: boolean;
}

/** A compiled member: its name in the structure, its shape and its serialisation traits. */
export interface Member extends Omit<ModelMember, 'shape'> {
  readonly name: string;
  readonly shape: Shape;
}

/** A compiled operation. */
export interface Operation {
  readonly name: string;
  readonly http?: { method: string; requestUri: string; responseCode: number };
  readonly input?: Shape;
  readonly output?: Shape;
  readonly service: ServiceModel;
}

/** A compiled service model. */
export interface ServiceModel {
  readonly id: string;
  readonly metadata: ModelMetadata;
  readonly operations: ReadonlyMap<string, Operation>;
  readonly shapes: ReadonlyMap<string, Shape>;
  /** Error shapes by their wire code (both the shape name and an awsQueryError code). */
  readonly errorsByCode: ReadonlyMap<string, Shape>;
  /** The XML namespace of Query/REST-XML documents. */
  readonly xmlNamespace?: string;
}

const NUMBER_TYPES = new Set(['integer', 'long', 'float', 'double', 'bigdecimal', 'biginteger', 'short', 'byte', 'number']);

function compileType(shape: ModelShape): ShapeType {
  if (shape.type === 'structure' && shape.document) return 'document';
  if (NUMBER_TYPES.has(shape.type)) return 'number';
  if (shape.type === 'character') return 'string';
  if (shape.type === 'union') return 'structure';
  return shape.type as ShapeType;
}

/** Compiles a model file into linked shapes. Recursive shapes become cyclic object graphs. */
export function compileModel(file: ModelFile, id = file.id ?? 'service'): ServiceModel {
  const shapes = new Map<string, Shape>();
  const pending: [ModelShape, Record<string, unknown>][] = [];
  for (const [name, raw] of Object.entries(file.shapes)) {
    const shape: Record<string, unknown> = {
      name,
      type: compileType(raw),
      members: [],
      membersByName: new Map(),
      required: new Set(raw.required ?? []),
      flattened: raw.flattened === true,
      sparse: raw.sparse === true,
      timestampFormat: raw.timestampFormat,
      locationName: raw.locationName,
      xmlNamespace: raw.xmlNamespace,
      streaming: raw.streaming === true,
      sensitive: raw.sensitive === true,
      eventstream: raw.eventstream === true,
      union: raw.union === true || raw.type === 'union',
    };
    shapes.set(name, shape as unknown as Shape);
    pending.push([raw, shape]);
  }
  const link = (ref: ModelMember | undefined, name: string): Member | undefined => {
    if (!ref) return undefined;
    const target = shapes.get(ref.shape);
    if (!target) throw new Error(`model ${id}: unknown shape ${ref.shape}`);
    return { ...ref, name, shape: target };
  };
  for (const [raw, shape] of pending) {
    const members = Object.entries(raw.members ?? {}).map(([name, ref]) => link(ref, name)!);
    shape.members = members;
    const byName = new Map(members.map((m) => [m.name, m]));
    shape.membersByName = byName;
    if (raw.payload) shape.payload = byName.get(raw.payload);
    shape.member = link(raw.member, 'member');
    shape.key = link(raw.key, 'key');
    shape.value = link(raw.value, 'value');
    if (raw.exception) {
      const messageMember = members.find((m) => m.name.toLowerCase() === 'message')?.name;
      shape.error = {
        code: raw.error?.code ?? (shape.name as string),
        status: raw.error?.httpStatusCode ?? 400,
        senderFault: raw.error?.senderFault ?? true,
        messageMember,
      };
    }
  }
  const operations = new Map<string, Operation>();
  const errorsByCode = new Map<string, Shape>();
  const ns = file.metadata.xmlNamespace;
  const service: ServiceModel = {
    id,
    metadata: file.metadata,
    operations,
    shapes,
    errorsByCode,
    xmlNamespace: typeof ns === 'string' ? ns : ns?.uri,
  };
  for (const [name, raw] of Object.entries(file.operations ?? {})) {
    operations.set(name, {
      name,
      http: raw.http ? { method: raw.http.method, requestUri: raw.http.requestUri, responseCode: raw.http.responseCode ?? 200 } : undefined,
      input: raw.input ? shapes.get(raw.input.shape) : undefined,
      output: raw.output ? shapes.get(raw.output.shape) : undefined,
      service,
    });
  }
  for (const shape of shapes.values()) {
    if (!shape.error) continue;
    errorsByCode.set(shape.name, shape);
    if (!errorsByCode.has(shape.error.code)) errorsByCode.set(shape.error.code, shape);
  }
  return service;
}

/** Reads and compiles `models/<id>.json`. */
export function loadModel(id: string): ServiceModel {
  const url = new URL(`../../models/${id}.json`, import.meta.url);
  return compileModel(JSON.parse(readFileSync(url, 'utf8')) as ModelFile, id);
}
