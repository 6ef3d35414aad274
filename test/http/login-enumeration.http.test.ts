import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ClinicFixture, createClinic, createTestPortal, type TestPortal } from '../support/test-portal';

/**
 * No user enumeration by timing (SECURITY.md): a failed login of an existing username takes as long as one of a
 * username nobody has. Judged statistically, never against absolute times (machines here are shared and noisy):
 * the two kinds of attempt are interleaved in random order and their MEDIANS compared. The hashing cost is raised
 * so that it dominates a request; a power check makes sure it does, so that an implementation skipping the hash for
 * unknown users would land far outside the band (about 4×), not just outside it.
 */
const SAMPLES_PER_KIND = 20;
/** 2^15: about 80 ms per hash here, several times a request's own work against DynamoDB Local. */
const TIMING_COST = { log2N: 15, r: 8, p: 1 } as const;
/** How far apart the medians may be. A skipped hash moves the ratio to ~4; noise stays well within 1.3. */
const BAND = 1.3;

let portal: TestPortal;
let clinic: ClinicFixture;
let knownUsernames: string[];

beforeAll(async () => {
  portal = createTestPortal({ passwordCost: TIMING_COST });
  clinic = await createClinic(portal);
  // One account per attempt, so that no account reaches its login delay during the run.
  const contacts = await Promise.all(
    Array.from({ length: SAMPLES_PER_KIND }, () => clinic.addContact([clinic.customer])),
  );
  knownUsernames = contacts.map((contact) => contact.username);
}, 120_000);

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** One failed login from its own address (the per-address limit must not interfere), timed. */
async function timedFailedLogin(username: string): Promise<number> {
  const sourceIp = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
  const started = performance.now();
  const response = await portal.app.request(
    `https://${clinic.host}/api/auth/login`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: clinic.origin },
      body: JSON.stringify({ username, password: `fel-lösenord-${randomUUID()}` }),
    },
    { incoming: { socket: { remoteAddress: sourceIp } } },
  );
  const elapsed = performance.now() - started;
  expect(response.status).toBe(401);
  return elapsed;
}

describe('failed logins of known and unknown usernames', () => {
  it('take the same time, judged by their medians over interleaved attempts', async () => {
    const attempts = [
      ...knownUsernames.map((username) => ({ kind: 'known' as const, username })),
      ...knownUsernames.map(() => ({ kind: 'unknown' as const, username: `ingen-${randomUUID()}@example.se` })),
    ].sort(() => Math.random() - 0.5);
    // Warm-up: the first requests pay for connections and JIT, which must not land on one side.
    await timedFailedLogin(`ingen-${randomUUID()}@example.se`);
    await timedFailedLogin(knownUsernames[0] ?? '');

    const times = { known: [] as number[], unknown: [] as number[] };
    for (const attempt of attempts) times[attempt.kind].push(await timedFailedLogin(attempt.username));

    const ratio = median(times.known) / median(times.unknown);
    const hashAlone = await medianHashTime();
    const summary = `known ${median(times.known).toFixed(1)} ms, unknown ${median(times.unknown).toFixed(1)} ms, ratio ${ratio.toFixed(2)}, hash ${hashAlone.toFixed(1)} ms`;
    // Power check: the hash is most of a failed login, so leaving it out anywhere would show.
    expect(hashAlone / median(times.unknown), summary).toBeGreaterThan(0.5);
    expect(ratio, summary).toBeGreaterThan(1 / BAND);
    expect(ratio, summary).toBeLessThan(BAND);
  }, 120_000);
});

async function medianHashTime(): Promise<number> {
  const stored = await portal.deps.hasher.hash('ett-lösenord-att-jämföra-med');
  const times: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    await portal.deps.hasher.verify('fel', stored);
    times.push(performance.now() - started);
  }
  return median(times);
}
