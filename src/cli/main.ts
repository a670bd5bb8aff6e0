#!/usr/bin/env node
/**
 * @module
 * The `custos` command: serve | verify-chain | validate-logs.
 */

const USAGE = `Usage: custos <command> [options]

Commands:
  serve          Run the server (default 127.0.0.1:4566, data in ./.custos)
  verify-chain   Check the hash chains of a data directory's audit log
  validate-logs  Check a trail's digest and log files offline, as "aws cloudtrail validate-logs" does

Run "custos <command> --help" for a command's options.`;

/** Each command is loaded when run, so that one command's start-up does not pay for the others'. */
const commands: Record<string, (args: string[]) => Promise<number>> = {
  serve: async (args) => (await import('./serve.js')).serve(args),
  'verify-chain': async (args) => (await import('./verify-chain.js')).verifyChainCommand(args),
  'validate-logs': async (args) => (await import('./validate-logs.js')).validateLogsCommand(args),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`custos: unknown command ${name}\n\n${USAGE}`);
    return 2;
  }
  return command(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`custos: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
