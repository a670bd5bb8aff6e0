/**
 * @module
 * The services this server runs. Add a service by adding its definition here; every other
 * model Custos carries is served by a placeholder that answers NotImplemented (and is audited).
 */
import { readdirSync } from 'node:fs';
import type { ErrorStyle } from '../auth/errors.js';
import { loadModel } from '../protocol/model.js';
import type { ServiceDefinition } from './service.js';
import { cloudtrailService } from './cloudtrail/operations.js';
import { ec2Service } from './ec2/operations.js';
import { iamService } from './iam/operations.js';
import { kmsService } from './kms/operations.js';
import { s3Service } from './s3/operations.js';
import { s3ControlService } from './s3control/operations.js';
import { snsService } from './sns/operations.js';
import { stsService } from './sts/operations.js';
import { logsService } from './logs/operations.js';
import { monitoringService } from './monitoring/operations.js';

const STYLES: Record<string, ErrorStyle> = { json: 'json', query: 'query', ec2: 'ec2', 'rest-xml': 's3', 'rest-json': 'rest-json' };

/** A service with a model and no operations yet. */
function placeholder(id: string): ServiceDefinition {
  const model = loadModel(id);
  return {
    model,
    eventSource: `${model.metadata.signingName ?? id}.amazonaws.com`,
    errorStyle: STYLES[model.metadata.protocol] ?? 'json',
    operations: {},
  };
}

/** Every service definition, built once per server. */
export function allServices(): ServiceDefinition[] {
  const services = [
    cloudtrailService(), stsService(), iamService(), ec2Service(), logsService(), monitoringService(), s3Service(), s3ControlService(),
    kmsService(), snsService(),
  ];
  const served = new Set(services.map((s) => s.model.id));
  const modelIds = readdirSync(new URL('../../models/', import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  return [...services, ...modelIds.filter((id) => !served.has(id)).sort().map(placeholder)];
}
