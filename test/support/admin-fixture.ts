import { randomUUID } from 'node:crypto';
import { totpCodeAt, totpSecretFromBase32 } from '../../functions/adapters/security/otpauth-totp';
import type { AdminStatus, ClinicAdmin } from '../../functions/domain/clinic-admin';
import type { AdminPasswordStepResponse, AdminProfileResponse } from '../../functions/http/admin-api-contract';
import { totpSealContext } from '../../functions/use-cases/admin-login';
import { newRecoveryCodes } from '../../functions/use-cases/recovery-codes';
import type { ClinicFixture, TestPortal } from './test-portal';

/** An administrator of a test clinic, with what their phone and their drawer hold. */
export interface AdminFixture {
  readonly admin: ClinicAdmin;
  readonly username: string;
  readonly password: string;
  /** The authenticator's secret (absent for an administrator who has not enrolled yet). */
  readonly totpSecret?: Uint8Array;
  readonly recoveryCodes: readonly string[];
}

/** A new 160-bit secret in base32 for a test authenticator. */
const secretOf = (base32: string) => totpSecretFromBase32(base32);

/**
 * Adds an administrator straight through the ports (the provisioning command and enrolment have tests of their own):
 * with a password, and by default an enrolled authenticator and fresh recovery codes.
 */
export async function addAdmin(
  portal: TestPortal,
  clinic: Pick<ClinicFixture, 'scope'>,
  options: {
    readonly enrolled?: boolean;
    readonly status?: AdminStatus;
    readonly email?: string;
    readonly password?: string | null;
  } = {},
): Promise<AdminFixture> {
  const { scope } = clinic;
  const id = randomUUID();
  const username = options.email ?? `admin-${id.slice(0, 8)}@klinik.example`;
  const password = options.password === undefined ? `admin-lösenord-${id.slice(0, 6)}` : options.password;
  const enrolled = options.enrolled ?? true;
  const totpSecret = enrolled ? portal.deps.totp.newSecret() : undefined;
  const recovery = newRecoveryCodes(id);
  const now = portal.clock.now().toISOString();
  const admin: ClinicAdmin = {
    id,
    name: `Helena Berg ${id.slice(0, 4)}`,
    email: username,
    status: options.status ?? 'active',
    createdAt: now,
    totp: totpSecret
      ? {
          state: 'enrolled',
          sealedSecret: await portal.deps.adminSecrets.seal(totpSecret, totpSealContext(scope.tenantId, id)),
          enrolledAt: now,
        }
      : { state: 'none' },
    recoveryCodeHashes: enrolled ? recovery.hashes : [],
  };
  await scope.admins.create(admin);
  if (password !== null) await scope.admins.setPasswordHash(username, id, await portal.deps.hasher.hash(password));
  return {
    admin,
    username,
    password: password ?? '',
    ...(totpSecret ? { totpSecret } : {}),
    recoveryCodes: enrolled ? recovery.codes : [],
  };
}

/** The code the administrator's app shows at the portal's time, `offsetSteps` 30-second steps away. */
export function codeFor(portal: TestPortal, secret: Uint8Array | string | undefined, offsetSteps = 0): string {
  if (secret === undefined) throw new Error('This administrator has no authenticator.');
  const bytes = typeof secret === 'string' ? secretOf(secret) : secret;
  return totpCodeAt(bytes, new Date(portal.clock.now().getTime() + offsetSteps * 30_000));
}

export const json = (body: unknown, init: RequestInit = {}): RequestInit => ({
  method: 'POST',
  ...init,
  headers: { 'Content-Type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
  body: JSON.stringify(body),
});

/**
 * A browser on the clinic's host, as the admin pages use it: same-origin writes and a cookie jar that keeps the
 * cookies the responses set (the admin session, and a contact session when a test logs one in too).
 */
export function adminClientFor(portal: TestPortal, clinic: Pick<ClinicFixture, 'host' | 'origin'>) {
  const cookies = new Map<string, string>();
  const request = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size > 0 && !headers.has('Cookie')) {
      headers.set('Cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    if (init.method && init.method !== 'GET' && !headers.has('Origin')) headers.set('Origin', clinic.origin);
    const response = await portal.app.request(`https://${clinic.host}${path}`, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '' || /Max-Age=0/iu.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };
  const passwordStep = async (credentials: { readonly username: string; readonly password: string }) => {
    const response = await request('/api/admin/auth/login', json(credentials));
    if (response.status !== 200) throw new Error(`The password step failed with ${response.status}`);
    return (await response.json()) as AdminPasswordStepResponse;
  };
  return {
    request,
    cookies,
    passwordStep,
    /** Password, then the app's current code: a logged-in administrator (throws if either step fails). */
    async login(fixture: AdminFixture, code = codeFor(portal, fixture.totpSecret)) {
      const { challengeId } = await passwordStep(fixture);
      const response = await request('/api/admin/auth/verify', json({ challengeId, code }));
      if (response.status !== 200) throw new Error(`The code step failed with ${response.status}`);
      return (await response.json()) as AdminProfileResponse;
    },
  };
}
