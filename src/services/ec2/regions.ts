/**
 * @module
 * What an account sees of EC2's geography and limits: DescribeRegions, DescribeAvailabilityZones,
 * DescribeAccountAttributes. Tools (the CLI's waiters, Terraform) call these before anything else.
 */
import type {
  AvailabilityZone, DescribeAccountAttributesCommandInput, DescribeAccountAttributesCommandOutput, DescribeAvailabilityZonesCommandInput,
  DescribeAvailabilityZonesCommandOutput, DescribeRegionsCommandInput, DescribeRegionsCommandOutput, Filter, Region,
} from '@aws-sdk/client-ec2';
import type { Handler, Out } from '../service.js';
import { accountSettings } from './account-settings.js';
import { InvalidParameterValue } from './errors.js';
import { matchesWildcard } from './wildcards.js';
import { regionZones, zoneId } from './zones.js';

/** The regions enabled for every account. */
const REGIONS = [
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1', 'eu-central-1',
  'eu-north-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
];

/** Keeps the items whose named values match every filter. */
function filtered<T>(items: T[], filters: readonly Filter[] | undefined, fields: Record<string, (item: T) => string | undefined>): T[] {
  for (const filter of filters ?? []) {
    const read = fields[filter.Name ?? ''];
    if (!read) throw new InvalidParameterValue(`The filter '${filter.Name}' is invalid`);
  }
  return items.filter((item) => (filters ?? []).every((f) => f.Values?.some((v) => matchesWildcard(v, fields[f.Name!]!(item) ?? ''))));
}

/** DescribeRegions: the regions, with their EC2 endpoints. */
export const describeRegions: Handler<DescribeRegionsCommandInput, Out<DescribeRegionsCommandOutput>> = async (input) => {
  const names = input.RegionNames ?? [];
  const unknown = names.find((n) => !REGIONS.includes(n));
  if (unknown) throw new InvalidParameterValue(`Invalid region: ${unknown}`);
  const regions: Region[] = REGIONS.filter((r) => !names.length || names.includes(r))
    .map((r) => ({ RegionName: r, Endpoint: `ec2.${r}.amazonaws.com`, OptInStatus: 'opt-in-not-required' }));
  return { Regions: filtered(regions, input.Filters, { 'region-name': (r) => r.RegionName, 'endpoint': (r) => r.Endpoint, 'opt-in-status': (r) => r.OptInStatus }) };
};

/** DescribeAvailabilityZones: the zones of the caller's region. */
export const describeAvailabilityZones: Handler<DescribeAvailabilityZonesCommandInput, Out<DescribeAvailabilityZonesCommandOutput>> = async (input, ctx) => {
  const region = ctx.scope.region;
  const zones: AvailabilityZone[] = regionZones(region).map((zone) => ({
    State: 'available', OptInStatus: 'opt-in-not-required', Messages: [], RegionName: region, ZoneName: zone, ZoneId: zoneId(zone),
    GroupName: region, NetworkBorderGroup: region, ZoneType: 'availability-zone',
  }));
  for (const name of input.ZoneNames ?? []) if (!zones.some((z) => z.ZoneName === name)) throw new InvalidParameterValue(`Invalid availability zone: [${name}]`);
  const selected = zones.filter((z) => (!input.ZoneNames?.length || input.ZoneNames.includes(z.ZoneName!)) && (!input.ZoneIds?.length || input.ZoneIds.includes(z.ZoneId!)));
  return {
    AvailabilityZones: filtered(selected, input.Filters, {
      'zone-name': (z) => z.ZoneName, 'zone-id': (z) => z.ZoneId, 'state': (z) => z.State, 'region-name': (z) => z.RegionName,
      'zone-type': (z) => z.ZoneType, 'group-name': (z) => z.GroupName, 'opt-in-status': (z) => z.OptInStatus,
    }),
  };
};

/** DescribeAccountAttributes: platforms, the default VPC and the account's limits in the region. */
export const describeAccountAttributes: Handler<DescribeAccountAttributesCommandInput, Out<DescribeAccountAttributesCommandOutput>> = async (input, ctx) => {
  const settings = await accountSettings(ctx);
  const attributes: Record<string, string[]> = {
    'supported-platforms': ['VPC'],
    'default-vpc': [settings.defaultVpcId ?? 'none'],
    'max-instances': ['20'],
    'vpc-max-security-groups-per-interface': ['5'],
    'max-elastic-ips': ['5'],
    'vpc-max-elastic-ips': ['5'],
  };
  const names = input.AttributeNames?.length ? input.AttributeNames : Object.keys(attributes);
  return {
    AccountAttributes: names.map((name) => {
      const values = attributes[name];
      if (!values) throw InvalidParameterValue.of('attributeName', name);
      return { AttributeName: name, AttributeValues: values.map((AttributeValue) => ({ AttributeValue })) };
    }),
  };
};
