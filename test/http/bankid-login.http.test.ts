import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BankIdSimulator,
  startBankIdSimulator,
} from '../../functions/local/bankid-simulator/start-bankid-simulator';
import type { SimulatedIdentity } from '../../functions/local/bankid-simulator/state-machine';
import { readAuditEvents } from '../support/audit-events';
import {
  type ClinicContact,
  type ClinicFixture,
  clientFor,
  createClinic,
  createTestPortal,
  linkBankId as linkBankIdIdentity,
  type TestPortal,
} from '../support/test-portal';

/**
 * BankID login through the portal API, against the local BankID simulator over real mutual TLS. The simulator
 * plays the user: it "scans" the very QR data our API handed out (verifying its HMAC and time), or opens the app
 * with our autostart token, and approves as a test identity.
 */
let simulator: BankIdSimulator;
let portal: TestPortal;
let clinic: ClinicFixture;

const ANNA: SimulatedIdentity = { personalNumber: '199007042386', givenName: 'Anna', surname: 'Åberg' };
const STRANGER: SimulatedIdentity = { personalNumber: '195210092218', givenName: 'Åke', surname: 'Söderström' };

interface Started {
  loginId: string;
  qrData?: string;
  autoStartToken?: string;
  message: { id: string; sv: string };
}
interface Progress {
  status: string;
  message?: { id: string; sv: string };
  qrData?: string;
  profile?: { contact: { id: string; name: string } };
}

beforeAll(async () => {
  // One clock for both sides: the QR's `t` is computed by our server and checked by the simulator.
  const shared = { now: () => portal.clock.now() };
  simulator = await startBankIdSimulator({ clock: shared });
  portal = createTestPortal({ bankIdSimulator: simulator });
  clinic = await createClinic(portal);
  await linkBankId(clinic, clinic.contact, ANNA);
});

afterAll(async () => {
  await simulator?.stop();
});

async function linkBankId(fixture: ClinicFixture, who: ClinicContact, identity: SimulatedIdentity) {
  await linkBankIdIdentity(portal, fixture, who.contact, identity.personalNumber);
}

function browser(fixture: ClinicFixture = clinic) {
  const client = clientFor(portal, fixture);
  const post = (path: string, body?: unknown) =>
    client.request(path, {
      method: 'POST',
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
  return {
    client,
    async start(method: 'qr' | 'autostart') {
      const response = await post('/api/auth/bankid', { method });
      expect(response.status).toBe(201);
      return (await response.json()) as Started;
    },
    /** A poll; `returnNonce` makes it the page the BankID app sent the user back to. */
    async collect(loginId: string, returnNonce?: string) {
      const response = await post(
        `/api/auth/bankid/${loginId}/collect`,
        returnNonce === undefined ? undefined : { returnNonce },
      );
      return {
        status: response.status,
        cookie: response.headers.get('Set-Cookie'),
        body: (await response.json()) as Progress,
      };
    },
    cancel: (loginId: string) => post(`/api/auth/bankid/${loginId}/cancel`),
  };
}

describe('BankID login with a QR code on another device', () => {
  it('logs in the contact the personal number belongs to, after BankID asked for the security code', async () => {
    const user = browser();
    const started = await user.start('qr');
    expect(started.message).toMatchObject({ id: 'RFA1', sv: 'Starta BankID-appen.' });
    expect(started.qrData).toMatch(/^bankid\.[0-9a-f-]{36}\.0\.[0-9a-f]{64}$/u);
    expect(started).not.toHaveProperty('autoStartToken');

    const waiting = await user.collect(started.loginId);
    expect(waiting.body).toMatchObject({ status: 'pending', message: { id: 'RFA1' } });
    const { orderRef } = simulator.control.scanQr(started.qrData ?? '', ANNA);
    simulator.control.approve(orderRef);
    const done = await user.collect(started.loginId);

    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'complete', profile: { contact: { id: clinic.contact.contact.id } } });
    expect(done.cookie).toMatch(/^__Host-session=/u);
    user.client.cookie = done.cookie?.split(';')[0];
    const me = (await (await user.client.request('/api/me')).json()) as { contact: { id: string } };
    expect(me.contact.id).toBe(clinic.contact.contact.id);
  });

  it('animates the QR: a poll after three seconds hands out frame t=3, which the BankID app accepts', async () => {
    const user = browser();
    const started = await user.start('qr');
    portal.clock.advance(3_000);

    const poll = await user.collect(started.loginId);

    expect(poll.body.qrData).toMatch(/^bankid\.[0-9a-f-]{36}\.3\.[0-9a-f]{64}$/u);
    expect(() => simulator.control.scanQr(started.qrData ?? '', ANNA)).toThrow();
    expect(simulator.control.scanQr(poll.body.qrData ?? '', ANNA).status).toBe('pending');
  });

  it('reaches the same account as the password login', async () => {
    const byPassword = clientFor(portal, clinic);
    const passwordProfile = (await (await byPassword.login(clinic.contact)).json()) as { contact: { id: string } };
    const user = browser();
    const started = await user.start('qr');
    simulator.control.approve(simulator.control.scanQr(started.qrData ?? '', ANNA).orderRef);

    const done = await user.collect(started.loginId);

    expect(done.body.profile?.contact.id).toBe(passwordProfile.contact.id);
  });
});

