/**
 * @module
 * Object checksums as S3 keeps them: the algorithm the client chose (CRC32, CRC32C, CRC64NVME,
 * SHA1, SHA256), its base64 value, and whether it covers the whole object or is composed of the
 * parts' checksums (`<checksum of the part checksums>-<parts>`).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { createChecksum, type ChecksumAlgorithm } from '../../auth/checksums.js';
import { InvalidRequest } from './errors.js';

/** The checksum algorithms S3 names in its API, as Custos computes them. */
export type S3ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

/** A stored checksum. */
export interface StoredChecksum {
  readonly algorithm: S3ChecksumAlgorithm;
  /** base64; for COMPOSITE, `<base64>-<parts>`. */
  readonly value: string;
  readonly type: 'FULL_OBJECT' | 'COMPOSITE';
}

const ALGORITHMS: readonly S3ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** The input members that carry checksums, by algorithm. */
export const CHECKSUM_MEMBERS: Record<S3ChecksumAlgorithm, `Checksum${S3ChecksumAlgorithm}`> = {
  CRC32: 'ChecksumCRC32', CRC32C: 'ChecksumCRC32C', CRC64NVME: 'ChecksumCRC64NVME', SHA1: 'ChecksumSHA1', SHA256: 'ChecksumSHA256',
};

/** The running-checksum name of an S3 algorithm. */
export function runningName(algorithm: S3ChecksumAlgorithm): ChecksumAlgorithm {
  return algorithm.toLowerCase() as ChecksumAlgorithm;
}

/** What a request says about checksums: the algorithm to keep, and the value it claims, if any. */
export interface ChecksumRequest {
  readonly algorithm?: S3ChecksumAlgorithm;
  readonly claimed?: string;
}

/** The checksum members of a request. */
export type ChecksumMembers = { ChecksumAlgorithm?: string } & { [M in (typeof CHECKSUM_MEMBERS)[S3ChecksumAlgorithm]]?: string };

/** The checksum a request asks S3 to keep (its `x-amz-sdk-checksum-algorithm` or the checksum it sends). */
export function requestedChecksum(input: ChecksumMembers): ChecksumRequest {
  const named = ALGORITHMS.find((a) => typeof input[CHECKSUM_MEMBERS[a]] === 'string');
  const algorithm = input.ChecksumAlgorithm ?? named;
  if (algorithm === undefined) return {};
  if (!ALGORITHMS.includes(algorithm as S3ChecksumAlgorithm)) {
    throw new InvalidRequest(`Checksum algorithm provided is unsupported. Please try again with any of the valid types: [${ALGORITHMS.join(', ')}]`);
  }
  const chosen = algorithm as S3ChecksumAlgorithm;
  if (named !== undefined && named !== chosen) throw new InvalidRequest(`Value for x-amz-sdk-checksum-algorithm header is invalid.`);
  return { algorithm: chosen, claimed: input[CHECKSUM_MEMBERS[chosen]] };
}

/** The checksum of several part checksums (base64 each): S3's COMPOSITE multipart checksum. */
export function compositeChecksum(algorithm: S3ChecksumAlgorithm, parts: readonly string[]): StoredChecksum {
  const running = createChecksum(runningName(algorithm));
  for (const part of parts) running.update(Buffer.from(part, 'base64'));
  return { algorithm, value: `${running.digest().toString('base64')}-${parts.length}`, type: 'COMPOSITE' };
}

/** The output members that report a stored checksum. */
export function checksumOutput(checksum: StoredChecksum | undefined): Record<string, string> {
  if (!checksum) return {};
  return { [CHECKSUM_MEMBERS[checksum.algorithm]]: checksum.value, ChecksumType: checksum.type };
}
