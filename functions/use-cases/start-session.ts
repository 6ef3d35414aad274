import type { Contact, Membership } from '../domain/identity';
import type { Clock, IdGenerator, SessionTokens, TenantScope } from '../domain/ports';
import { SESSION_POLICY } from './contact-principal';
import { listPortalCustomers } from './get-contact-profile';

export interface StartSessionDeps {
  readonly scope: TenantScope;
  readonly tokens: SessionTokens;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface LoginResult {
  readonly token: string;
  readonly expiresAt: Date;
  readonly contact: Contact;
  readonly customers: readonly Membership[];
}

/**
 * What every successful login ends in, whatever proved who the person is (password, BankID): a server-side session
 * record, a signed token for the cookie, the customer companies to choose from, and the audit event
 * (`login.<method>`, success).
 */
export async function startSession(
  deps: StartSessionDeps,
  contact: Contact,
  login: { readonly method: 'password' | 'bankid'; readonly sourceIp: string },
): Promise<LoginResult> {
  const { scope, tokens, clock, ids } = deps;
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_POLICY.absoluteTimeoutMs);
  const sessionId = ids.newId();
  await scope.sessions.create({
    id: sessionId,
    contactId: contact.id,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    revoked: false,
  });
  const [token, customers] = await Promise.all([
    tokens.issue({ tenantId: scope.tenantId, contactId: contact.id, sessionId }, expiresAt),
    listPortalCustomers(scope, contact.id),
    scope.audit.append({
      id: ids.newId(),
      at: now.toISOString(),
      action: `login.${login.method}`,
      actor: { type: 'contact', id: contact.id },
      sourceIp: login.sourceIp,
      outcome: 'success',
    }),
  ]);
  return { token, expiresAt, contact, customers };
}
