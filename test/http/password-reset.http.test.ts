import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SunkMail } from '../../functions/adapters/mail/file-mail-sink';
import { LOGIN_THROTTLING } from '../../functions/domain/login-throttling';
import type { Mailer } from '../../functions/domain/ports';
import type { AppDeps } from '../../functions/http/app-types';
import { createApp, type PortalApp } from '../../functions/http/create-app';
import { inviteContact } from '../../functions/use-cases/invite-contact';
import { readAuditEvents } from '../support/audit-events';
import {
  type ClinicContact,
  type ClinicFixture,
  clientFor,
  createClinic,
  createTestPortal,
  type TestPortal,
} from '../support/test-portal';

/**
 * Password reset and invitations through the portal API (SECURITY.md "Password reset and invitations"): a link by
 * mail, single-use, 60 minutes, invalidated by a newer one, ending every session; no answer that tells known and
 * unknown addresses apart. The real emulators and the real local mail sink; every test uses its own contacts and
 * addresses, so counters and mails of one never touch another.
 */
const testPortal = createTestPortal();
/** Reset requests answer at once here; the minimum duration has tests of its own (the last describe). */
const portal: TestPortal = { ...testPortal, app: createApp({ ...testPortal.deps, resetRequestMinimumMs: 0 }) };
let clinic: ClinicFixture;

beforeAll(async () => {
  clinic = await createClinic(portal);
});

const MINUTE = 60_000;
const NEW_PASSWORD = 'en ny mening om vårregn i april';
/** A random address in 10.0.0.0/8: the runtime vouches for it (the local wiring reads the socket's address). */
const randomIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;

interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** Every header but the request id, which is unique per request by design. */
  readonly headers: Record<string, string>;
}

