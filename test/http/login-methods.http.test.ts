import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminSettingsResponse } from '../../functions/http/admin-api-contract';
import type { TenantResponse } from '../../functions/http/api-contract';
import {
  type BankIdSimulator,
  startBankIdSimulator,
} from '../../functions/local/bankid-simulator/start-bankid-simulator';
import type { SimulatedIdentity } from '../../functions/local/bankid-simulator/state-machine';
import { type AdminFixture, addAdmin, adminClientFor, json } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import {
  type ClinicFixture,
  clientFor,
  createClinic,
  createTestPortal,
  linkBankId,
  type TestPortal,
} from '../support/test-portal';

/**
 * Issue 6, the contacts' login methods: a clinic offers BankID, password or both. A method turned off is refused by
 * the server (403 `login_method_disabled`) and left off the login page; sessions already running go on, and the
 * administrators' own login is not affected. BankID runs against the local simulator over mutual TLS.
 */
let simulator: BankIdSimulator;
let portal: TestPortal;

const ANNA: SimulatedIdentity = { personalNumber: '199007042386', givenName: 'Anna', surname: 'Åberg' };

beforeAll(async () => {
  const shared = { now: () => portal.clock.now() };
  simulator = await startBankIdSimulator({ clock: shared });
  portal = createTestPortal({ bankIdSimulator: simulator });
});

afterAll(async () => {
  await simulator?.stop();
});

interface Clinic {
  readonly fixture: ClinicFixture;
  readonly adminFixture: AdminFixture;
  readonly admin: ReturnType<typeof adminClientFor>;
}

/** A clinic whose first contact can log in with a password and with BankID (as Anna), and an administrator. */
async function clinicWithBothMethods(): Promise<Clinic> {
  const fixture = await createClinic(portal, 'Inloggningskliniken AB');
  await linkBankId(portal, fixture, fixture.contact.contact, ANNA.personalNumber);
  const adminFixture = await addAdmin(portal, fixture);
  const admin = adminClientFor(portal, fixture);
  await admin.login(adminFixture);
  return { fixture, adminFixture, admin };
}

const setMethods = (clinic: Clinic, loginMethods: { bankId: boolean; password: boolean }) =>
  clinic.admin.request('/api/admin/settings', json({ loginMethods }, { method: 'PUT' }));

const post = (clinic: Clinic, path: string, body: unknown) =>
  clientFor(portal, clinic.fixture).request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

const tenantOf = async (clinic: Clinic) =>
  (await (await clientFor(portal, clinic.fixture).request('/api/tenant')).json()) as TenantResponse;

const passwordLogin = (clinic: Clinic, credentials = clinic.fixture.contact) =>
  post(clinic, '/api/auth/login', { username: credentials.username, password: credentials.password });

/** Starts a BankID login with a QR code and has the simulator's user approve it as Anna. */
async function startAndApproveBankId(clinic: Clinic): Promise<string> {
  const started = await post(clinic, '/api/auth/bankid', { method: 'qr' });
  expect(started.status).toBe(201);
  const { loginId, qrData } = (await started.json()) as { loginId: string; qrData: string };
  simulator.control.approve(simulator.control.scanQr(qrData, ANNA).orderRef);
  return loginId;
}

const collect = (clinic: Clinic, loginId: string) => post(clinic, `/api/auth/bankid/${loginId}/collect`, {});

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

describe('a clinic that never chose', () => {
  it('offers both methods, and the login page is told so', async () => {
    const clinic = await clinicWithBothMethods();

    expect((await tenantOf(clinic)).loginMethods).toEqual({ bankId: true, password: true });
    expect((await passwordLogin(clinic)).status).toBe(200);
    expect((await collect(clinic, await startAndApproveBankId(clinic))).status).toBe(200);
  });
});

