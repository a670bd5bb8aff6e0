/**
 * @module
 * Trail delivery's clock: a single loop that, a few times per delivery interval, delivers each
 * buffer that is due (its oldest record has waited the interval, or it holds a large file's
 * worth) and each digest that is due. Failed streams back off (doubling, up to the interval) so
 * that a deleted bucket is retried without flooding the audit log with failed PutObject calls.
 */
import type { BackgroundWork, ServiceEnvironment } from '../service.js';
import { cloudWatchLogsSubscriber } from './cloudwatch-logs-delivery.js';
import { allDigestChains } from './delivery-state.js';
import { deliverDigest } from './digest-delivery.js';
import { deliverLogFile, LARGE_FILE_BYTES, type DeliveryOutcome } from './log-delivery.js';
import { trailSelectionSubscriber } from './trail-selection.js';

/** Retry state of a stream that failed. */
interface Backoff {
  readonly until: number;
  readonly delay: number;
}

/** Runs trail delivery: the selection and CloudWatch Logs subscribers, and the delivery loop. */
export class TrailDelivery implements BackgroundWork {
  readonly subscribers;
  readonly #env: ServiceEnvironment;
  readonly #deliveryMs: number;
  readonly #digestMs: number;
  readonly #backoff = new Map<string, Backoff>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(env: ServiceEnvironment) {
    this.#env = env;
    this.#deliveryMs = env.settings.trailDeliveryIntervalSeconds * 1000;
    this.#digestMs = env.settings.digestIntervalSeconds * 1000;
    this.subscribers = [trailSelectionSubscriber(env.store, env.clock), cloudWatchLogsSubscriber(env)];
  }

  /** Starts ticking. */
  start(): void {
    const tickMs = Math.max(100, Math.min(1000, Math.min(this.#deliveryMs, this.#digestMs) / 4));
    this.#timer = setInterval(() => void this.tick(), tickMs);
    this.#timer.unref();
  }

  /** Stops ticking and waits for the tick in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Delivers whatever is due (one tick at a time). */
  tick(): Promise<void> {
    this.#running ??= this.#tick().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #tick(): Promise<void> {
    try {
      const now = this.#env.clock.now();
      const pending = await this.#env.store.read((tx) => tx.trailBuffers.pending());
      for (const stream of pending) {
        if (now - stream.oldestAddedAt < this.#deliveryMs && stream.bytes < LARGE_FILE_BYTES) continue;
        await this.#attempt(`log\n${stream.accountId}\n${stream.region}\n${stream.trailArn}`, now, () => deliverLogFile(this.#env, stream));
      }
      for (const chain of await this.#env.store.read((tx) => allDigestChains(tx))) {
        await this.#attempt(`digest\n${chain.region}\n${chain.trailArn}`, now, () => deliverDigest(this.#env, chain, this.#digestMs));
      }
    } catch (error) {
      this.#env.logger.warn({ err: error }, 'trail delivery tick failed; will retry');
    }
  }

  async #attempt(id: string, now: number, deliver: () => Promise<DeliveryOutcome>): Promise<void> {
    const backoff = this.#backoff.get(id);
    if (backoff && now < backoff.until) return;
    const outcome = await deliver();
    if (outcome !== 'failed') {
      this.#backoff.delete(id);
      return;
    }
    const delay = Math.min(this.#deliveryMs, backoff ? backoff.delay * 2 : 1000);
    this.#backoff.set(id, { until: now + delay, delay });
  }
}
