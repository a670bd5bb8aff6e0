import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreConformance } from '../conformance.js';
import { SqliteStore } from './sqlite-store.js';

runStoreConformance('sqlite', {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'custos-store-'));
    const file = join(dir, 'custos.db');
    const opened: SqliteStore[] = [new SqliteStore({ file })];
    return {
      store: opened[0]!,
      reopen: async () => {
        const store = new SqliteStore({ file });
        opened.push(store);
        return store;
      },
      cleanup: async () => {
        for (const store of opened) await store.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
