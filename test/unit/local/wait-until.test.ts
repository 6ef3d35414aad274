import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../../functions/local/services/free-port';

describe('waiting for a local service to start', () => {
  it('treats a probe that throws as "not yet", and returns once it answers', async () => {
    let calls = 0;
    const probe = async () => {
      calls += 1;
      if (calls < 3) throw new Error('connection refused');
      return true;
    };

    await waitUntil('the service', probe, { intervalMs: 1 });

    expect(calls).toBe(3);
  });

  it('ends the wait at once when the service died, with its error, instead of waiting out the timeout', async () => {
    let probes = 0;
    const died = new Error('the service exited: port in use');

    const waiting = waitUntil(
      'the service',
      async () => {
        probes += 1;
        return false;
      },
      { timeoutMs: 60_000, intervalMs: 1, gaveUp: () => (probes >= 2 ? died : undefined) },
    );

    await expect(waiting).rejects.toBe(died);
    expect(probes).toBe(2);
  });

  it('names the service when it does not answer in time', async () => {
    await expect(waitUntil('DynamoDB Local', async () => false, { timeoutMs: 5, intervalMs: 1 })).rejects.toThrow(
      'DynamoDB Local did not become ready within 5 ms.',
    );
  });
});
