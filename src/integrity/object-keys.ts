/**
 * @module
 * Where CloudTrail puts a trail's files in its bucket: log files and digest files, with AWS's
 * exact key layout and file names (CloudTrail user guide, "Finding your CloudTrail log files" and
 * "CloudTrail digest file structure"), and the digest-key arithmetic `aws cloudtrail validate-logs`
 * relies on. Pure.
 *
 * ```
 * [prefix/]AWSLogs/[o-org/]<acct>/CloudTrail/<region>/<YYYY>/<MM>/<DD>/<acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz
 * [prefix/]AWSLogs/[o-org/]<acct>/CloudTrail-Digest/<region>/<YYYY>/<MM>/<DD>/<acct>_CloudTrail-Digest_<region>_<trail>_<home region>_<YYYYMMDDTHHMMSSZ>.json.gz
 * ```
 */

/** Where a trail's files for one account go: the bucket's key prefix and, for organization trails, the organization. */
export interface TrailLocation {
  readonly prefix?: string;
  readonly accountId: string;
  readonly organizationId?: string;
}

/** `YYYYMMDDTHHMMSSZ` (UTC), the form of digest key timestamps and of the CLI's `--start-time` marker. */
export function compactTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z';
}

/** `YYYY/MM/DD` (UTC) of a time, the date folders of both kinds of file. */
function dateFolders(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

/** `[prefix/]AWSLogs/[org/]<acct>/`. */
export function accountRoot(location: TrailLocation): string {
  const org = location.organizationId ? `${location.organizationId}/` : '';
  return `${location.prefix ? `${location.prefix}/` : ''}AWSLogs/${org}${location.accountId}/`;
}

/**
 * The key of a log file delivered at `deliveredAt` for a region. `suffix` is the 16 random
 * alphanumerics that make the name unique within the minute.
 */
export function logFileKey(location: TrailLocation, region: string, deliveredAt: number, suffix: string): string {
  const minute = compactTime(deliveredAt).slice(0, 13) + 'Z';
  return `${accountRoot(location)}CloudTrail/${region}/${dateFolders(deliveredAt)}/${location.accountId}_CloudTrail_${region}_${minute}_${suffix}.json.gz`;
}

/** The key prefix under which a region's digest files lie (what validate-logs lists). */
export function digestPrefix(location: TrailLocation, region: string): string {
  return `${accountRoot(location)}CloudTrail-Digest/${region}`;
}

/** The key of the digest file of a trail, for the region it covers, whose period ends at `endTime`. */
export function digestFileKey(location: TrailLocation, region: string, trailName: string, homeRegion: string, endTime: number): string {
  return `${digestPrefix(location, region)}/${dateFolders(endTime)}/${location.accountId}_CloudTrail-Digest_${region}_${trailName}_${homeRegion}_${compactTime(endTime)}.json.gz`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Matches the digest keys of one trail and region (standard and backfill), as validate-logs filters them. */
export function digestKeyPattern(location: TrailLocation, region: string, trailName: string, homeRegion: string): RegExp {
  const acct = escape(location.accountId);
  const file = `${acct}_CloudTrail\\-Digest_${escape(region)}_${escape(trailName)}_${escape(homeRegion)}_.+(?:_backfill)?\\.json\\.gz`;
  return new RegExp(`^${escape(digestPrefix(location, region))}/\\d+/\\d+/\\d+/${file}$`);
}

/** Whether a digest key names a backfill digest. */
export function isBackfillDigestKey(key: string): boolean {
  return key.endsWith('_backfill.json.gz');
}

/** The `YYYYMMDDTHHMMSSZ` timestamp in a digest key. */
export function digestKeyTime(key: string): string {
  return isBackfillDigestKey(key) ? key.slice(-33, -17) : key.slice(-24, -8);
}

/** Parses a `YYYYMMDDTHHMMSSZ` timestamp to ms, or NaN. */
export function parseCompactTime(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}
