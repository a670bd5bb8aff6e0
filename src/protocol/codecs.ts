/**
 * @module
 * The protocol codecs by the name a model's `metadata.protocol` gives them.
 */
import { awsJsonCodec } from './aws-json.js';
import { awsQueryCodec } from './aws-query.js';
import type { ProtocolCodec } from './codec.js';
import { ec2QueryCodec } from './ec2-query.js';
import { restJsonCodec } from './rest-json.js';
import { restXmlCodec } from './rest-xml.js';
import { rpcV2CborCodec } from './rpc-v2-cbor.js';

const CODECS: Readonly<Record<string, ProtocolCodec>> = Object.freeze({
  json: awsJsonCodec,
  query: awsQueryCodec,
  ec2: ec2QueryCodec,
  'rest-xml': restXmlCodec,
  'rest-json': restJsonCodec,
  'smithy-rpc-v2-cbor': rpcV2CborCodec,
});

/** The codec for a model's `metadata.protocol` (`json`, `query`, `ec2`, `rest-xml`, `rest-json`, `smithy-rpc-v2-cbor`); throws for any other. */
export function codecFor(protocol: string): ProtocolCodec {
  const codec = Object.hasOwn(CODECS, protocol) ? CODECS[protocol] : undefined;
  if (!codec) throw new Error(`no codec for protocol ${protocol}`);
  return codec;
}
