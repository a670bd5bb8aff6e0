/**
 * @module
 * EC2's errors, with AWS's codes and messages (from real responses and CloudTrail records where
 * we have them). EC2 answers every client error with HTTP 400, except DryRunOperation (412).
 */
import { ServiceError } from '../../core/errors.js';

/** A call with DryRun=true that would have succeeded. */
export class DryRunOperation extends ServiceError {
  constructor() {
    super('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', { status: 412 });
  }
}

/** A required parameter that is missing; `name` is its wire name. */
export class MissingParameter extends ServiceError {
  constructor(name: string) {
    super('MissingParameter', `The request must contain the parameter ${name}`);
  }
}

/** A parameter value EC2 does not accept. */
export class InvalidParameterValue extends ServiceError {
  constructor(message: string) {
    super('InvalidParameterValue', message);
  }

  /** EC2's usual wording: `Value (x) for parameter name is invalid. reason`. */
  static of(parameter: string, value: unknown, reason?: string): InvalidParameterValue {
    return new InvalidParameterValue(`Value (${String(value)}) for parameter ${parameter} is invalid.${reason ? ` ${reason}` : ''}`);
  }
}

/** Parameters that cannot be used together. */
export class InvalidParameterCombination extends ServiceError {
  constructor(message: string) {
    super('InvalidParameterCombination', message);
  }
}

/** A parameter that needs another one. */
export class InvalidParameterDependency extends ServiceError {
  constructor(parameter: string, needed: string) {
    super('InvalidParameterDependency', `The parameter ${parameter} requires the parameter ${needed} to be set.`);
  }
}

/** A NextToken this query did not issue. */
export class InvalidNextToken extends ServiceError {
  constructor(token: string) {
    super('InvalidNextToken', `The token '${token}' is invalid`);
  }
}

/** A resource id of no kind EC2 knows (CreateTags, DeleteTags). */
export class InvalidId extends ServiceError {
  constructor(id: string) {
    super('InvalidID', `The ID '${id}' is not valid`);
  }
}

/** An id that is not in the form of its kind (`Invalid id: "x"`, with the expected prefix for some kinds). */
export class MalformedId extends ServiceError {
  constructor(code: string, id: string, expecting?: string) {
    super(code, `Invalid id: "${id}"${expecting ? ` (expecting "${expecting}-...")` : ''}`);
  }
}

/** Ids that name nothing: `The instance ID 'i-1' does not exist`, `The instance IDs 'i-1, i-2' do not exist`. */
export class ResourceNotFound extends ServiceError {
  constructor(code: string, noun: string, ids: readonly string[], period = false) {
    const message = ids.length === 1 ? `The ${noun} '${ids[0]}' does not exist` : `The ${noun}s '${ids.join(', ')}' do not exist`;
    super(code, period ? `${message}.` : message);
  }
}

/** A security group that does not exist (in a VPC, or the default VPC, when one is given). */
export class InvalidGroupNotFound extends ServiceError {
  constructor(group: string, vpc?: { id: string; isDefault?: boolean }) {
    const where = vpc ? ` in ${vpc.isDefault ? 'default ' : ''}VPC '${vpc.id}'` : '';
    super('InvalidGroup.NotFound', `The security group '${group}' does not exist${where}`);
  }
}

/** A security group name already used in the VPC. */
export class InvalidGroupDuplicate extends ServiceError {
  constructor(name: string, vpcId: string) {
    super('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
  }
}

/** CreateSecurityGroup with the name `default`. */
export class InvalidGroupReserved extends ServiceError {
  constructor(name: string) {
    super('InvalidGroup.Reserved', `The security group '${name}' is reserved`);
  }
}

/** A rule that the group already has. */
export class InvalidPermissionDuplicate extends ServiceError {
  constructor(rule: string) {
    super('InvalidPermission.Duplicate', `the specified rule "${rule}" already exists`);
  }
}

/** A rule to revoke that the group does not have. */
export class InvalidPermissionNotFound extends ServiceError {
  constructor() {
    super('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
  }
}

/** A resource that others still depend on. */
export class DependencyViolation extends ServiceError {
  constructor(message: string) {
    super('DependencyViolation', message);
  }