/** A browser on the clinic's address, connecting from `ip`. */
function from(ip: string, fixture: Pick<ClinicFixture, 'host' | 'origin'> = clinic, app: PortalApp = portal.app) {
  const post = async (path: string, body: unknown): Promise<Answer> => {
    const response = await app.request(
      `https://${fixture.host}${path}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: fixture.origin },
        body: JSON.stringify(body),
      },
      { incoming: { socket: { remoteAddress: ip } } },
    );
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : JSON.parse(text),
      headers: Object.fromEntries([...response.headers].filter(([name]) => name !== 'x-request-id')),
    };
  };
  return {
    requestReset: (email: string) => post('/api/auth/password-reset', { email }),
    setPassword: (token: string, newPassword = NEW_PASSWORD) => post('/api/auth/set-password', { token, newPassword }),
    login: (username: string, password: string) => post('/api/auth/login', { username, password }),
  };
}

/** The mails the portal sent to this address, newest first. */
async function mailsTo(address: string): Promise<SunkMail[]> {
  return (await portal.mailSink.list()).filter((mail) => mail.to.address === address);
}

/** The set-password link in the newest mail to this address, and the token in its fragment. */
async function linkMailedTo(address: string): Promise<{ link: string; token: string; mail: SunkMail }> {
  const [mail] = await mailsTo(address);
  if (!mail) throw new Error(`No mail was sent to ${address}.`);
  const link = /https?:\/\/\S+\/satt-losenord#\S+/u.exec(mail.text)?.[0];
  if (!link) throw new Error(`The mail to ${address} holds no set-password link:\n${mail.text}`);
  return { link, token: link.slice(link.indexOf('#') + 1), mail };
}

/** Asks for a reset from a fresh address and returns the token mailed. */
async function resetToken(who: ClinicContact, fixture: ClinicFixture = clinic): Promise<string> {
  const answer = await from(randomIp(), fixture).requestReset(who.username);
  expect(answer.status).toBe(202);
  return (await linkMailedTo(who.contact.email)).token;
}

async function auditEvents(fixture: ClinicFixture, action: string) {
  const month = portal.clock.now().toISOString().slice(0, 7);
  return (await readAuditEvents(fixture.tenantId, month)).filter((event) => event.action === action);
}

const LINK_INVALID = {
  error: { code: 'link_invalid', message: 'The link has already been used or has expired. Ask for a new one.' },
};

describe('POST /api/auth/password-reset and /api/auth/set-password', () => {
  it('mails a link that sets a new password: the new one logs in, the old one not, and every session ends', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const phone = clientFor(portal, clinic);
    const laptop = clientFor(portal, clinic);
    await phone.login(who);
    await laptop.login(who);
    const browser = from(randomIp());

    const requested = await browser.requestReset(who.username);

    expect(requested.status).toBe(202);
    expect(requested.body).toEqual({ validMinutes: 60 });
    const { link, token, mail } = await linkMailedTo(who.contact.email);
    expect(mail).toMatchObject({ kind: 'password-reset', to: { name: who.contact.name }, fromName: 'Testkliniken AB' });
    expect(link.startsWith(`${clinic.origin}/satt-losenord#contact.${who.contact.id}.`)).toBe(true);
    expect(mail.text).toContain('60 minuter');

    const set = await browser.setPassword(token);

    expect(set).toMatchObject({ status: 200, body: { username: who.username } });
    expect(set.headers['cache-control']).toContain('no-store');
    expect((await phone.request('/api/me')).status).toBe(401);
    expect((await laptop.request('/api/me')).status).toBe(401);
    expect((await browser.login(who.username, who.password)).status).toBe(401);
    expect((await browser.login(who.username, NEW_PASSWORD)).status).toBe(200);

    const [requestEvent] = await auditEvents(clinic, 'password.reset_requested').then((events) =>
      events.filter((event) => 'id' in event.actor && event.actor.id === who.contact.id),
    );
    expect(requestEvent).toMatchObject({ outcome: 'success', details: { outcome: 'mail_sent' } });
    const setEvents = (await auditEvents(clinic, 'password.set')).filter(
      (event) => 'id' in event.actor && event.actor.id === who.contact.id,
    );
    expect(setEvents).toMatchObject([{ outcome: 'success', details: { purpose: 'reset', revokedSessions: 2 } }]);
    const trail = JSON.stringify([requestEvent, ...setEvents]);
    for (const secret of [token, NEW_PASSWORD, who.password, who.contact.email]) expect(trail).not.toContain(secret);
  });

  it('writes the mail in the language the contact chose in the portal', async () => {
    const who = await clinic.addContact([clinic.customer]);
    await clinic.scope.contacts.updatePreferences(who.contact.id, { language: 'en' });

    await resetToken(who);

    const [mail] = await mailsTo(who.contact.email);
    expect(mail?.text).toContain('60 minutes');
    expect(mail?.text).not.toContain('60 minuter');
    expect(mail?.html).toContain('<html lang="en">');
  });

  it('takes a link only once', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const token = await resetToken(who);
    const browser = from(randomIp());
    expect((await browser.setPassword(token)).status).toBe(200);

    const again = await browser.setPassword(token, 'ett annat långt lösenord i maj');

    expect(again).toMatchObject({ status: 400, body: LINK_INVALID });
    expect((await browser.login(who.username, NEW_PASSWORD)).status).toBe(200);
  });

  it('voids the older link when a newer one is sent', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const older = await resetToken(who);
    const newer = await resetToken(who);
    expect(newer).not.toBe(older);
    const browser = from(randomIp());

    expect(await browser.setPassword(older)).toMatchObject({ status: 400, body: LINK_INVALID });
    expect((await browser.setPassword(newer)).status).toBe(200);
  });

  it('works for 60 minutes and not after', async () => {
    const early = await clinic.addContact([clinic.customer]);
    const late = await clinic.addContact([clinic.customer]);
    const earlyToken = await resetToken(early);
    const lateToken = await resetToken(late);
    const browser = from(randomIp());

    portal.clock.advance(59 * MINUTE);
    expect((await browser.setPassword(earlyToken)).status).toBe(200);
    portal.clock.advance(MINUTE);
    expect(await browser.setPassword(lateToken)).toMatchObject({ status: 400, body: LINK_INVALID });
    expect((await browser.login(late.username, late.password)).status).toBe(200);
  });

  it('refuses a password the policy rejects with every reason, and the link still works afterwards', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const token = await resetToken(who);
    const browser = from(randomIp());

    const rejected = await browser.setPassword(token, 'aaaa');
    const withUsername = await browser.setPassword(token, `jag heter ${who.username.split('@')[0]} på riktigt`);

    expect(rejected).toMatchObject({
      status: 400,
      body: { error: { code: 'password_rejected', details: { reasons: [{ code: 'too_short', min: 15 }, {}] } } },
    });
    expect((rejected.body as { error: { details: { reasons: unknown[] } } }).error.details.reasons).toEqual([
      { code: 'too_short', min: 15, message: { sv: expect.any(String), en: expect.any(String) } },
      { code: 'repeated_character', message: { sv: expect.any(String), en: expect.any(String) } },
    ]);
    expect(withUsername).toMatchObject({
      status: 400,
      body: { error: { code: 'password_rejected', details: { reasons: [{ code: 'contains_username' }] } } },
    });
    expect((await browser.login(who.username, who.password)).status).toBe(200);
    expect((await browser.setPassword(token)).status).toBe(200);
  });

  it.each([
    ['an empty token', '', 'it has no code'],
    ['a cut-off token', 'contact.1234', 'its code is cut off'],
    ['another kind of account', `someone.${randomUUID()}.${'a'.repeat(43)}`, 'it names no kind of account'],
    ['no account id', `contact.anna.${'a'.repeat(43)}`, 'it names no account'],
    ['a cut-off secret', `contact.${randomUUID()}.${'a'.repeat(42)}`, 'its secret part is cut off or changed'],
  ])('answers %s with 400 link_malformed naming the problem', async (_what, token, problem) => {
    const answer = await from(randomIp()).setPassword(token);

    expect(answer).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'link_malformed',
          message: `The link is incomplete or damaged (${problem}). Open it again from the e-mail.`,
        },
      },
    });
  });

  it('answers an unknown address exactly like a known one, and mails nobody', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const unknown = `ingen-${randomUUID().slice(0, 8)}@example.se`;

    const known = await from(randomIp()).requestReset(who.username);
    const stranger = await from(randomIp()).requestReset(unknown);

    expect(stranger).toEqual(known);
    expect(await mailsTo(unknown)).toEqual([]);
    expect(await mailsTo(who.contact.email)).toHaveLength(1);
    const anonymous = (await auditEvents(clinic, 'password.reset_requested')).filter(
      (event) => event.actor.type === 'anonymous' && event.details?.outcome === 'unknown_address',
    );
    expect(anonymous.length).toBeGreaterThan(0);
    expect(JSON.stringify(anonymous)).not.toContain(unknown);
  });

  it('mails a deactivated contact nothing, and their earlier link no longer sets a password', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const token = await resetToken(who);
    await clinic.scope.contacts.put({ ...who.contact, status: 'deactivated' });
    const browser = from(randomIp());

    const answer = await browser.requestReset(who.username);

    expect(answer).toMatchObject({ status: 202, body: { validMinutes: 60 } });
    expect(await mailsTo(who.contact.email)).toHaveLength(1);
    expect(await browser.setPassword(token)).toMatchObject({ status: 400, body: LINK_INVALID });
  });

  it('mails a contact who logs in with BankID only nothing: they have no password to reset', async () => {
    const contact = await clinic.addContactWithoutPassword('Bengt BankID');

    expect((await from(randomIp()).requestReset(contact.email)).status).toBe(202);
    expect(await mailsTo(contact.email)).toEqual([]);
  });

  it(`answers the ${LOGIN_THROTTLING.ip.password_reset.limit + 1}th request from one address in 15 minutes with 429 and Retry-After`, async () => {
    const browser = from(randomIp());
    const limit = LOGIN_THROTTLING.ip.password_reset.limit;
    for (let index = 0; index < limit; index += 1) {
      expect((await browser.requestReset(`ingen-${index}@example.se`)).status).toBe(202);
    }

    const throttled = await browser.requestReset(clinic.contact.username);

    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ error: { code: 'too_many_requests' } });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect((await from(randomIp()).requestReset(`ingen@example.se`)).status).toBe(202);
  });

  it('sends one contact at most 3 reset mails an hour, still answering 202, and the newest link keeps working', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const answers = [];
    for (let index = 0; index < 5; index += 1) answers.push(await from(randomIp()).requestReset(who.username));

    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    expect(await mailsTo(who.contact.email)).toHaveLength(3);
    const capped = (await auditEvents(clinic, 'password.reset_requested')).filter(
      (event) => 'id' in event.actor && event.actor.id === who.contact.id && event.details?.outcome === 'mail_limit',
    );
    expect(capped).toHaveLength(2);
    const { token } = await linkMailedTo(who.contact.email);

    portal.clock.advance(60 * MINUTE);
    await from(randomIp()).requestReset(who.username);
    expect(await mailsTo(who.contact.email)).toHaveLength(4);
    expect(await from(randomIp()).setPassword(token)).toMatchObject({ status: 400, body: LINK_INVALID });
  });

  it('unlocks a locked account: completing a reset proves control of the mailbox', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const throttle = clinic.scope.loginThrottle;
    const now = portal.clock.now();
    await throttle.recordAccountFailure(who.username, now, { seen: undefined, forgetAfterSeconds: 3600 });
    await throttle.lockAccount(who.username, now);
    const browser = from(randomIp());
    expect((await browser.login(who.username, who.password)).status).toBe(401);

    const token = await resetToken(who);
    expect((await browser.setPassword(token)).status).toBe(200);

    expect((await browser.login(who.username, NEW_PASSWORD)).status).toBe(200);
  });

  it('an invitation mails a contact without a password a link that sets their first one', async () => {
    const contact = await clinic.addContactWithoutPassword('Ny Kontaktperson', [clinic.customer]);
    const deps = { scope: clinic.scope, clock: portal.clock, ids: portal.deps.ids, mailer: portal.deps.mailer };

    const sent = await inviteContact(deps, {
      contactId: contact.id,
      actor: { type: 'operator', id: 'driftansvarig' },
      origin: clinic.origin,
    });

    expect(sent).toEqual({ sentTo: contact.email, expiresAt: expect.any(String) });
    const { token, mail } = await linkMailedTo(contact.email);
    expect(mail).toMatchObject({
      kind: 'contact-invitation',
      to: { name: 'Ny Kontaktperson', address: contact.email },
    });
    const browser = from(randomIp());
    expect(await browser.setPassword(token)).toMatchObject({ status: 200, body: { username: contact.email } });
    const login = await browser.login(contact.email, NEW_PASSWORD);
    expect(login).toMatchObject({ status: 200, body: { contact: { id: contact.id } } });
    expect(await auditEvents(clinic, 'contact.invited')).toContainEqual(
      expect.objectContaining({
        actor: { type: 'operator', id: 'driftansvarig' },
        outcome: 'success',
        details: { contactId: contact.id, expiresAt: sent.expiresAt },
      }),
    );
    const [setEvent] = (await auditEvents(clinic, 'password.set')).filter(
      (event) => 'id' in event.actor && event.actor.id === contact.id,
    );
    expect(setEvent).toMatchObject({ outcome: 'success', details: { purpose: 'invitation', revokedSessions: 0 } });
  });

  it('invites no deactivated contact and no unknown one', async () => {
    const deactivated = await clinic.addContact([clinic.customer], 'deactivated');
    const deps = { scope: clinic.scope, clock: portal.clock, ids: portal.deps.ids, mailer: portal.deps.mailer };
    const invite = (contactId: string) =>
      inviteContact(deps, { contactId, actor: { type: 'operator', id: 'driftansvarig' }, origin: clinic.origin });

    await expect(invite(deactivated.contact.id)).rejects.toMatchObject({ code: 'contact_deactivated' });
    await expect(invite(randomUUID())).rejects.toMatchObject({ code: 'not_found' });
    expect(await mailsTo(deactivated.contact.email)).toEqual([]);
  });

  it('keeps clinics apart: a link of one clinic does nothing on another clinic’s address', async () => {
    const otherClinic = await createClinic(portal, 'Andra kliniken AB');
    const who = await clinic.addContact([clinic.customer]);
    const token = await resetToken(who);

    const elsewhere = await from(randomIp(), otherClinic).setPassword(token);

    expect(elsewhere).toMatchObject({ status: 400, body: LINK_INVALID });
    expect((await from(randomIp()).setPassword(token)).status).toBe(200);
  });

  it('refuses an administrator’s link on the contacts’ endpoint', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const token = await resetToken(who);

    const asAdmin = await from(randomIp()).setPassword(token.replace(/^contact\./u, 'admin.'));

    expect(asAdmin).toMatchObject({ status: 400, body: LINK_INVALID });
    expect((await from(randomIp()).setPassword(token)).status).toBe(200);
  });

  it(`answers 429 after ${LOGIN_THROTTLING.ip.password_link_failure.limit} refused links from one address, before checking the next`, async () => {
    const who = await clinic.addContact([clinic.customer]);
    const token = await resetToken(who);
    const browser = from(randomIp());
    const forged = (index: number) => `contact.${who.contact.id}.${String(index).padStart(43, 'x')}`;
    for (let index = 0; index < LOGIN_THROTTLING.ip.password_link_failure.limit; index += 1) {
      expect((await browser.setPassword(forged(index))).status).toBe(400);
    }

    const throttled = await browser.setPassword(token);

    expect(throttled).toMatchObject({ status: 429, body: { error: { code: 'too_many_requests' } } });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from(randomIp()).setPassword(token)).status).toBe(200);
  });

  it('validates the bodies and refuses requests from another origin', async () => {
    const browser = from(randomIp());

    expect(await browser.requestReset('inte en adress')).toMatchObject({
      status: 400,
      body: { error: { code: 'validation_failed', details: { fields: { email: expect.any(String) } } } },
    });
    const crossSite = await portal.app.request(`https://${clinic.host}/api/auth/password-reset`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ email: clinic.contact.username }),
    });
    expect(crossSite.status).toBe(403);
    expect(await mailsTo(clinic.contact.contact.email)).toEqual([]);
  });
});

