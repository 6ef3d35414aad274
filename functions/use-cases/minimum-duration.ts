/**
 * Runs `work` and settles (resolves or rejects) no sooner than `minimumMs` after it started. A request whose work
 * depends on a secret fact (does this address belong to an account?) then takes the same time either way, as long
 * as the work fits into the minimum: `onOverrun` hears of every time it did not, so operators can raise it.
 */
export async function withMinimumDuration<T>(
  minimumMs: number,
  work: () => Promise<T>,
  onOverrun?: (elapsedMs: number) => void,
): Promise<T> {
  const startedAt = performance.now();
  const floor = new Promise<void>((resolve) => setTimeout(resolve, minimumMs));
  try {
    return await work();
  } finally {
    const elapsedMs = performance.now() - startedAt;
    if (minimumMs > 0 && elapsedMs > minimumMs) onOverrun?.(elapsedMs);
    await floor;
  }
}
