import { beforeEach, describe, expect, it } from 'vitest';
import { runContactCli } from '../../functions/cli/contact-cli';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, clientFor, createClinic, createTestPortal, operatorDataFor } from '../support/test-portal';

/** `npm run contact` against the test emulators: the operator invites and deactivates contact persons. */
describe('the contact command', () => {
  const portal = createTestPortal();
  const data = operatorDataFor(portal);
  let clinic: ClinicFixture;
  let printed: string[];
  const run = (...argv: string[]) => runContactCli(argv, { data, print: (line) => printed.push(line) });

  beforeEach(async () => {
    clinic = await createClinic(portal);
    printed = [];
  });

  it('invites a contact by e-mail address: the mail links to the clinic’s set-password page', async () => {
    const code = await run('invite', '--tenant', clinic.host, '--email', clinic.contact.username, '--by', 'ops');

    expect(code).toBe(0);
    const mails = (await portal.mailSink.list()).filter((mail) => mail.to.address === clinic.contact.username);
    expect(mails.map((mail) => mail.kind)).toEqual(['contact-invitation']);
    expect(mails[0]?.text).toContain(`https://${clinic.host}/satt-losenord#contact.${clinic.contact.contact.id}.`);
    expect(printed.join('\n')).toContain(`Sent an invitation to ${clinic.contact.username}`);
  });

  it('deactivates a contact: their sessions end at once, and neither they nor their password get in again', async () => {
    const browser = clientFor(portal, clinic);
    await browser.login(clinic.contact);
    expect((await browser.request('/api/me')).status).toBe(200);

    const code = await run('deactivate', '--tenant', clinic.tenantId, '--contact', clinic.contact.contact.id);

    expect(code).toBe(0);
    expect(printed.join('\n')).toContain('ended 1 session(s)');
    expect((await browser.request('/api/me')).status).toBe(401);
    const documents = await browser.request(`/api/customers/${clinic.customer.id}/documents`);
    expect(documents.status).toBe(401);
    await expect(clientFor(portal, clinic).login(clinic.contact)).rejects.toThrow(/401/u);
    await expect(clinic.scope.contacts.get(clinic.contact.contact.id)).resolves.toMatchObject({
      status: 'deactivated',
    });
    const events = await readAuditEvents(clinic.tenantId, portal.clock.now().toISOString().slice(0, 7));
    expect(events.find((event) => event.action === 'contact.deactivated')).toMatchObject({
      actor: { type: 'operator' },
      details: { contactId: clinic.contact.contact.id, revokedSessions: 1 },
    });
    // Other contacts of the clinic are untouched.
    await clientFor(portal, clinic).login(clinic.otherCustomersContact);
  });

  it('refuses to invite a deactivated contact, and explains its usage', async () => {
    await run('deactivate', '--tenant', clinic.host, '--email', clinic.contact.username);

    await expect(run('invite', '--tenant', clinic.host, '--email', clinic.contact.username)).rejects.toThrow(
      /deactivated/u,
    );
    await expect(run()).resolves.toBe(2);
    expect(printed.join('\n')).toMatch(/npm run contact -- deactivate/u);
    await expect(run('deactivate', '--tenant', clinic.host)).rejects.toThrow(/either --email or --contact/u);
    await expect(run('remove', '--tenant', clinic.host, '--contact', 'x')).rejects.toThrow(/Unknown command/u);
    await expect(run('deactivate', '--tenant', clinic.host, '--email', 'ingen@example.se')).rejects.toThrow(
      /No contact/u,
    );
  });
});
