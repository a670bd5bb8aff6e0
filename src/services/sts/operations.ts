/**
 * @module
 * AWS Security Token Service (awsQuery).
 */
import { loadModel } from '../../protocol/model.js';
import type { ServiceDefinition } from '../service.js';
import { getCallerIdentity } from './get-caller-identity.js';

/** The STS service definition. */
export function stsService(): ServiceDefinition {
  return {
    model: loadModel('sts'),
    eventSource: 'sts.amazonaws.com',
    errorStyle: 'query',
    operations: {
      GetCallerIdentity: { handler: getCallerIdentity, readOnly: true, unauthorized: true },
    },
  };
}