describe('timing of reset requests', () => {
  /** A mail service that takes its time, like SES does: the difference a stranger could measure. */
  const MAIL_MS = 150;
  const slowMailer: Mailer = {
    async send(mail) {
      await sleep(MAIL_MS);
      await portal.deps.mailer.send(mail);
    },
  };
  const appWith = (overrides: Partial<AppDeps>) => createApp({ ...portal.deps, mailer: slowMailer, ...overrides });

  /**
   * Asks for a reset for a known and an unknown address at the same moment, `pairs` times, each from its own address
   * and for its own contact (no limit interferes), and returns how much longer the known one took each time.
   */
  async function knownMinusUnknownMs(app: PortalApp, pairs: number): Promise<number[]> {
    const contacts = await Promise.all(Array.from({ length: pairs }, () => clinic.addContact([clinic.customer])));
    const differences: number[] = [];
    for (const who of contacts) {
      const timed = async (email: string) => {
        const startedAt = performance.now();
        const answer = await from(randomIp(), clinic, app).requestReset(email);
        expect(answer.status).toBe(202);
        return performance.now() - startedAt;
      };
      const [known, unknown] = await Promise.all([timed(who.username), timed(`ingen-${randomUUID()}@example.se`)]);
      differences.push(known - unknown);
    }
    return differences;
  }

  const median = (values: readonly number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  };

  it('without a minimum duration a known address answers measurably later (what the minimum is for)', async () => {
    const differences = await knownMinusUnknownMs(appWith({ resetRequestMinimumMs: 0 }), 5);

    expect(median(differences)).toBeGreaterThan(MAIL_MS / 2);
  });

  it('with the minimum duration known and unknown addresses take the same time', async () => {
    const differences = await knownMinusUnknownMs(appWith({ resetRequestMinimumMs: 600 }), 7);

    expect(Math.abs(median(differences))).toBeLessThan(MAIL_MS / 2);
  });
});
