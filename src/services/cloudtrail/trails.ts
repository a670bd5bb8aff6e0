/**
 * @module
 * Trails as stored, and how they are found. A trail lives in its home region; a multi-region
 * trail also shows, as a shadow, in every other region of its account.
 */
import type { AdvancedEventSelector, EventSelector, InsightSelector, Trail, TrailInfo } from '@aws-sdk/client-cloudtrail';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import { recordResourceChange } from '../resource-changes.js';
import type { CallContext } from '../service.js';
import { InvalidHomeRegionException, TrailNotFoundException } from './errors.js';
import { parseTrailRef, trailArn } from './trail-names.js';

/** The document kind trails are stored under. */
export const TRAIL_KIND = 'cloudtrail.trail';

/** A tag as CloudTrail returns it. */
export interface TrailTag {
  readonly Key: string;
  readonly Value?: string;
}

/** Logging and delivery status, as GetTrailStatus reports it (times in ms). */
export interface TrailStatus {
  readonly isLogging: boolean;
  readonly startLoggingTime?: number;
  readonly stopLoggingTime?: number;
  /** The eventID of the StopLogging call that set stopLoggingTime (its own record is still delivered). */
  readonly stopLoggingEventId?: string;
  readonly latestDeliveryTime?: number;
  readonly latestDeliveryError?: string;
  readonly latestNotificationTime?: number;
  readonly latestNotificationError?: string;
  readonly latestCloudWatchLogsDeliveryTime?: number;
  readonly latestCloudWatchLogsDeliveryError?: string;
  readonly latestDigestDeliveryTime?: number;
  readonly latestDigestDeliveryError?: string;
}

/** A trail as stored in its home region. */
export interface TrailDocument {
  readonly name: string;
  readonly accountId: string;
  readonly homeRegion: string;
  readonly s3BucketName: string;
  readonly s3KeyPrefix?: string;
  readonly snsTopicArn?: string;
  readonly includeGlobalServiceEvents: boolean;
  readonly isMultiRegionTrail: boolean;
  readonly logFileValidationEnabled: boolean;
  readonly cloudWatchLogsLogGroupArn?: string;
  readonly cloudWatchLogsRoleArn?: string;
  readonly kmsKeyId?: string;
  readonly isOrganizationTrail: boolean;
  readonly hasCustomEventSelectors: boolean;
  readonly hasInsightSelectors: boolean;
  /** Basic selectors set by PutEventSelectors (none: the default, every management event). */
  readonly eventSelectors?: readonly EventSelector[];
  /** Advanced selectors set by PutEventSelectors; they replace basic ones. */
  readonly advancedEventSelectors?: readonly AdvancedEventSelector[];
  readonly insightSelectors?: readonly InsightSelector[];
  readonly tags: readonly TrailTag[];
  readonly createdAt: number;
  readonly status: TrailStatus;
}

/** The ARN of a stored trail. */
export function arnOf(trail: TrailDocument): string {
  return trailArn(trail.accountId, trail.homeRegion, trail.name);
}

/** The home scope of a stored trail. */
export function homeScope(trail: TrailDocument): Scope {
  return { accountId: trail.accountId, region: trail.homeRegion };
}

/** A trail in the shape of CloudTrail's `Trail`. */
export function toTrail(trail: TrailDocument): Trail {
  return {
    Name: trail.name,
    S3BucketName: trail.s3BucketName,
    S3KeyPrefix: trail.s3KeyPrefix,
    SnsTopicName: trail.snsTopicArn?.slice(trail.snsTopicArn.lastIndexOf(':') + 1),
    SnsTopicARN: trail.snsTopicArn,
    IncludeGlobalServiceEvents: trail.includeGlobalServiceEvents,
    IsMultiRegionTrail: trail.isMultiRegionTrail,
    HomeRegion: trail.homeRegion,
    TrailARN: arnOf(trail),
    LogFileValidationEnabled: trail.logFileValidationEnabled,
    CloudWatchLogsLogGroupArn: trail.cloudWatchLogsLogGroupArn,
    CloudWatchLogsRoleArn: trail.cloudWatchLogsRoleArn,
    KmsKeyId: trail.kmsKeyId,
    HasCustomEventSelectors: trail.hasCustomEventSelectors,
    HasInsightSelectors: trail.hasInsightSelectors,
    IsOrganizationTrail: trail.isOrganizationTrail,
  };
}

