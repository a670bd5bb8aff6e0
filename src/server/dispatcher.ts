/**
 * @module
 * The dispatcher drains the two feeds written in call transactions (the audit log and the
 * outbox) to the subscribers registered for them. Each subscriber has its own loop and its own
 * stored position, so a slow or failing one delays only itself and each catches up after a
 * restart. Delivery is at least once and in feed order (hence in order per account and region).
 */
import type { Logger } from '../core/logger.js';
import type { OutboxEntry, Store, StoredEvent } from '../store/types.js';

/** A subscriber to the audit log: trail delivery, CloudWatch Logs streams. */
export interface EventSubscriber {
  readonly name: string;
  readonly feed: 'events';
  /** Handles records in feed order; throwing makes the dispatcher retry the same batch later. */
  handle(records: readonly StoredEvent[]): Promise<void>;
}

/** A subscriber to the outbox: the Config recorder, notifications. */
export interface OutboxSubscriber {
  readonly name: string;
  readonly feed: 'outbox';
  /** Handles entries in feed order; throwing makes the dispatcher retry the same batch later. */
  handle(entries: readonly OutboxEntry[]): Promise<void>;
}

/** Either kind of subscriber. */
export type Subscriber = EventSubscriber | OutboxSubscriber;

/** Tuning of the dispatcher. */
export interface DispatcherOptions {
  readonly batchSize?: number;
  /** How long a woken loop waits for more commits before it reads, so that busy periods are read in large batches. */
  readonly coalesceMs?: number;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

type FeedEntry = StoredEvent | OutboxEntry;

/** Feed reads shared by the loops that ask for the same batch between two commits. */
class FeedReads {
  readonly #reads = new Map<string, Promise<readonly FeedEntry[]>>();

  constructor(private readonly store: Store, private readonly batchSize: number) {}

  read(feed: Subscriber['feed'], position: number): Promise<readonly FeedEntry[]> {
    const key = `${feed}:${position}`;
    let batch = this.#reads.get(key);
    if (!batch) {
      if (this.#reads.size >= 16) this.#reads.clear();
      batch = this.store.read<readonly FeedEntry[]>((tx) =>
        feed === 'events' ? tx.events.readAfter(position, this.batchSize) : tx.outbox.readAfter(position, this.batchSize),
      );
      this.#reads.set(key, batch);
    }
    return batch;
  }

  /** Entries were committed or the feeds were reset: what was read may be short or gone. */
  forget(): void {
    this.#reads.clear();
  }
}

class Loop {
  #wake: (() => void) | undefined;
  #pending = true;
  #stopped = false;
  #rewound = false;
  readonly done: Promise<void>;

  constructor(
    readonly subscriber: Subscriber,
    private readonly store: Store,
    private readonly reads: FeedReads,
    private readonly logger: Logger,
    private readonly options: Required<DispatcherOptions>,
  ) {
    this.done = this.#run();
  }

  notify(): void {
    this.#pending = true;
    this.#wake?.();
  }

  stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }

  /** Starts again from the beginning of the feed (after the store was reset). */
  rewind(): void {
    this.#rewound = true;
    this.notify();
  }

  async #run(): Promise<void> {
    const { subscriber } = this;
    let position = await this.store.read((tx) => tx.outbox.position(subscriber.name));
    let delay = this.options.retryMinMs;
    while (!this.#stopped) {
      if (!this.#pending) await this.#sleep();
      if (this.options.coalesceMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.coalesceMs));
      this.#pending = false;
      while (!this.#stopped) {
        if (this.#rewound) {
          this.#rewound = false;
          position = 0;
        }
        const batch = await this.reads.read(subscriber.feed, position);
        if (batch.length === 0) break;
        try {
          await (subscriber.handle as (items: readonly FeedEntry[]) => Promise<void>)(batch);
        } catch (error) {
          this.logger.warn({ err: error, subscriber: subscriber.name, position }, 'subscriber failed; will retry');
          await this.#sleep(delay);
          delay = Math.min(delay * 2, this.options.retryMaxMs);
          continue;
        }
        delay = this.options.retryMinMs;
        if (this.#rewound) continue;
        position = batch[batch.length - 1]!.seq;
        const reached = position;
        await this.store.transaction((tx) => tx.outbox.setPosition(subscriber.name, reached), { durable: false });
        if (batch.length < this.options.batchSize) break;
      }
    }
  }

  #sleep(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.#wake?.(), ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }
}

/** Runs one loop per subscriber and wakes them after each commit. */
export class Dispatcher {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #options: Required<DispatcherOptions>;
  readonly #reads: FeedReads;
  readonly #loops: Loop[] = [];

  constructor(store: Store, logger: Logger, options: DispatcherOptions = {}) {
    this.#store = store;
    this.#logger = logger;
    this.#options = { batchSize: options.batchSize ?? 500, coalesceMs: options.coalesceMs ?? 5, retryMinMs: options.retryMinMs ?? 100, retryMaxMs: options.retryMaxMs ?? 30_000 };
    this.#reads = new FeedReads(store, this.#options.batchSize);
  }

  /** Starts delivering to a subscriber from its stored position. */
  register(subscriber: Subscriber): void {
    if (this.#loops.some((loop) => loop.subscriber.name === subscriber.name)) {
      throw new Error(`subscriber ${subscriber.name} is already registered`);
    }
    this.#loops.push(new Loop(subscriber, this.#store, this.#reads, this.#logger, this.#options));
  }

  /** Wakes every subscriber (new entries were committed). */
  notify(): void {
    this.#reads.forget();
    for (const loop of this.#loops) loop.notify();
  }

  /** Sends every subscriber back to the start of its feed; the store has been reset. */
  rewind(): void {
    this.#reads.forget();
    for (const loop of this.#loops) loop.rewind();
  }

  /** Stops every loop after its current batch. */
  async stop(): Promise<void> {
    for (const loop of this.#loops) loop.stop();
    await Promise.all(this.#loops.map((loop) => loop.done));
  }
}
