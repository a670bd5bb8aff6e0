/**
 * @module
 * Amazon S3 Control (restXml under `/v20180820/`, the account in `x-amz-account-id`): account-level
 * Block Public Access. CloudTrail records these calls from s3.amazonaws.com, named
 * Put/Get/DeleteAccountPublicAccessBlock.
 */
import { loadModel } from '../../protocol/model.js';
import type { RecordDetails, RecordedCall, ServiceDefinition } from '../service.js';
import { additionalEventData, requestParameters } from '../s3/records.js';
import { deletePublicAccessBlock, getPublicAccessBlock, putPublicAccessBlock } from './account-public-access-block.js';

const EVENT_NAMES: Readonly<Record<string, string>> = {
  PutPublicAccessBlock: 'PutAccountPublicAccessBlock',
  GetPublicAccessBlock: 'GetAccountPublicAccessBlock',
  DeletePublicAccessBlock: 'DeleteAccountPublicAccessBlock',
};

async function recordDetails(call: RecordedCall): Promise<RecordDetails> {
  return {
    eventName: EVENT_NAMES[call.operation.name],
    requestParameters: requestParameters(call.operation, call.input, call.ctx.request.host),
    responseElements: null,
    additionalEventData: additionalEventData(call),
  };
}

/** The S3 Control service definition. */
export function s3ControlService(): ServiceDefinition {
  return {
    model: loadModel('s3control'),
    eventSource: 's3.amazonaws.com',
    errorStyle: 's3',
    recordDetails,
    operations: {
      PutPublicAccessBlock: { handler: putPublicAccessBlock, action: 's3:PutAccountPublicAccessBlock' },
      GetPublicAccessBlock: { handler: getPublicAccessBlock, action: 's3:GetAccountPublicAccessBlock' },
      DeletePublicAccessBlock: { handler: deletePublicAccessBlock, action: 's3:PutAccountPublicAccessBlock' },
    },
  };
}
