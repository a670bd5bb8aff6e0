/**
 * @module
 * The retention sweep: background work that deletes events older than their group's retention.
 * Reads already hide such events; the sweep gives the space back. It runs every few minutes over
 * the accounts this installation knows.
 */
import type { BackgroundWork, ServiceEnvironment } from '../service.js';
import { GROUP_KIND, retainedSince, type LogGroupDocument } from './log-groups.js';

const SWEEP_INTERVAL_MS = 5 * 60_000;

/** Deletes expired events of every group with a retention policy; returns how many. */
export async function sweepRetention(env: ServiceEnvironment): Promise<number> {
  const now = env.clock.now();
  const accounts = await env.store.read((tx) => tx.accounts.list());
  let deleted = 0;
  for (const { accountId } of accounts) {
    const groups = await env.store.read((tx) => tx.documents.listInAccount<LogGroupDocument>(accountId, GROUP_KIND));
    for (const { region, doc } of groups) {
      if (doc.retentionInDays === undefined) continue;
      deleted += await env.store.transaction((tx) => tx.logEvents.expire({ accountId, region }, doc.name, retainedSince(doc, now)));
    }
  }
  return deleted;
}

/** The sweep on a timer. */
export function retentionSweep(env: ServiceEnvironment): BackgroundWork {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  return {
    start() {
      timer = setInterval(() => {
        running = sweepRetention(env).catch((err: unknown) => env.logger.warn({ err }, 'log retention sweep failed'));
      }, SWEEP_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
