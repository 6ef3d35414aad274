import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withMinimumDuration } from '../../../functions/use-cases/minimum-duration';

/** When a promise settled, in fake milliseconds since the test began. */
async function settledAfter(promise: Promise<unknown>): Promise<number> {
  const startedAt = Date.now();
  let settledAt: number | undefined;
  void promise.then(
    () => {
      settledAt = Date.now();
    },
    () => {
      settledAt = Date.now();
    },
  );
  while (settledAt === undefined) await vi.advanceTimersByTimeAsync(10);
  return settledAt - startedAt;
}

const work = (ms: number, outcome: 'resolve' | 'reject' = 'resolve') =>
  new Promise<string>((resolve, reject) =>
    setTimeout(() => (outcome === 'resolve' ? resolve('done') : reject(new Error('failed'))), ms),
  );

describe('withMinimumDuration', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes fast work and slow work (within the minimum) settle at the same moment', async () => {
    const fast = withMinimumDuration(500, () => work(20));
    const slow = withMinimumDuration(500, () => work(400));

    const [fastMs, slowMs] = await Promise.all([settledAfter(fast), settledAfter(slow)]);

    expect(fastMs).toBe(500);
    expect(slowMs).toBe(500);
    await expect(fast).resolves.toBe('done');
  });

  it('holds back a failure just as long, and passes it on unchanged', async () => {
    const failing = withMinimumDuration(500, () => work(20, 'reject'));
    failing.catch(() => {});

    expect(await settledAfter(failing)).toBe(500);
    await expect(failing).rejects.toThrow('failed');
  });

  it('reports work that outlasts the minimum, and does not delay it further', async () => {
    const overruns: number[] = [];

    const late = withMinimumDuration(
      500,
      () => work(800),
      (elapsedMs) => overruns.push(elapsedMs),
    );

    expect(await settledAfter(late)).toBe(800);
    expect(overruns).toEqual([800]);
  });
});