describe('BankID login on this device (autostart)', () => {
  /** The app approves as `identity` and "opens" the order's return URL: what it hands the page it opens. */
  function approveAndReturn(autoStartToken: string | undefined, identity: SimulatedIdentity) {
    const { orderRef } = simulator.control.openAutostart(autoStartToken ?? '', identity);
    const approved = simulator.control.approve(orderRef);
    const returnUrl = new URL(approved.returnUrl ?? '');
    const fragment = new URLSearchParams(returnUrl.hash.slice(1));
    return { returnUrl, loginId: fragment.get('login') ?? '', nonce: fragment.get('nonce') ?? '' };
  }

  it('gives BankID a return URL on the clinic’s host with the login and a nonce in its fragment', async () => {
    const user = browser();
    const started = await user.start('autostart');
    expect(started.autoStartToken).toMatch(/^[0-9a-f-]{36}$/u);
    expect(started).not.toHaveProperty('qrData');
    expect(started.message.id).toBe('RFA13');

    const back = approveAndReturn(started.autoStartToken, ANNA);

    expect(`${back.returnUrl.origin}${back.returnUrl.pathname}`).toBe(`${clinic.origin}/bankid/retur`);
    expect(back.returnUrl.search).toBe('');
    expect(back.loginId).toBe(started.loginId);
    expect(back.nonce).toMatch(/^[0-9a-f-]{36}$/u);
    expect(JSON.stringify(started)).not.toContain(back.nonce);
  });

  it('completes on the page the app returns to, with the nonce', async () => {
    const user = browser();
    const started = await user.start('autostart');
    const back = approveAndReturn(started.autoStartToken, ANNA);

    const done = await user.collect(back.loginId, back.nonce);

    expect(done.body).toMatchObject({ status: 'complete', profile: { contact: { id: clinic.contact.contact.id } } });
    expect(done.cookie).toMatch(/^__Host-session=/u);
    expect((await user.collect(started.loginId)).status).toBe(404);
  });

  it('keeps a tab without the nonce waiting after the approval, and lets the return finish the login', async () => {
    const startingTab = browser();
    const started = await startingTab.start('autostart');
    const back = approveAndReturn(started.autoStartToken, ANNA);

    const waiting = await startingTab.collect(started.loginId);
    const stillWaiting = await startingTab.collect(started.loginId);
    const returnedTab = browser();
    const done = await returnedTab.collect(back.loginId, back.nonce);

    expect(waiting.body).toEqual({ status: 'awaiting_return' });
    expect(stillWaiting.body).toEqual({ status: 'awaiting_return' });
    expect(waiting.cookie).toBeNull();
    expect(done.body).toMatchObject({ status: 'complete', profile: { contact: { id: clinic.contact.contact.id } } });
    expect(done.cookie).toMatch(/^__Host-session=/u);
  });

  it('logs nobody in for whoever passed their autostart token to somebody else', async () => {
    const attacker = browser();
    const started = await attacker.start('autostart');
    // The victim's app opens with the attacker's token, approves, and opens the return URL on the victim's device.
    approveAndReturn(started.autoStartToken, ANNA);

    const polls = [await attacker.collect(started.loginId), await attacker.collect(started.loginId)];

    expect(polls.map((poll) => poll.body.status)).toEqual(['awaiting_return', 'awaiting_return']);
    expect(polls.map((poll) => poll.cookie)).toEqual([null, null]);
  });

  it('ends the login on a return with another nonce, and audits it', async () => {
    const user = browser();
    const started = await user.start('autostart');
    const back = approveAndReturn(started.autoStartToken, ANNA);

    const forged = await user.collect(back.loginId, crypto.randomUUID());

    expect(forged.body).toMatchObject({ status: 'failed', message: { id: 'RFA22' } });
    expect(forged.cookie).toBeNull();
    expect((await user.collect(back.loginId, back.nonce)).status).toBe(404);
    const events = await readAuditEvents(clinic.tenantId, portal.clock.now().toISOString().slice(0, 7));
    expect(
      events.some((event) => event.action === 'login.bankid' && event.details?.reason === 'return_nonce_mismatch'),
    ).toBe(true);
  });

  it('refuses a nonce on a QR login (it has none) and a nonce that is no UUID', async () => {
    const user = browser();
    const qr = await user.start('qr');
    const autostart = await user.start('autostart');

    const onQr = await user.collect(qr.loginId, crypto.randomUUID());
    const malformed = await user.collect(autostart.loginId, 'not-a-nonce');

    expect(onQr.body).toMatchObject({ status: 'failed' });
    expect(malformed.status).toBe(400);
    expect((await user.collect(autostart.loginId)).body.status).toBe('pending');
  });

  it('tells a stranger who returns from the app that they have no access', async () => {
    const user = browser();
    const started = await user.start('autostart');
    const back = approveAndReturn(started.autoStartToken, STRANGER);

    expect((await user.collect(started.loginId)).body).toEqual({ status: 'awaiting_return' });
    expect((await user.collect(back.loginId, back.nonce)).body).toEqual({ status: 'no_access' });
  });
});

