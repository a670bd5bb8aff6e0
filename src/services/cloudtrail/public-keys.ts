/**
 * @module
 * ListPublicKeys: the region's digest signing keys whose validity overlaps a time range, in the
 * form `aws cloudtrail validate-logs` reads (Value: DER PKCS#1, base64 on the wire; Fingerprint:
 * hex MD5 of those bytes).
 */
import type { ListPublicKeysCommandInput, ListPublicKeysCommandOutput } from '@aws-sdk/client-cloudtrail';
import type { Handler, Out } from '../service.js';
import { InvalidTimeRangeException, InvalidTokenException } from './errors.js';
import { keysOverlapping } from './signing-keys.js';

/** ListPublicKeys (StartTime and EndTime default to now; every key comes in one page). */
export const listPublicKeys: Handler<ListPublicKeysCommandInput, Out<ListPublicKeysCommandOutput>> = async (input, ctx) => {
  if (input.NextToken !== undefined) throw new InvalidTokenException();
  const start = input.StartTime?.getTime() ?? ctx.now;
  const end = input.EndTime?.getTime() ?? ctx.now;
  if (start > end) throw new InvalidTimeRangeException();
  const keys = await keysOverlapping(ctx.tx, ctx.scope.region, start, end);
  return {
    PublicKeyList: keys.map((key) => ({
      Value: Buffer.from(key.publicKey, 'base64'),
      ValidityStartTime: new Date(key.validityStart),
      ValidityEndTime: new Date(key.validityEnd),
      Fingerprint: key.fingerprint,
    })),
  };
};
