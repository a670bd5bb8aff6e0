import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChains } from '../src/audit/verify-chain.js';
import { readCredentialsFile } from '../src/auth/root-credentials.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { spawnServer } from './helpers/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'custos-durability-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('durability', () => {
  it('keeps every answered call across a kill -9, with intact chains', async () => {
    const server = await spawnServer(['--data-dir', dataDir]);
    const credentials = readCredentialsFile(join(dataDir, 'credentials'))!;
    const client = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const answered: string[] = [];
    let killed = false;
    const workers = Array.from({ length: 16 }, async () => {
      while (!killed) {
        try {
          const result = await client.send(new GetCallerIdentityCommand({}));
          if (!killed) answered.push(result.$metadata.requestId!);
        } catch {
          return;
        }
      }
    });
    while (answered.length < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    const answeredBeforeKill = answered.length;
    await server.kill();
    killed = true;
    await Promise.all(workers);
    client.destroy();

    const store = new SqliteStore({ file: join(dataDir, 'custos.db') });
    try {
      const recorded = new Set<string>();
      let position = 0;
      for (;;) {
        const batch = await store.read((tx) => tx.events.readAfter(position, 1000));
        if (batch.length === 0) break;
        for (const event of batch) recorded.add(JSON.parse(event.body).requestID);
        position = batch[batch.length - 1]!.seq;
      }
      const lost = answered.slice(0, answeredBeforeKill).filter((id) => !recorded.has(id));
      expect(lost).toEqual([]);
      const reports = await verifyChains(store);
      expect(reports.map((r) => r.broken)).toEqual([undefined]);
    } finally {
      await store.close();
    }
  });
});
