/**
 * @module
 * Instance metadata service options (IMDS): checked as RunInstances and
 * ModifyInstanceMetadataOptions take them; ModifyInstanceMetadataOptions itself.
 */
import type {
  InstanceMetadataOptionsRequest, InstanceMetadataOptionsResponse, ModifyInstanceMetadataOptionsCommandInput,
  ModifyInstanceMetadataOptionsCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, Out } from '../service.js';
import { InvalidParameterValue } from './errors.js';
import { INSTANCES, checkInstanceIds } from './instance-kind.js';
import { getResource, saveResource } from './resources.js';

/** The options of a new instance when none are given (IMDSv1 allowed, as the API's defaults have it). */
export const DEFAULT_METADATA_OPTIONS: InstanceMetadataOptionsResponse = {
  State: 'applied', HttpTokens: 'optional', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled', HttpProtocolIpv6: 'disabled', InstanceMetadataTags: 'disabled',
};

function oneOf<T extends string>(parameter: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw InvalidParameterValue.of(parameter, value);
  return value as T;
}

/** Options with a request's changes applied (each checked). */
export function applyMetadataOptions(current: InstanceMetadataOptionsResponse, request: InstanceMetadataOptionsRequest | undefined): InstanceMetadataOptionsResponse {
  if (!request) return current;
  const hops = request.HttpPutResponseHopLimit;
  if (hops !== undefined && (!Number.isInteger(hops) || hops < 1 || hops > 64)) {
    throw InvalidParameterValue.of('httpPutResponseHopLimit', hops, 'Valid values are integers from 1 through 64.');
  }
  return {
    ...current,
    HttpTokens: oneOf('httpTokens', request.HttpTokens, ['optional', 'required']) ?? current.HttpTokens,
    HttpPutResponseHopLimit: hops ?? current.HttpPutResponseHopLimit,
    HttpEndpoint: oneOf('httpEndpoint', request.HttpEndpoint, ['enabled', 'disabled']) ?? current.HttpEndpoint,
    HttpProtocolIpv6: oneOf('httpProtocolIpv6', request.HttpProtocolIpv6, ['enabled', 'disabled']) ?? current.HttpProtocolIpv6,
    InstanceMetadataTags: oneOf('instanceMetadataTags', request.InstanceMetadataTags, ['enabled', 'disabled']) ?? current.InstanceMetadataTags,
  };
}

/** ModifyInstanceMetadataOptions: IMDS settings of an instance that is not terminated; the answer shows them pending. */
export const modifyInstanceMetadataOptions: Handler<ModifyInstanceMetadataOptionsCommandInput, Out<ModifyInstanceMetadataOptionsCommandOutput>> = async (input, ctx) => {
  checkInstanceIds([input.InstanceId ?? '']);
  const instance = await getResource(ctx, INSTANCES, input.InstanceId ?? '');
  if (instance.State.Name === 'terminated') {
    throw InvalidParameterValue.of('instanceId', instance.InstanceId, 'The instance is terminated.');
  }
  const options = applyMetadataOptions(instance.MetadataOptions ?? DEFAULT_METADATA_OPTIONS, input);
  await saveResource(ctx, INSTANCES, { ...instance, MetadataOptions: { ...options, State: 'applied' } });
  return { InstanceId: instance.InstanceId, InstanceMetadataOptions: { ...options, State: 'pending' } };
};
