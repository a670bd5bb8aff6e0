/**
 * @module
 * AWS Security Token Service (awsQuery): GetCallerIdentity, AssumeRole, GetSessionToken.
 */
import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { loadModel } from '../../protocol/model.js';
import type { ServiceDefinition } from '../service.js';
import { assumeRole, assumeRoleConditions, checkAssumeRoleInput } from './assume-role.js';
import { getCallerIdentity } from './get-caller-identity.js';
import { getSessionToken } from './session-token.js';

/** The STS service definition. */
export function stsService(): ServiceDefinition {
  return {
    model: loadModel('sts'),
    eventSource: 'sts.amazonaws.com',
    errorStyle: 'query',
    operations: {
      AssumeRole: {
        handler: assumeRole,
        prepare: checkAssumeRoleInput,
        readOnly: true,
        recordResponse: true,
        resources: (input: AssumeRoleCommandInput) => [input.RoleArn ?? '*'],
        conditions: assumeRoleConditions,
      },
      GetCallerIdentity: { handler: getCallerIdentity, readOnly: true, unauthorized: true },
      GetSessionToken: { handler: getSessionToken, readOnly: true, recordResponse: true, unauthorized: true },
    },
  };
}
