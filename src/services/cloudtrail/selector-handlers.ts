/**
 * @module
 * PutEventSelectors, GetEventSelectors, PutInsightSelectors, GetInsightSelectors on trails.
 * Insights selectors are kept and reported; Custos does not compute Insights events.
 */
import type {
  GetEventSelectorsCommandInput, GetEventSelectorsCommandOutput, GetInsightSelectorsCommandInput, GetInsightSelectorsCommandOutput,
  InsightSelector, PutEventSelectorsCommandInput, PutEventSelectorsCommandOutput, PutInsightSelectorsCommandInput,
  PutInsightSelectorsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { Handler, Out } from '../service.js';
import {
  EventDataStoreNotFoundException, InsightNotEnabledException, InvalidInsightSelectorsException, InvalidParameterCombinationException,
  InvalidParameterException,
} from './errors.js';
import { checkSelectorsInput, DEFAULT_EVENT_SELECTORS } from './event-selectors.js';
import { arnOf, getTrail, getTrailForUpdate, noteTrailChange, saveTrail, type TrailDocument } from './trails.js';

/** PutEventSelectors: replaces the trail's selectors (basic or advanced) from its home region. */
export const putEventSelectors: Handler<PutEventSelectorsCommandInput, Out<PutEventSelectorsCommandOutput>> = async (input, ctx) => {
  const trail = await getTrailForUpdate(ctx.tx, ctx.scope, input.TrailName ?? '');
  const selectors = checkSelectorsInput(input);
  const { eventSelectors: _basic, advancedEventSelectors: _advanced, ...rest } = trail;
  const updated: TrailDocument = { ...rest, ...selectors, hasCustomEventSelectors: true };
  await saveTrail(ctx.tx, updated);
  await noteTrailChange(ctx, updated);
  return {
    TrailARN: arnOf(updated),
    EventSelectors: selectors.eventSelectors ? [...selectors.eventSelectors] : undefined,
    AdvancedEventSelectors: selectors.advancedEventSelectors ? [...selectors.advancedEventSelectors] : undefined,
  };
};

/** GetEventSelectors: the trail's selectors, or the default one when none were set. */
export const getEventSelectors: Handler<GetEventSelectorsCommandInput, Out<GetEventSelectorsCommandOutput>> = async (input, ctx) => {
  const trail = await getTrail(ctx.tx, ctx.scope, input.TrailName ?? '');
  if (trail.advancedEventSelectors) return { TrailARN: arnOf(trail), AdvancedEventSelectors: [...trail.advancedEventSelectors] };
  return { TrailARN: arnOf(trail), EventSelectors: [...(trail.eventSelectors ?? DEFAULT_EVENT_SELECTORS)] };
};

const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'];
const INSIGHT_CATEGORIES = ['Management', 'Data'];

function trailSource(input: { TrailName?: string; EventDataStore?: string }): string {
  if (input.TrailName !== undefined && input.EventDataStore !== undefined) {
    throw new InvalidParameterCombinationException('You cannot specify both TrailName and EventDataStore.');
  }
  if (input.EventDataStore !== undefined) throw new EventDataStoreNotFoundException(input.EventDataStore);
  if (input.TrailName === undefined) throw new InvalidParameterException('You must specify a TrailName or an EventDataStore.');
  return input.TrailName;
}

/** Which management events a trail logs: writes, reads, both or none. */
function loggedManagement(trail: TrailDocument): { read: boolean; write: boolean } {
  if (trail.advancedEventSelectors) {
    const management = trail.advancedEventSelectors.filter((s) => s.FieldSelectors?.some((f) => f.Field === 'eventCategory' && f.Equals?.[0] === 'Management'));
    const readOnly = (value: string) => management.some((s) => {
      const field = s.FieldSelectors?.find((f) => f.Field === 'readOnly');
      return !field || field.Equals?.includes(value);
    });
    return { read: readOnly('true'), write: readOnly('false') };
  }
  const selectors = (trail.eventSelectors ?? DEFAULT_EVENT_SELECTORS).filter((s) => s.IncludeManagementEvents !== false);
  return {
    read: selectors.some((s) => s.ReadWriteType !== 'WriteOnly'),
    write: selectors.some((s) => s.ReadWriteType !== 'ReadOnly'),
  };
}

function checkInsightSelectors(trail: TrailDocument, selectors: readonly InsightSelector[]): void {
  const seen = new Set<string>();
  const logged = loggedManagement(trail);
  for (const selector of selectors) {
    const type = selector.InsightType ?? '';
    if (!INSIGHT_TYPES.includes(type)) {
      throw new InvalidInsightSelectorsException(`Value ${type} for InsightType is invalid. Valid values are: ${INSIGHT_TYPES.join(', ')}`);
    }
    if (seen.has(type)) throw new InvalidInsightSelectorsException(`InsightType ${type} is specified more than once.`);
    seen.add(type);
    for (const category of selector.EventCategories ?? []) {
      if (!INSIGHT_CATEGORIES.includes(category)) throw new InvalidInsightSelectorsException(`Value ${category} for EventCategories is invalid.`);
    }
    if (type === 'ApiCallRateInsight' && !logged.write) {
      throw new InvalidInsightSelectorsException('ApiCallRateInsight requires the trail to log write management events.');
    }
    if (type === 'ApiErrorRateInsight' && !logged.read && !logged.write) {
      throw new InvalidInsightSelectorsException('ApiErrorRateInsight requires the trail to log management events.');
    }
  }
}

/** PutInsightSelectors: sets (or, with an empty list, turns off) the trail's Insights types. */
export const putInsightSelectors: Handler<PutInsightSelectorsCommandInput, Out<PutInsightSelectorsCommandOutput>> = async (input, ctx) => {
  const trail = await getTrailForUpdate(ctx.tx, ctx.scope, trailSource(input));
  const selectors = (input.InsightSelectors ?? []).map((s) => ({ InsightType: s.InsightType, ...(s.EventCategories ? { EventCategories: [...s.EventCategories] } : {}) }));
  checkInsightSelectors(trail, selectors);
  const { insightSelectors: _old, ...rest } = trail;
  const updated: TrailDocument = { ...rest, hasInsightSelectors: selectors.length > 0, ...(selectors.length > 0 ? { insightSelectors: selectors } : {}) };
  await saveTrail(ctx.tx, updated);
  await noteTrailChange(ctx, updated);
  return { TrailARN: arnOf(updated), InsightSelectors: selectors };
};

/** GetInsightSelectors: the trail's Insights types; InsightNotEnabledException when it has none. */
export const getInsightSelectors: Handler<GetInsightSelectorsCommandInput, Out<GetInsightSelectorsCommandOutput>> = async (input, ctx) => {
  const trail = await getTrail(ctx.tx, ctx.scope, trailSource(input));
  if (!trail.insightSelectors?.length) throw new InsightNotEnabledException(arnOf(trail));
  return { TrailARN: arnOf(trail), InsightSelectors: [...trail.insightSelectors] };
};
