/**
 * @module
 * The checksums S3 accepts in `x-amz-checksum-*` headers and trailers, computed incrementally:
 * CRC32 (zlib), CRC32C and CRC64/NVME (table-driven, here), SHA-1 and SHA-256. Values travel as
 * base64 of the big-endian checksum bytes.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** A checksum algorithm by the suffix of its header name (`x-amz-checksum-crc32c` → `crc32c`). */
export type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'crc64nvme' | 'sha1' | 'sha256';

/** A checksum computed as data streams past. */
export interface RunningChecksum {
  update(data: Uint8Array): void;
  /** The checksum bytes (big-endian for CRCs). Call once, after the last update. */
  digest(): Buffer;
}

const CRC32C_TABLE = crc32Table(0x82f63b78);
const [CRC64_HI, CRC64_LO] = crc64Table(0x9a6c9329, 0xac4bc9b5);

function crc32Table(reflectedPoly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ reflectedPoly : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
}

function crc64Table(polyHi: number, polyLo: number): [Uint32Array, Uint32Array] {
  const hiTable = new Uint32Array(256);
  const loTable = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let hi = 0;
    let lo = i;
    for (let k = 0; k < 8; k++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ polyLo) >>> 0;
        hi = (hi ^ polyHi) >>> 0;
      }
    }
    hiTable[i] = hi;
    loTable[i] = lo;
  }
  return [hiTable, loTable];
}

/** CRC-32C (Castagnoli) of `data`, continuing from `previous` (a prior result). */
export function crc32c(data: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) crc = CRC32C_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** CRC-64/NVME of `data`, continuing from `previous` (a prior result). */
export function crc64nvme(data: Uint8Array, previous = 0n): bigint {
  const state = new Crc64Nvme(previous);
  state.update(data);
  return state.value();
}

class Crc32 implements RunningChecksum {
  #crc = 0;
  update(data: Uint8Array): void {
    this.#crc = crc32(data, this.#crc);
  }
  digest(): Buffer {
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(this.#crc >>> 0);
    return out;
  }
}

class Crc32c implements RunningChecksum {
  #crc = 0;
  update(data: Uint8Array): void {
    this.#crc = crc32c(data, this.#crc);
  }
  digest(): Buffer {
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(this.#crc);
    return out;
  }
}

class Crc64Nvme implements RunningChecksum {
  #hi: number;
  #lo: number;
  constructor(previous = 0n) {
    this.#hi = ~Number(previous >> 32n) >>> 0;
    this.#lo = ~Number(previous & 0xffffffffn) >>> 0;
  }
  update(data: Uint8Array): void {
    let hi = this.#hi;
    let lo = this.#lo;
    for (let i = 0; i < data.length; i++) {
      const index = (lo ^ data[i]!) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ CRC64_LO[index]!) >>> 0;
      hi = ((hi >>> 8) ^ CRC64_HI[index]!) >>> 0;
    }
    this.#hi = hi;
    this.#lo = lo;
  }
  value(): bigint {
    return (BigInt(~this.#hi >>> 0) << 32n) | BigInt(~this.#lo >>> 0);
  }
  digest(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32BE(~this.#hi >>> 0, 0);
    out.writeUInt32BE(~this.#lo >>> 0, 4);
    return out;
  }
}

class Digest implements RunningChecksum {
  readonly #hash: Hash;
  constructor(algorithm: 'sha1' | 'sha256') {
    this.#hash = createHash(algorithm);
  }
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  digest(): Buffer {
    return this.#hash.digest();
  }
}

/** Whether `name` is a checksum algorithm this module computes. */
export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return name === 'crc32' || name === 'crc32c' || name === 'crc64nvme' || name === 'sha1' || name === 'sha256';
}

/** A fresh running checksum for `algorithm`. */
export function createChecksum(algorithm: ChecksumAlgorithm): RunningChecksum {
  switch (algorithm) {
    case 'crc32':
      return new Crc32();
    case 'crc32c':
      return new Crc32c();
    case 'crc64nvme':
      return new Crc64Nvme();
    case 'sha1':
    case 'sha256':
      return new Digest(algorithm);
  }
}
