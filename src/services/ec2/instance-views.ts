/**
 * @module
 * Instances as the API shows them: grouped into the reservations they were launched in.
 */
import type { Instance, Reservation } from '@aws-sdk/client-ec2';
import type { CallContext } from '../service.js';
import type { InstanceDoc } from './instance-kind.js';
import { asOutput } from './resources.js';

/** Instances grouped by reservation, in the order their reservations first appear. */
export function reservationsOf(ctx: Pick<CallContext, 'scope'>, instances: readonly InstanceDoc[]): Reservation[] {
  const reservations = new Map<string, Reservation & { Instances: Instance[] }>();
  for (const instance of instances) {
    let reservation = reservations.get(instance.$reservationId);
    if (!reservation) {
      reservation = { ReservationId: instance.$reservationId, OwnerId: ctx.scope.accountId, Groups: [], Instances: [] };
      reservations.set(instance.$reservationId, reservation);
    }
    reservation.Instances.push(asOutput<Instance>(instance));
  }
  return [...reservations.values()];
}