describe('BankID login that does not end in a session', () => {
  it('tells a person who is no contact of the clinic that they have no access, and sets no cookie', async () => {
    const user = browser();
    const started = await user.start('qr');
    simulator.control.approve(simulator.control.scanQr(started.qrData ?? '', STRANGER).orderRef);

    const done = await user.collect(started.loginId);

    expect(done.body).toEqual({ status: 'no_access' });
    expect(done.cookie).toBeNull();
  });

  it('refuses a deactivated contact like a stranger', async () => {
    const fixture = await createClinic(portal);
    const inactive = await fixture.addContact([fixture.customer], 'deactivated');
    const identity = { ...STRANGER, personalNumber: '197203702399' };
    await linkBankId(fixture, inactive, identity);
    const user = browser(fixture);
    const started = await user.start('qr');
    simulator.control.approve(simulator.control.scanQr(started.qrData ?? '', identity).orderRef);

    expect((await user.collect(started.loginId)).body).toEqual({ status: 'no_access' });
  });

  it('shows BankID’s message when the user cancels in the app, and forgets the login', async () => {
    const user = browser();
    const started = await user.start('qr');
    const { orderRef } = simulator.control.scanQr(started.qrData ?? '', ANNA);
    simulator.control.userCancel(orderRef);

    const failed = await user.collect(started.loginId);

    expect(failed.body).toMatchObject({ status: 'failed', message: { id: 'RFA6' } });
    expect((await user.collect(started.loginId)).status).toBe(404);
  });

  it('fails with RFA8 when nobody scans the QR within the pickup window', async () => {
    const user = browser();
    const started = await user.start('qr');
    portal.clock.advance(31_000);

    expect((await user.collect(started.loginId)).body).toMatchObject({ status: 'failed', message: { id: 'RFA8' } });
  });

  it('cancels the order at BankID when the user aborts in the portal', async () => {
    const user = browser();
    const started = await user.start('qr');

    expect((await user.cancel(started.loginId)).status).toBe(204);
    expect((await user.collect(started.loginId)).status).toBe(404);
    expect(() => simulator.control.scanQr(started.qrData ?? '', ANNA)).toThrow();
  });

  it('shows RFA5 when BankID is in maintenance', async () => {
    const user = browser();
    const started = await user.start('qr');
    simulator.control.injectFault({ path: 'collect', status: 503 });

    expect((await user.collect(started.loginId)).body).toMatchObject({ status: 'failed', message: { id: 'RFA5' } });
  });
});

describe('what BankID logins never do', () => {
  it('never hands a login of one clinic to another clinic', async () => {
    const otherClinic = await createClinic(portal);
    const started = await browser().start('qr');

    expect((await browser(otherClinic).collect(started.loginId)).status).toBe(404);
  });

  it('never returns, logs or stores the personal number', async () => {
    const user = browser();
    const started = await user.start('qr');
    simulator.control.approve(simulator.control.scanQr(started.qrData ?? '', ANNA).orderRef);
    const done = await user.collect(started.loginId);
    const events = await readAuditEvents(clinic.tenantId, portal.clock.now().toISOString().slice(0, 7));

    const everything = JSON.stringify([done.body, events]);
    expect(everything).not.toContain(ANNA.personalNumber);
    expect(everything).not.toContain(ANNA.personalNumber.slice(2));
    expect(events.some((event) => event.action === 'login.bankid' && event.outcome === 'success')).toBe(true);
  });

  it('answers 503 where BankID is not configured', async () => {
    const withoutBankId = createTestPortal();
    const fixture = await createClinic(withoutBankId);
    const response = await clientFor(withoutBankId, fixture).request('/api/auth/bankid', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ method: 'qr' }),
    });

    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('bankid_unavailable');
  });
});
