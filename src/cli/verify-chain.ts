/**
 * @module
 * `custos verify-chain`: checks every hash chain of a data directory's audit log.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { verifyChains } from '../audit/verify-chain.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';

const HELP = `Usage: custos verify-chain [--data-dir DIR]

Verifies that every record of every account and region is linked, by SHA-256, to the one before
it and to the chain head recorded at append. Names the first broken link of each chain.
Exit code: 0 when every chain is intact, 1 when one is broken, 2 on usage errors.`;

/** Runs the verification; resolves with the exit code. */
export async function verifyChainCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const dataDir = resolve(values['data-dir'] ?? process.env.CUSTOS_DATA_DIR ?? '.custos');
  const file = join(dataDir, 'custos.db');
  if (!existsSync(file)) {
    console.error(`custos verify-chain: no audit log at ${file}`);
    return 2;
  }
  const store = new SqliteStore({ file });
  const bar = new cliProgress.SingleBar(
    { format: 'verifying {bar} {value}/{total} records', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  try {
    const reports = await verifyChains(store, (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    });
    if (started) bar.stop();
    let broken = 0;
    for (const report of reports) {
      const scope = `${report.accountId} ${report.region}`;
      if (report.broken) {
        broken++;
        const at = report.broken.eventId ? ` (eventID ${report.broken.eventId})` : '';
        console.log(`BROKEN  ${scope}: ${report.broken.chainBreak.describe()}${at}; ${report.links} links verified before it`);
      } else {
        console.log(`OK      ${scope}: ${report.links} links`);
      }
    }
    console.log(broken === 0 ? `All ${reports.length} chains are intact.` : `${broken} of ${reports.length} chains are broken.`);
    return broken === 0 ? 0 : 1;
  } finally {
    await store.close();
  }
}
