/**
 * @module
 * How EC2's CloudTrail records differ from the `ec2` audit style, as real records show: error codes
 * are `Client.<Code>` (`Server.<Code>` for faults); lists of ids and filters go by EC2's older
 * names (`instancesSet`, `filterSet` with `valueSet`...); RunInstances nests the image and counts
 * in `instancesSet`; responseElements start with the requestId and show `Return` as `_return`.
 */
import type { RecordDetails, RecordedCall } from '../service.js';

/** Renames of list members: the record's name, and the key of each item when it differs (`[]`: a plain array). */
type Renames = Readonly<Record<string, readonly [string, string?]>>;

const PLAIN = '[]';

/** Names every call's records use. */
const COMMON: Renames = {
  filter: ['filterSet'],
  tagSpecification: ['tagSpecificationSet'],
};

/** Nested renames: inside a renamed list's items. */
const NESTED: Readonly<Record<string, Renames>> = {
  filterSet: { value: ['valueSet'] },
  tagSpecificationSet: { tag: ['tags', PLAIN] },
};

const INSTANCE_IDS: Renames = { instanceId: ['instancesSet'] };

/** Per operation, the top-level renames. */
const OPERATIONS: Readonly<Record<string, Renames>> = {
  DescribeInstances: INSTANCE_IDS,
  StartInstances: INSTANCE_IDS,
  StopInstances: INSTANCE_IDS,
  TerminateInstances: INSTANCE_IDS,
  RebootInstances: INSTANCE_IDS,
  DescribeInstanceStatus: INSTANCE_IDS,
  DescribeVpcs: { vpcId: ['vpcSet'] },
  DescribeSubnets: { subnetId: ['subnetSet'] },
  DescribeSecurityGroups: { groupId: ['securityGroupIdSet'], groupName: ['securityGroupSet'] },
  DescribeVolumes: { volumeId: ['volumeSet'] },
  DescribeSnapshots: { snapshotId: ['snapshotSet'], owner: ['ownersSet'], restorableBy: ['sharedUsersSet', 'userId'] },
  DescribeAddresses: { publicIp: ['publicIpsSet'], allocationId: ['allocationIdsSet'] },
  DescribeKeyPairs: { keyName: ['keySet'], keyPairId: ['keyPairIdSet'] },
  DescribeRouteTables: { routeTableId: ['routeTableIdSet'] },
  DescribeNetworkAcls: { networkAclId: ['networkAclIdSet'] },
  DescribeInternetGateways: { internetGatewayId: ['internetGatewayIdSet'] },
  DescribeNetworkInterfaces: { networkInterfaceId: ['networkInterfaceIdSet'] },
  CreateTags: { resourceId: ['resourcesSet'], tag: ['tagSet'] },
  DeleteTags: { resourceId: ['resourcesSet'], tag: ['tagSet'] },
  RunInstances: { securityGroupId: ['groupSet', 'groupId'], networkInterface: ['networkInterfaceSet'] },
  CreateNetworkInterface: { securityGroupId: ['groupSet', 'groupId'] },
  ModifyInstanceAttribute: { groupId: ['groupSet'] },
};

/** What RunInstances records inside `instancesSet` rather than at the top. */
const LAUNCH_ITEM = ['imageId', 'minCount', 'maxCount', 'keyName'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function renameItems(items: unknown, from: string, to: string): unknown {
  if (!isRecord(items)) return items;
  const list = Array.isArray(items.items) ? items.items : [];
  if (to === PLAIN) return list;
  return list.length ? { items: list.map((item) => (isRecord(item) && from in item ? { [to]: item[from] } : item)) } : {};
}

function rename(value: unknown, renames: Renames): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const [name, itemKey] = renames[key] ?? COMMON[key] ?? [key];
    let converted = itemKey ? renameItems(inner, key, itemKey) : inner;
    const nested = NESTED[name];
    if (nested && isRecord(converted) && Array.isArray(converted.items)) {
      converted = { items: converted.items.map((item) => rename(item, nested)) };
    }
    out[name] = converted;
  }
  return out;
}

/** How EC2's records differ from the ec2 audit style: `Client.` error codes, AWS's request names, requestId and `_return`. */
export async function ec2RecordDetails(call: RecordedCall): Promise<RecordDetails> {
  const { error, operation, requestParameters, responseElements } = call;
  return {
    errorCode: error && `${error.senderFault ? 'Client' : 'Server'}.${error.code}`,
    requestParameters: ec2RequestParameters(operation.name, requestParameters),
    responseElements: responseElements === null ? null : ec2ResponseElements(responseElements, call.ctx.requestId),
  };
}

function ec2RequestParameters(operation: string, parameters: unknown): unknown {
  if (!isRecord(parameters)) return parameters;
  const renamed = rename(parameters, OPERATIONS[operation] ?? {}) as Record<string, unknown>;
  if (operation !== 'RunInstances') return renamed;
  const launch: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(renamed)) (LAUNCH_ITEM.includes(key) ? launch : rest)[key] = value;
  return { instancesSet: { items: [launch] }, ...rest };
}

function ec2ResponseElements(elements: unknown, requestId: string): unknown {
  const out: Record<string, unknown> = { requestId };
  if (!isRecord(elements) || Object.keys(elements).length === 0) return { ...out, _return: true };
  for (const [key, value] of Object.entries(elements)) out[key === 'return' ? '_return' : key] = value;
  return out;
}
