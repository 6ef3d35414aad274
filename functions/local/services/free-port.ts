import { createServer } from 'node:net';

/** Asks the OS for a free loopback port (bind to 0, read it, release it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not determine a free port.'));
      });
    });
  });
}

/**
 * Waits until `probe` resolves true, polling every `intervalMs`; throws after `timeoutMs` naming `what`. A probe
 * that throws counts as "not yet" (the service is still starting); `gaveUp` ends the wait at once with its error
 * (the service died), instead of letting a dead process look like a slow one.
 */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  options: {
    readonly timeoutMs?: number;
    readonly intervalMs?: number;
    readonly gaveUp?: () => Error | undefined;
  } = {},
) {
  const { timeoutMs = 30_000, intervalMs = 100 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = options.gaveUp?.();
    if (failure) throw failure;
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
