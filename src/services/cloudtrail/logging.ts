/**
 * @module
 * Turning trails on and off, and their status: StartLogging, StopLogging, GetTrailStatus.
 */
import type {
  GetTrailStatusCommandInput, GetTrailStatusCommandOutput, StartLoggingCommandInput, StartLoggingCommandOutput,
  StopLoggingCommandInput, StopLoggingCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { Handler, Out } from '../service.js';
import { openDigestChain } from './delivery-state.js';
import { arnOf, getTrail, getTrailForUpdate, noteTrailChange, saveTrail } from './trails.js';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/** StartLogging: the trail starts recording (from its home region). */
export const startLogging: Handler<StartLoggingCommandInput, Out<StartLoggingCommandOutput>> = async (input, ctx) => {
  const trail = await getTrailForUpdate(ctx.tx, ctx.scope, input.Name ?? '');
  if (!trail.status.isLogging) {
    const updated = { ...trail, status: { ...trail.status, isLogging: true, startLoggingTime: ctx.now } };
    await saveTrail(ctx.tx, updated);
    await openDigestChain(ctx.tx, updated, arnOf(updated), updated.homeRegion, ctx.now);
    await noteTrailChange(ctx, updated);
  }
  return {};
};

/** StopLogging: the trail stops recording (from its home region). */
export const stopLogging: Handler<StopLoggingCommandInput, Out<StopLoggingCommandOutput>> = async (input, ctx) => {
  const trail = await getTrailForUpdate(ctx.tx, ctx.scope, input.Name ?? '');
  if (trail.status.isLogging) {
    const updated = { ...trail, status: { ...trail.status, isLogging: false, stopLoggingTime: ctx.now, stopLoggingEventId: ctx.eventId } };
    await saveTrail(ctx.tx, updated);
    await noteTrailChange(ctx, updated);
  }
  return {};
};

/** GetTrailStatus: whether the trail logs, and when it last delivered (or failed to). */
export const getTrailStatus: Handler<GetTrailStatusCommandInput, Out<GetTrailStatusCommandOutput>> = async (input, ctx) => {
  const { status } = await getTrail(ctx.tx, ctx.scope, input.Name ?? '');
  return {
    IsLogging: status.isLogging,
    LatestDeliveryError: status.latestDeliveryError,
    LatestNotificationError: status.latestNotificationError,
    LatestDeliveryTime: date(status.latestDeliveryTime),
    LatestNotificationTime: date(status.latestNotificationTime),
    StartLoggingTime: date(status.startLoggingTime),
    StopLoggingTime: date(status.stopLoggingTime),
    LatestCloudWatchLogsDeliveryError: status.latestCloudWatchLogsDeliveryError,
    LatestCloudWatchLogsDeliveryTime: date(status.latestCloudWatchLogsDeliveryTime),
    LatestDigestDeliveryTime: date(status.latestDigestDeliveryTime),
    LatestDigestDeliveryError: status.latestDigestDeliveryError,
  };
};