/** A trail in the shape of ListTrails' `TrailInfo`. */
export function toTrailInfo(trail: TrailDocument): TrailInfo {
  return { TrailARN: arnOf(trail), Name: trail.name, HomeRegion: trail.homeRegion };
}

/** Every trail of an account, in every region. */
export async function accountTrails(tx: Tx, accountId: string): Promise<TrailDocument[]> {
  return (await tx.documents.listInAccount<TrailDocument>(accountId, TRAIL_KIND)).map((entry) => entry.doc);
}

/** The trails visible in a region: those at home there, and (optionally) other regions' multi-region trails. */
export async function visibleTrails(tx: Tx, scope: Scope, includeShadows = true): Promise<TrailDocument[]> {
  const all = await accountTrails(tx, scope.accountId);
  return all.filter((t) => t.homeRegion === scope.region || (includeShadows && t.isMultiRegionTrail));
}

/** Finds the trail a Name parameter (name or ARN) refers to from a region, or undefined. */
export async function findTrail(tx: Tx, scope: Scope, nameOrArn: string): Promise<TrailDocument | undefined> {
  const ref = parseTrailRef(nameOrArn);
  if (ref.arn !== undefined) {
    if (ref.accountId !== scope.accountId) return undefined;
    const trail = await tx.documents.get<TrailDocument>({ accountId: ref.accountId, region: ref.region }, TRAIL_KIND, ref.name);
    return trail && (trail.homeRegion === scope.region || trail.isMultiRegionTrail) ? trail : undefined;
  }
  const local = await tx.documents.get<TrailDocument>(scope, TRAIL_KIND, ref.name);
  if (local) return local;
  return (await accountTrails(tx, scope.accountId)).find((t) => t.name === ref.name && t.isMultiRegionTrail);
}

/** Like findTrail, but throws TrailNotFoundException. */
export async function getTrail(tx: Tx, scope: Scope, nameOrArn: string): Promise<TrailDocument> {
  const trail = await findTrail(tx, scope, nameOrArn);
  if (!trail) throw new TrailNotFoundException(nameOrArn, scope.accountId);
  return trail;
}

/** Finds a trail that may be changed from this region (its home), or throws. */
export async function getTrailForUpdate(tx: Tx, scope: Scope, nameOrArn: string): Promise<TrailDocument> {
  const trail = await getTrail(tx, scope, nameOrArn);
  if (trail.homeRegion !== scope.region) throw new InvalidHomeRegionException(arnOf(trail), trail.homeRegion, scope.region);
  return trail;
}

/** Stores a trail in its home region. */
export async function saveTrail(tx: Tx, trail: TrailDocument): Promise<void> {
  await tx.documents.put(homeScope(trail), TRAIL_KIND, trail.name, trail);
}

/** Removes a trail. */
export async function deleteTrailDocument(tx: Tx, trail: TrailDocument): Promise<void> {
  await tx.documents.delete(homeScope(trail), TRAIL_KIND, trail.name);
}

/** Names the trail in the call's record and hands the change to Config through the outbox. */
export async function noteTrailChange(ctx: CallContext, trail: TrailDocument, deleted = false): Promise<void> {
  const arn = arnOf(trail);
  ctx.audit.resources.push({ type: 'AWS::CloudTrail::Trail', arn });
  await recordResourceChange(ctx, { resourceType: 'AWS::CloudTrail::Trail', resourceId: trail.name, resourceName: trail.name, arn, deleted });
}
