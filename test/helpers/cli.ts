/**
 * @module
 * Running the real `custos` command and the AWS CLI as child processes.
 */
import { spawn, type ChildProcess, execFile } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** The `custos` command as argv (run from source through tsx). */
export const CUSTOS = [process.execPath, '--import', 'tsx', MAIN];

/** A `custos serve` child process that is listening. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Every log line printed so far, parsed. */
  readonly logs: Record<string, unknown>[];
  /** SIGTERM, and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, and wait for the process to be gone. */
  kill(): Promise<void>;
}

/** Starts `custos serve --port 0` with these extra arguments and waits until it listens. */
export async function spawnServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const child = spawn(CUSTOS[0]!, [...CUSTOS.slice(1), 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, CUSTOS_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'custos is listening') resolve(entry.url as string);
      } catch {
        logs.push({ raw: line });
      }
    });
    void exited.then((code) => reject(new Error(`custos serve exited with ${code}: ${stderr}`)));
  });
  return {
    child,
    url,
    logs,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs a command to completion; never throws on a non-zero exit. */
export async function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/**
 * The environment for running the real `aws` CLI against a Custos endpoint: its own credentials file
 * (root's, from the data directory) or none, no config file, us-east-1, and no stray AWS_* keys.
 */
export function awsCliEnv(endpoint: string, credentialsFile?: string): NodeJS.ProcessEnv {
  return {
    ...(credentialsFile ? { AWS_SHARED_CREDENTIALS_FILE: credentialsFile } : {}),
    AWS_CONFIG_FILE: '/dev/null',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
  };
}

