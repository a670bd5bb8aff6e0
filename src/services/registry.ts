/**
 * @module
 * The services this server runs. Add a service by adding its definition here.
 */
import type { ServiceDefinition } from './service.js';
import { cloudtrailService } from './cloudtrail/operations.js';
import { stsService } from './sts/operations.js';

/** Every service definition, built once per server. */
export function allServices(): ServiceDefinition[] {
  return [cloudtrailService(), stsService()];
}