describe('password login turned off', () => {
  let clinic: Clinic;
  let runningSession: ReturnType<typeof clientFor>;
  let response: Response;

  beforeAll(async () => {
    clinic = await clinicWithBothMethods();
    runningSession = clientFor(portal, clinic.fixture);
    await runningSession.login(clinic.fixture.contact);
    response = await setMethods(clinic, { bankId: true, password: false });
  });

  it('is stored, audited with before and after, and the login page is told to show only BankID', async () => {
    const [event] = (
      await readAuditEvents(clinic.fixture.tenantId, portal.clock.now().toISOString().slice(0, 7))
    ).filter((each) => each.action === 'settings.changed');

    expect(response.status).toBe(200);
    expect(((await response.json()) as AdminSettingsResponse).loginMethods).toEqual({ bankId: true, password: false });
    expect((await tenantOf(clinic)).loginMethods).toEqual({ bankId: true, password: false });
    expect(event?.details).toEqual({
      fields: 'loginMethods',
      before: '{"loginMethods":{"bankId":true,"password":true}}',
      after: '{"loginMethods":{"bankId":true,"password":false}}',
    });
  });

  it('refuses the right password with 403 login_method_disabled, and a wrong one just the same', async () => {
    const right = await passwordLogin(clinic);
    const wrong = await passwordLogin(clinic, { ...clinic.fixture.contact, password: 'fel-lösenord-helt-och-hållet' });

    expect(right.status).toBe(403);
    expect(right.headers.get('Set-Cookie')).toBeNull();
    expect(await errorOf(right)).toEqual({
      code: 'login_method_disabled',
      message: 'This portal does not offer login with username and password.',
    });
    expect(wrong.status).toBe(403);
  });

  it('refuses a password reset request, and sends no mail', async () => {
    const mailsBefore = (await portal.mailSink.list()).length;

    const reset = await post(clinic, '/api/auth/password-reset', { email: clinic.fixture.contact.username });

    expect(reset.status).toBe(403);
    expect((await errorOf(reset)).code).toBe('login_method_disabled');
    expect((await portal.mailSink.list()).length).toBe(mailsBefore);
  });

  it('still lets contacts in with BankID', async () => {
    const done = await collect(clinic, await startAndApproveBankId(clinic));

    expect(done.status).toBe(200);
    expect(done.headers.get('Set-Cookie')).toMatch(/^__Host-session=/u);
  });

  it('leaves a session that was running before alone', async () => {
    expect((await runningSession.request('/api/me')).status).toBe(200);
  });

  it("does not touch the administrators' own password login", async () => {
    const admin = adminClientFor(portal, clinic.fixture);
    // The next time step: each TOTP code is accepted once, and the fixture's administrator logged in with this one.
    portal.clock.advance(30_000);

    await expect(admin.login(clinic.adminFixture)).resolves.toMatchObject({ admin: expect.anything() });
  });
});

describe('BankID turned off', () => {
  let clinic: Clinic;
  let underWay: string;

  beforeAll(async () => {
    clinic = await clinicWithBothMethods();
    underWay = await startAndApproveBankId(clinic);
    expect((await setMethods(clinic, { bankId: false, password: true })).status).toBe(200);
  });

  it('refuses to start a BankID login with 403 login_method_disabled', async () => {
    const started = await post(clinic, '/api/auth/bankid', { method: 'qr' });

    expect(started.status).toBe(403);
    expect(await errorOf(started)).toEqual({
      code: 'login_method_disabled',
      message: 'This portal does not offer login with BankID.',
    });
    expect((await tenantOf(clinic)).loginMethods).toEqual({ bankId: false, password: true });
  });

  it('does not let a BankID login that was under way complete', async () => {
    const done = await collect(clinic, underWay);

    expect(done.status).toBe(403);
    expect(done.headers.get('Set-Cookie')).toBeNull();
  });

  it('still lets contacts in with their password', async () => {
    expect((await passwordLogin(clinic)).status).toBe(200);
  });
});

describe('turning both off', () => {
  it('is refused with 400 naming loginMethods, and nothing changes', async () => {
    const clinic = await clinicWithBothMethods();

    const response = await setMethods(clinic, { bankId: false, password: false });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        details: { fields: { loginMethods: 'at least one login method (BankID or password) must stay enabled' } },
      },
    });
    expect((await tenantOf(clinic)).loginMethods).toEqual({ bankId: true, password: true });
    expect((await passwordLogin(clinic)).status).toBe(200);
  });
});
