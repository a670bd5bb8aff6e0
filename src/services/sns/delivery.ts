/**
 * @module
 * HTTP/S delivery, off the request path and durable:
 *  1. an outbox subscriber copies each call's queued deliveries into SNS's delivery queue
 *     (`tx.snsDeliveries`, one row per message and subscription) and wakes the loop;
 *  2. the loop claims due rows (leasing them, so a crash only delays them), signs each message and
 *     POSTs it to its endpoint, at most 64 at once and 4 per subscription, so a slow or dead
 *     endpoint holds up only its own messages;
 *  3. each outcome is recorded on the row: delivered; or pending again after the delay its retry
 *     policy gives (immediate retries, then min delay, backoff, max delay); or, once the policy is
 *     exhausted, failed, with the last error.
 * A 2xx answer within 15 seconds is a delivery. On stop, attempts under way are abandoned and their
 * rows left due at once; after a restart the loop takes up where it was.
 */
import type { Logger } from '../../core/logger.js';
import type { OutboxSubscriber } from '../../server/dispatcher.js';
import type { SnsDelivery } from '../../store/types.js';
import type { BackgroundWork, ServiceEnvironment } from '../service.js';
import { retryDelayMs } from './delivery-policy.js';
import { SNS_DELIVERIES, type DeliveryPayload, type QueuedDeliveries } from './delivery-queue.js';
import { messageBody, signMessage, subscribeUrl, unsubscribeUrl, type EndpointMessage } from './messages.js';
import type { SnsSigningKey } from './signing-key.js';
import { parseSubscriptionArn, SUBSCRIPTION_KIND, type SubscriptionDocument } from './subscriptions.js';

const MAX_IN_FLIGHT = 64;
const PER_SUBSCRIPTION = 4;
const ATTEMPT_TIMEOUT_MS = 15_000;
const LEASE_MS = 60_000;
const MAX_IDLE_MS = 60_000;
const USER_AGENT = 'Amazon Simple Notification Service Agent';

/** What one attempt came to. */
type AttemptResult = { ok: true } | { ok: false; error: string } | { abandoned: true };

/** Whether the message may still go to the subscription: notifications need it confirmed and live. */
function deliverable(subscription: SubscriptionDocument | undefined, type: EndpointMessage['Type']): string | undefined {
  if (!subscription) return 'the subscription no longer exists';
  if (type === 'UnsubscribeConfirmation') return undefined;
  if (subscription.deletedAt !== undefined) return 'the subscription was deleted';
  if (type === 'Notification' && subscription.pendingConfirmation) return 'the subscription is not confirmed';
  return undefined;
}

/** The request an attempt sends: the signed JSON document (or the raw message) and SNS's headers. */
async function request(payload: DeliveryPayload, subscriptionArn: string, publicUrl: string, key: SnsSigningKey) {
  const base = payload.message;
  const message: EndpointMessage = base.Type === 'Notification'
    ? { ...base, UnsubscribeURL: unsubscribeUrl(publicUrl, subscriptionArn) }
    : { ...base, SubscribeURL: subscribeUrl(publicUrl, base.TopicArn, base.Token ?? '') };
  const body = payload.raw
    ? message.Message
    : messageBody(message, {
        version: payload.signatureVersion,
        value: signMessage(message, payload.signatureVersion, key.privateKey),
        certUrl: `${publicUrl}${key.certificatePath}`,
      });
  const headers: Record<string, string> = {
    'content-type': payload.contentType,
    'user-agent': USER_AGENT,
    'x-amz-sns-message-type': message.Type,
    'x-amz-sns-message-id': message.MessageId,
    'x-amz-sns-topic-arn': message.TopicArn,
    'x-amz-sns-subscription-arn': subscriptionArn,
  };
  if (payload.raw) headers['x-amz-sns-rawdelivery'] = 'true';
  return { body, headers };
}

async function post(endpoint: string, body: string, headers: Record<string, string>, stop: AbortSignal): Promise<AttemptResult> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.any([stop, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
    });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 300 ? { ok: true } : { ok: false, error: `HTTP ${response.status}` };
  } catch (error) {
    if (stop.aborted) return { abandoned: true };
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') return { ok: false, error: `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} seconds` };
    return { ok: false, error: e.cause?.code ?? e.cause?.message ?? e.message };
  }
}

/** The delivery loop and the outbox subscriber that feeds it. */
class DeliveryLoop {
  readonly #env: ServiceEnvironment;
  readonly #log: Logger;
  readonly #signingKey: () => Promise<SnsSigningKey>;
  readonly #stop = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #perSubscription = new Map<string, number>();
  #wake: (() => void) | undefined;
  #woken = false;
  #running: Promise<void> | undefined;

  constructor(env: ServiceEnvironment, signingKey: () => Promise<SnsSigningKey>) {
    this.#env = env;
    this.#log = env.logger;
    this.#signingKey = signingKey;
  }

