/**
 * @module
 * S3's rules for general purpose bucket names, and the regions a bucket may be created in. Pure.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Whether `name` is a valid general purpose bucket name. */
export function isValidBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..') || name.includes('.-') || name.includes('-.')) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return false;
  return !RESERVED_PREFIXES.some((p) => name.startsWith(p)) && !RESERVED_SUFFIXES.some((s) => name.endsWith(s));
}

/** The commercial regions S3 accepts as a LocationConstraint (us-east-1 is the absence of one). */
export const BUCKET_REGIONS: ReadonlySet<string> = new Set([
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7', 'ca-central-1',
  'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
]);

/** The region a LocationConstraint names (`EU` is eu-west-1), or undefined when it names none S3 accepts. */
export function regionOfConstraint(constraint: string): string | undefined {
  if (constraint === 'EU') return 'eu-west-1';
  return BUCKET_REGIONS.has(constraint) ? constraint : undefined;
}
