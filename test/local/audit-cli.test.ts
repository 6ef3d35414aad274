import { describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { runAuditCli } from '../../functions/cli/audit-cli';
import { emulatorTable } from '../support/emulator-table';
import { clientFor, createClinic, createTestPortal, operatorDataFor } from '../support/test-portal';

/** `npm run audit:verify` against the test emulators: it chains new events and finds where the trail was altered. */
describe('the audit:verify command', () => {
  const portal = createTestPortal();
  const data = operatorDataFor(portal);

  it('chains the events of real requests and says the trail is intact; then names the one event altered in the table', async () => {
    const clinic = await createClinic(portal);
    const browser = clientFor(portal, clinic);
    await browser.login(clinic.contact);
    await browser.login({ ...clinic.contact, password: 'fel lösenord, fel lösenord' }).catch(() => undefined);
    await browser.login(clinic.contact);
    const printed: string[] = [];
    const run = (...argv: string[]) => runAuditCli(argv, { data, print: (line) => printed.push(line) });

    const intact = await run('--tenant', clinic.host);
    const [, second] = await clinic.scope.audit.chain(1, 10);
    if (!second?.event) throw new Error('The requests left fewer than two audit events.');
    await emulatorTable().update(keys.auditEvent(clinic.tenantId, second.event.at, second.event.id), {
      expression: 'SET #action = :action',
      values: { ':action': 'auth.login.password_harmless' },
      names: { '#action': 'action' },
    });
    const broken = await run('--tenant', clinic.tenantId, '--no-seal');

    expect(intact).toBe(0);
    expect(printed[0]).toMatch(/^Chained \d+ new event\(s\)\.$/u);
    expect(printed[1]).toMatch(/^The audit trail is intact: \d+ event\(s\) verified, ending in [0-9a-f]{64}\.$/u);
    expect(printed[2]).toMatch(/^Events 1 to \d+ pass through their anchors in the audit anchor bucket\.$/u);
    expect(broken).toBe(1);
    expect(printed[3]).toBe(
      `BROKEN at event 2 (id ${second.event.id}): altered. 1 event(s) before it fit; the head says ${(await clinic.scope.audit.chainHead()).index}.`,
    );
  });
});
