import { parseApiKey } from '../../domain/api-key-format';
import { ForbiddenError, UnauthenticatedError } from '../../domain/errors';
import { API_KEY_USE_RESOLUTION_MS, ClinicDisabledError, clinicStatusOf } from '../../domain/identity';
import type { Clock, IdGenerator, TenantScope, TenantScopeFactory } from '../../domain/ports';
import { sameSecret } from '../same-secret';
import { sha256Hex } from '../sha256';
import type { IngestPrincipal } from './ingest-principal';
import { unusableReason } from './manage-api-keys';

export interface AuthenticateApiKeyDeps {
  /** The clinic the request was addressed to (by host name). */
  readonly scope: TenantScope;
  /** To tell a genuine key of another clinic (403) from a made-up one (401). */
  readonly scopeFor: TenantScopeFactory;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * SECURITY.md "Ingest API": 401 without a valid key; 403 for a key that is valid but may not be used here (revoked,
 * expired after rotation, issued to another clinic, or of a clinic the operator disabled: `clinic_disabled`). Failures are audited under the addressed clinic.
 */
export async function authenticateApiKey(
  deps: AuthenticateApiKeyDeps,
  presented: string | undefined,
  sourceIp: string,
): Promise<IngestPrincipal> {
  const { scope, clock } = deps;
  const fail = async (reason: string, error: Error): Promise<never> => {
    await scope.audit.append({
      id: deps.ids.newId(),
      at: clock.now().toISOString(),
      action: 'api_key.rejected',
      actor: { type: 'anonymous' },
      sourceIp,
      outcome: 'failure',
      details: { reason },
    });
    throw error;
  };
  if (!presented) {
    throw new UnauthenticatedError('An API key is required: send it as "Authorization: Bearer <key>".');
  }
  const parsed = parseApiKey(presented);
  const invalid = () => new UnauthenticatedError('The API key is not valid.');
  if (!parsed) return fail('malformed', invalid());
  const issuer = parsed.tenantId === scope.tenantId ? scope : deps.scopeFor(parsed.tenantId);
  // The addressed clinic's record is read alongside the key (no extra round trip): a key of a clinic the operator
  // disabled is refused here, the ingest API's one check of it (see resolveTenant's refuseUnavailableClinic).
  const [key, tenant] = await Promise.all([issuer.apiKeys.get(parsed.keyId), scope.tenant.get()]);
  if (!key || !sameSecret(key.secretSha256, sha256Hex(presented))) return fail('unknown', invalid());
  if (issuer !== scope) {
    return fail('other_clinic', new ForbiddenError('api_key_wrong_clinic', 'This API key belongs to another clinic.'));
  }
  if (!tenant || clinicStatusOf(tenant) === 'disabled') return fail('clinic_disabled', new ClinicDisabledError());
  const reason = unusableReason(key, clock.now());
  if (reason) {
    return fail(
      reason,
      new ForbiddenError(`api_key_${reason}`, `This API key is ${reason}; ask the clinic for a new one.`),
    );
  }
  const now = clock.now();
  if (!key.lastUsedAt || now.getTime() - Date.parse(key.lastUsedAt) >= API_KEY_USE_RESOLUTION_MS) {
    await scope.apiKeys.touch(key.id, now);
  }
  return { tenantId: scope.tenantId, keyId: key.id };
}
