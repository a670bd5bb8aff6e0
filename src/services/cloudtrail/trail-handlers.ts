/**
 * @module
 * Trail CRUD: CreateTrail, GetTrail, DescribeTrails, ListTrails, UpdateTrail, DeleteTrail.
 */
import type {
  CreateTrailCommandInput, CreateTrailCommandOutput, DeleteTrailCommandInput, DeleteTrailCommandOutput,
  DescribeTrailsCommandInput, DescribeTrailsCommandOutput, GetTrailCommandInput, GetTrailCommandOutput,
  ListTrailsCommandInput, ListTrailsCommandOutput, UpdateTrailCommandInput, UpdateTrailCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { Handler, Out } from '../service.js';
import {
  InvalidNextTokenException, MaximumNumberOfTrailsExceededException, OrganizationsNotInUseException, TrailAlreadyExistsException,
} from './errors.js';
import { checkCloudWatchLogs } from './cloudwatch-logs-role.js';
import { openDigestChain } from './delivery-state.js';
import { checkDestinations } from './destination-checks.js';
import { checkTags } from './tags.js';
import { checkTrailName } from './trail-names.js';
import { applySettings, type TrailSettings } from './trail-settings.js';
import {
  accountTrails, arnOf, deleteTrailDocument, findTrail, getTrail, getTrailForUpdate, noteTrailChange, saveTrail,
  toTrail, toTrailInfo, visibleTrails, type TrailDocument,
} from './trails.js';

const MAX_TRAILS_PER_REGION = 5;
const LIST_PAGE = 50;

function createOutput(trail: TrailDocument): Out<CreateTrailCommandOutput> {
  const { HomeRegion: _home, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...rest } = toTrail(trail);
  return rest;
}

function checkOrganization(settings: TrailSettings): void {
  if (settings.isOrganizationTrail) throw new OrganizationsNotInUseException();
}

/** CreateTrail: a new trail in the caller's region; it does not log until StartLogging. */
export const createTrail: Handler<CreateTrailCommandInput, Out<CreateTrailCommandOutput>> = async (input, ctx) => {
  const name = input.Name ?? '';
  checkTrailName(name);
  const settings = applySettings(ctx.scope, input);
  checkOrganization(settings);
  const tags = checkTags(input.TagsList);
  const all = await accountTrails(ctx.tx, ctx.scope.accountId);
  const clash = all.find((t) => t.name === name && (t.homeRegion === ctx.scope.region || t.isMultiRegionTrail || settings.isMultiRegionTrail));
  if (clash) throw new TrailAlreadyExistsException(name, ctx.scope.accountId);
  const inRegion = all.filter((t) => t.homeRegion === ctx.scope.region || t.isMultiRegionTrail).length;
  if (inRegion >= MAX_TRAILS_PER_REGION) throw new MaximumNumberOfTrailsExceededException(ctx.scope.accountId, ctx.scope.region);
  const trail: TrailDocument = {
    name,
    accountId: ctx.scope.accountId,
    homeRegion: ctx.scope.region,
    ...settings,
    hasCustomEventSelectors: false,
    hasInsightSelectors: false,
    tags,
    createdAt: ctx.now,
    status: { isLogging: false },
  };
  await checkDestinations(ctx.tx, trail);
  await checkCloudWatchLogs(ctx.tx, trail, ctx.now);
  await saveTrail(ctx.tx, trail);
  await noteTrailChange(ctx, trail);
  return createOutput(trail);
};

/** GetTrail: one trail by name or ARN. */
export const getTrailHandler: Handler<GetTrailCommandInput, Out<GetTrailCommandOutput>> = async (input, ctx) => ({
  Trail: toTrail(await getTrail(ctx.tx, ctx.scope, input.Name ?? '')),
});

/** DescribeTrails: the trails named, or every trail visible in the region; unknown names are skipped. */
export const describeTrails: Handler<DescribeTrailsCommandInput, Out<DescribeTrailsCommandOutput>> = async (input, ctx) => {
  const includeShadows = input.includeShadowTrails ?? true;
  const names = input.trailNameList ?? [];
  let trails: TrailDocument[];
  if (names.length === 0) {
    trails = await visibleTrails(ctx.tx, ctx.scope, includeShadows);
  } else {
    trails = [];
    for (const name of names) {
      const trail = await findTrail(ctx.tx, ctx.scope, name);
      if (trail && (includeShadows || trail.homeRegion === ctx.scope.region) && !trails.includes(trail)) trails.push(trail);
    }
  }
  return { trailList: trails.map(toTrail) };
};

/** ListTrails: name, ARN and home region of each trail visible in the region, 50 to a page. */
export const listTrails: Handler<ListTrailsCommandInput, Out<ListTrailsCommandOutput>> = async (input, ctx) => {
  const trails = (await visibleTrails(ctx.tx, ctx.scope)).sort((a, b) => arnOf(a).localeCompare(arnOf(b)));
  let start = 0;
  if (input.NextToken) {
    const after = decodeToken<string>(input.NextToken, 'ListTrails');
    if (after === undefined) throw new InvalidNextTokenException();
    start = trails.findIndex((t) => arnOf(t) > after);
    if (start < 0) start = trails.length;
  }
  const page = trails.slice(start, start + LIST_PAGE);
  const more = start + LIST_PAGE < trails.length;
  return {
    Trails: page.map(toTrailInfo),
    NextToken: more ? encodeToken(arnOf(page[page.length - 1]!), 'ListTrails') : undefined,
  };
};

/** UpdateTrail: changes settings of a trail from its home region. */
export const updateTrail: Handler<UpdateTrailCommandInput, Out<UpdateTrailCommandOutput>> = async (input, ctx) => {
  const trail = await getTrailForUpdate(ctx.tx, ctx.scope, input.Name ?? '');
  const settings = applySettings(ctx.scope, input, trail);
  checkOrganization(settings);
  if (settings.isMultiRegionTrail && !trail.isMultiRegionTrail) {
    const clash = (await accountTrails(ctx.tx, ctx.scope.accountId)).find((t) => t.name === trail.name && t.homeRegion !== trail.homeRegion);
    if (clash) throw new TrailAlreadyExistsException(trail.name, ctx.scope.accountId);
  }
  const updated: TrailDocument = { ...trail, ...settings };
  await checkDestinations(ctx.tx, updated);
  if (input.CloudWatchLogsLogGroupArn !== undefined || input.CloudWatchLogsRoleArn !== undefined) await checkCloudWatchLogs(ctx.tx, updated, ctx.now);
  await saveTrail(ctx.tx, updated);
  await openDigestChain(ctx.tx, updated, arnOf(updated), updated.homeRegion, ctx.now);
  await noteTrailChange(ctx, updated);
  return createOutput(updated);
};

/** DeleteTrail: removes a trail (from its home region); its bucket and files stay. */
export const deleteTrail: Handler<DeleteTrailCommandInput, Out<DeleteTrailCommandOutput>> = async (input, ctx) => {
  const trail = await getTrailForUpdate(ctx.tx, ctx.scope, input.Name ?? '');
  await deleteTrailDocument(ctx.tx, trail);
  await noteTrailChange(ctx, trail, true);
  return {};
};
