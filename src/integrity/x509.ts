/**
 * @module
 * Self-signed X.509 v3 certificates for an RSA key (RFC 5280), in DER and PEM. node:crypto signs
 * and parses certificates but cannot make one; the DER here is the small subset a certificate
 * needs. Used for the certificate SNS message receivers fetch from SigningCertURL. Pure: no I/O.
 */
import { sign, type KeyObject } from 'node:crypto';

const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANIZATION = '2.5.4.10';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';

/** What a self-signed certificate says. */
export interface CertificateFields {
  /** Subject and issuer: common name (CN) and organisation (O). */
  readonly commonName: string;
  readonly organization: string;
  /** A positive serial number, big-endian, at most 20 bytes. */
  readonly serialNumber: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const explicit = (n: number, content: Buffer) => tlv(0xa0 | n, content);
const octetString = (content: Buffer) => tlv(0x04, content);
const bitString = (content: Buffer, unusedBits = 0) => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));
const NULL = Buffer.from([0x05, 0x00]);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

function integer(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const trimmed = value.subarray(start);
  return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first! * 40 + second!];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString();
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const year = date.getUTCFullYear();
  return year < 2050 && year >= 1950 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

function name(fields: CertificateFields): Buffer {
  const attribute = (type: string, value: string) => set(sequence(oid(type), tlv(0x0c, Buffer.from(value, 'utf8'))));
  return sequence(attribute(OID_ORGANIZATION, fields.organization), attribute(OID_COMMON_NAME, fields.commonName));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [TRUE] : []), octetString(value));
}

/**
 * A self-signed certificate for an RSA key pair, signed with SHA256withRSA, as DER. The
 * certificate is an end entity (not a CA) whose key may only make digital signatures.
 */
export function selfSignedCertificateDer(fields: CertificateFields, privateKey: KeyObject, publicKey: KeyObject): Buffer {
  if (fields.serialNumber.length === 0 || fields.serialNumber.length > 20) throw new Error('serial number must be 1 to 20 bytes');
  const algorithm = sequence(oid(OID_SHA256_WITH_RSA), NULL);
  const subject = name(fields);
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(fields.serialNumber),
    algorithm,
    subject,
    sequence(time(fields.notBefore), time(fields.notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(
      extension(OID_BASIC_CONSTRAINTS, true, sequence()),
      extension(OID_KEY_USAGE, true, bitString(Buffer.from([0x80]), 7)),
    )),
  );
  return sequence(tbs, algorithm, bitString(sign('sha256', tbs, privateKey)));
}

/** A DER certificate in PEM armour. */
export function certificatePem(der: Buffer): string {
  const base64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n`;
}
