/**
 * @module
 * The store repository of SNS deliveries waiting, done or given up; part of the store contract (see ../types.ts).
 */
import type { Scope } from '../../core/scope.js';

/** The state of an SNS delivery: waiting for its next attempt, done, or given up. */
export type SnsDeliveryState = 'pending' | 'delivered' | 'failed';

/** An SNS message to deliver to one subscription's endpoint, with its attempts and schedule. */
export interface SnsDelivery {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly subscriptionArn: string;
  readonly state: SnsDeliveryState;
  /** Attempts made so far. */
  readonly attempts: number;
  /** When a pending delivery is next due, ms; a claimed delivery is leased until then. */
  readonly dueAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Why the last attempt failed. */
  readonly lastError?: string;
  /** The message and how to send it, as SNS defines them. */
  readonly payload: unknown;
}

/** A delivery to queue. */
export interface NewSnsDelivery {
  readonly id: string;
  readonly subscriptionArn: string;
  readonly dueAt: number;
  readonly createdAt: number;
  readonly payload: unknown;
}

/** What an attempt at a delivery came to. */
export interface SnsDeliveryOutcome {
  readonly state: SnsDeliveryState;
  readonly attempts: number;
  /** The next attempt's due time, for a delivery still pending. */
  readonly dueAt: number;
  readonly updatedAt: number;
  readonly lastError?: string;
}

/**
 * SNS's delivery queue: one row per message and subscription, kept after it is settled as the
 * record of what was delivered or given up. Claims span all scopes (one delivery loop serves all).
 */
export interface SnsDeliveries {
  /** Queues a delivery; false, changing nothing, when one with its id exists (a re-read outbox entry). */
  add(scope: Scope, delivery: NewSnsDelivery): Promise<boolean>;
  /**
   * Claims up to `limit` pending deliveries due at `now`, earliest first, except those of the
   * subscriptions named: each is leased, its due time set to `leaseUntil`, so that one a stopped
   * process had claimed is tried again when its lease ends.
   */
  claim(now: number, limit: number, leaseUntil: number, skipSubscriptions?: readonly string[]): Promise<SnsDelivery[]>;
  /** Records the outcome of an attempt. */
  settle(id: string, outcome: SnsDeliveryOutcome): Promise<void>;
  /** The earliest due time of the pending deliveries, except those of the subscriptions named; undefined when there is none. */
  nextDue(skipSubscriptions?: readonly string[]): Promise<number | undefined>;
  /** A subscription's deliveries, oldest first. */
  list(scope: Scope, subscriptionArn: string, limit?: number): Promise<SnsDelivery[]>;
}