  /** `The vpc 'vpc-1' has dependencies and cannot be deleted.` */
  static of(noun: string, id: string): DependencyViolation {
    return new DependencyViolation(`The ${noun} '${id}' has dependencies and cannot be deleted.`);
  }
}

/** A default resource that users may not delete (the default security group). */
export class CannotDelete extends ServiceError {
  constructor(groupId: string, name: string) {
    super('CannotDelete', `the specified group: "${groupId}" name: "${name}" cannot be deleted by a user`);
  }
}

/** An operation on a resource in a state that does not allow it. */
export class IncorrectState extends ServiceError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** An operation a resource's settings forbid (termination protection...). */
export class OperationNotPermitted extends ServiceError {
  constructor(message: string) {
    super('OperationNotPermitted', message);
  }
}

/** A CIDR block outside what a VPC or subnet may use. */
export class InvalidRange extends ServiceError {
  constructor(code: 'InvalidVpc.Range' | 'InvalidSubnet.Range', cidr: string) {
    super(code, `The CIDR '${cidr}' is invalid.`);
  }
}

/** A subnet CIDR that overlaps another subnet of the VPC. */
export class InvalidSubnetConflict extends ServiceError {
  constructor(cidr: string) {
    super('InvalidSubnet.Conflict', `The CIDR '${cidr}' conflicts with another subnet`);
  }
}

/** A subnet without enough free addresses. */
export class InsufficientFreeAddressesInSubnet extends ServiceError {
  constructor(subnetId: string) {
    super('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnetId}' to satisfy the requested number of instances.`);
  }
}

/** A launch without a subnet in a region whose default VPC is gone. */
export class VpcIdNotSpecified extends ServiceError {
  constructor() {
    super('VPCIdNotSpecified', 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.');
  }
}

/** A second default VPC. */
export class DefaultVpcAlreadyExists extends ServiceError {
  constructor() {
    super('DefaultVpcAlreadyExists', 'A Default VPC already exists for this account in this region.');
  }
}

/** A route that the table already has. */
export class RouteAlreadyExists extends ServiceError {
  constructor(destination: string) {
    super('RouteAlreadyExists', `The route identified by ${destination} already exists.`);
  }
}

/** A route that the table does not have. */
export class InvalidRouteNotFound extends ServiceError {
  constructor(destination: string, routeTableId: string) {
    super('InvalidRoute.NotFound', `no route with destination-cidr-block ${destination} in route table ${routeTableId}`);
  }
}

/** A network ACL entry number already used in that direction. */
export class NetworkAclEntryAlreadyExists extends ServiceError {
  constructor(ruleNumber: number) {
    super('NetworkAclEntryAlreadyExists', `The network acl entry identified by ${ruleNumber} already exists.`);
  }
}

/** A network ACL entry that does not exist. */
export class InvalidNetworkAclEntryNotFound extends ServiceError {
  constructor(ruleNumber: number, egress: boolean, aclId: string) {
    super('InvalidNetworkAclEntry.NotFound', `The specified rule does not exist in this network acl: ${ruleNumber} ${egress ? 'egress' : 'ingress'} ${aclId}`);
  }
}

/** A gateway that is already attached, or not attached where it should be. */
export class GatewayAttachmentError extends ServiceError {
  constructor(code: 'Resource.AlreadyAssociated' | 'Gateway.NotAttached', message: string) {
    super(code, message);
  }
}

/** A key pair name already in use. */
export class InvalidKeyPairDuplicate extends ServiceError {
  constructor(name: string) {
    super('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`);
  }
}

/** Public key material that is not an OpenSSH public key. */
export class InvalidKeyFormat extends ServiceError {
  constructor() {
    super('InvalidKey.Format', 'Key is not in valid OpenSSH public key format');
  }
}

/** A volume that is attached, where the call needs it free. */
export class VolumeInUse extends ServiceError {
  constructor(message: string) {
    super('VolumeInUse', message);
  }
}

/** A volume to detach that is not attached (to that instance). */
export class InvalidAttachmentNotFound extends ServiceError {
  constructor(message: string) {
    super('InvalidAttachment.NotFound', message);
  }
}

/** Too many tags on one resource. */
export class TagLimitExceeded extends ServiceError {
  constructor() {
    super('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
  }
}

/** A quota reached (VPCs per region, rules per group...). */
export class LimitExceeded extends ServiceError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** A private address asked for that an interface already has. */
export class InvalidIpAddressInUse extends ServiceError {
  constructor(address: string) {
    super('InvalidIPAddress.InUse', `Address ${address} is in use.`);
  }
}

/** A client error EC2 reports under a code of its own (MissingInput, InvalidInput, ...). */
export class Ec2Error extends ServiceError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}