  readonly subscriber: OutboxSubscriber = {
    name: 'sns-delivery',
    feed: 'outbox',
    handle: async (entries) => {
      const queued = entries.filter((e) => e.kind === SNS_DELIVERIES);
      if (queued.length === 0) return;
      await this.#env.store.transaction(async (tx) => {
        for (const entry of queued) {
          const scope = { accountId: entry.accountId, region: entry.region };
          for (const d of (entry.payload as QueuedDeliveries).deliveries) {
            await tx.snsDeliveries.add(scope, { id: d.id, subscriptionArn: d.subscriptionArn, dueAt: entry.createdAt, createdAt: entry.createdAt, payload: d.payload });
          }
        }
      });
      this.wake();
    },
  };

  start(): void {
    this.#running ??= this.#run().catch((error: unknown) => this.#log.error({ err: error }, 'SNS delivery loop stopped'));
  }

  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.wake();
    await this.#running;
    await Promise.all([...this.#inFlight]);
  }

  async #run(): Promise<void> {
    const { store, clock } = this.#env;
    while (!this.#stop.signal.aborted) {
      this.#woken = false;
      const busy = [...this.#perSubscription].filter(([, n]) => n >= PER_SUBSCRIPTION).map(([arn]) => arn);
      const capacity = MAX_IN_FLIGHT - this.#inFlight.size;
      if (capacity > 0) {
        const now = clock.now();
        let claimed: SnsDelivery[] = [];
        try {
          claimed = await store.transaction((tx) => tx.snsDeliveries.claim(now, capacity, now + LEASE_MS, busy));
        } catch (error) {
          this.#log.warn({ err: error }, 'SNS delivery could not claim deliveries; will retry');
        }
        for (const delivery of claimed) this.#begin(delivery);
        if (claimed.length === capacity) continue;
      }
      const next = capacity > 0 ? await store.read((tx) => tx.snsDeliveries.nextDue(busy)).catch(() => undefined) : undefined;
      const wait = next === undefined ? MAX_IDLE_MS : Math.min(next - clock.now(), MAX_IDLE_MS);
      if (!this.#woken && wait > 0) await this.#sleep(wait);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#wake?.(), ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  #begin(delivery: SnsDelivery): void {
    const arn = delivery.subscriptionArn;
    this.#perSubscription.set(arn, (this.#perSubscription.get(arn) ?? 0) + 1);
    const attempt = this.#attempt(delivery)
      .catch((error: unknown) => this.#log.error({ err: error, deliveryId: delivery.id }, 'SNS delivery attempt failed unexpectedly'))
      .finally(() => {
        this.#inFlight.delete(attempt);
        const left = (this.#perSubscription.get(arn) ?? 1) - 1;
        if (left > 0) this.#perSubscription.set(arn, left);
        else this.#perSubscription.delete(arn);
        this.wake();
      });
    this.#inFlight.add(attempt);
  }

  async #attempt(delivery: SnsDelivery): Promise<void> {
    const { store, clock } = this.#env;
    const payload = delivery.payload as DeliveryPayload;
    const address = parseSubscriptionArn(delivery.subscriptionArn);
    const subscription = address && await store.read((tx) => tx.documents.get<SubscriptionDocument>(address.scope, SUBSCRIPTION_KIND, address.docId));
    const refused = deliverable(subscription, payload.message.Type);
    let result: AttemptResult;
    if (refused) {
      result = { ok: false, error: refused };
    } else {
      const { body, headers } = await request(payload, delivery.subscriptionArn, this.#env.publicUrl(), await this.#signingKey());
      result = await post(payload.endpoint, body, headers, this.#stop.signal);
    }
    const now = clock.now();
    if ('abandoned' in result) {
      await store.transaction((tx) => tx.snsDeliveries.settle(delivery.id, { state: 'pending', attempts: delivery.attempts, dueAt: now, updatedAt: now }));
      return;
    }
    const attempts = delivery.attempts + 1;
    if (result.ok) {
      await store.transaction((tx) => tx.snsDeliveries.settle(delivery.id, { state: 'delivered', attempts, dueAt: now, updatedAt: now }));
      return;
    }
    const delay = refused ? undefined : retryDelayMs(payload.retry, attempts);
    const context = { subscriptionArn: delivery.subscriptionArn, messageId: payload.message.MessageId, attempts, error: result.error };
    if (delay === undefined) this.#log.warn(context, 'SNS delivery given up');
    else this.#log.debug(context, 'SNS delivery failed; will retry');
    await store.transaction((tx) => tx.snsDeliveries.settle(delivery.id, {
      state: delay === undefined ? 'failed' : 'pending', attempts, dueAt: now + (delay ?? 0), updatedAt: now, lastError: result.error,
    }));
  }
}

/** SNS's background work: delivery of queued messages to HTTP/S endpoints. */
export function snsDelivery(env: ServiceEnvironment, signingKey: () => Promise<SnsSigningKey>): BackgroundWork {
  const loop = new DeliveryLoop(env, signingKey);
  return {
    subscribers: [loop.subscriber],
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}
