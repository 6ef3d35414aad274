import { displayPrefixOf, formatApiKey } from '../../domain/api-key-format';
import type { AuditAction } from '../../domain/audit-actions';
import { NotFoundError, ValidationError } from '../../domain/errors';
import type { Actor, ApiKey } from '../../domain/identity';
import type { Clock, IdGenerator, TenantScope } from '../../domain/ports';
import { sha256Hex } from '../sha256';

export interface ManageApiKeysDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** A new key: the stored record and the key text, which is shown this once and never stored. */
export interface IssuedApiKey {
  readonly key: ApiKey;
  readonly secret: string;
}

/** How long a rotated key keeps working by default, so the practice system can switch without downtime. */
export const DEFAULT_ROTATION_GRACE_HOURS = 24;
const MAX_ROTATION_GRACE_HOURS = 24 * 14;

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

export async function createApiKey(
  deps: ManageApiKeysDeps,
  input: { readonly name: string; readonly createdBy: string; readonly actor?: Actor },
): Promise<IssuedApiKey> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) {
    throw new ValidationError('An API key needs a name of 1 to 100 characters.', { fields: { name: 'invalid' } });
  }
  const { scope, clock, ids } = deps;
  const keyId = ids.newId();
  const secret = formatApiKey(scope.tenantId, keyId, randomSecret());
  const key: ApiKey = {
    id: keyId,
    name,
    displayPrefix: displayPrefixOf(keyId),
    secretSha256: sha256Hex(secret),
    createdAt: clock.now().toISOString(),
    createdBy: input.createdBy,
  };
  await scope.apiKeys.create(key);
  await audit(deps, 'api_key.created', input.actor ?? operator(input.createdBy), { keyId });
  return { key, secret };
}

export function listApiKeys(deps: Pick<ManageApiKeysDeps, 'scope'>): Promise<readonly ApiKey[]> {
  return deps.scope.apiKeys.list();
}

/**
 * Issues a replacement with the same name and lets the old key expire after a grace period (0 = at once), so the
 * practice system can be reconfigured while both work.
 */
export async function rotateApiKey(
  deps: ManageApiKeysDeps,
  input: { readonly keyId: string; readonly graceHours: number; readonly by: string; readonly actor?: Actor },
): Promise<IssuedApiKey & { readonly oldKeyExpiresAt: string }> {
  if (!Number.isFinite(input.graceHours) || input.graceHours < 0 || input.graceHours > MAX_ROTATION_GRACE_HOURS) {
    throw new ValidationError(`The grace period must be 0 to ${MAX_ROTATION_GRACE_HOURS} hours.`, {
      fields: { graceHours: 'out of range' },
    });
  }
  const old = await activeKey(deps, input.keyId);
  const issued = await createApiKey(deps, {
    name: old.name,
    createdBy: input.by,
    ...(input.actor ? { actor: input.actor } : {}),
  });
  const oldKeyExpiresAt = new Date(deps.clock.now().getTime() + input.graceHours * 3_600_000).toISOString();
  await deps.scope.apiKeys.update(old.id, { expiresAt: oldKeyExpiresAt, replacedBy: issued.key.id });
  await audit(deps, 'api_key.rotated', input.actor ?? operator(input.by), {
    keyId: old.id,
    replacedBy: issued.key.id,
    oldKeyExpiresAt,
  });
  return { ...issued, oldKeyExpiresAt };
}

export async function revokeApiKey(
  deps: ManageApiKeysDeps,
  input: { readonly keyId: string; readonly by: string; readonly actor?: Actor },
): Promise<ApiKey> {
  const key = await deps.scope.apiKeys.get(input.keyId);
  if (!key) throw new NotFoundError('The API key');
  if (key.revokedAt) return key;
  const revoked = await deps.scope.apiKeys.update(key.id, { revokedAt: deps.clock.now().toISOString() });
  await audit(deps, 'api_key.revoked', input.actor ?? operator(input.by), { keyId: key.id });
  return revoked;
}

/** Why a stored key may not be used now, or undefined if it may. */
export function unusableReason(key: ApiKey, now: Date): 'revoked' | 'expired' | undefined {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now.getTime()) return 'expired';
  return undefined;
}

async function activeKey(deps: ManageApiKeysDeps, keyId: string): Promise<ApiKey> {
  const key = await deps.scope.apiKeys.get(keyId);
  if (!key) throw new NotFoundError('The API key');
  const reason = unusableReason(key, deps.clock.now());
  if (reason)
    throw new ValidationError(`The API key is ${reason}; create a new one instead.`, { fields: { keyId: reason } });
  return key;
}

/** The operator named on the command line: who acts when no other actor (a clinic administrator) is given. */
const operator = (name: string): Actor => ({ type: 'operator', id: name });

async function audit(
  deps: ManageApiKeysDeps,
  action: AuditAction,
  actor: Actor,
  details: Record<string, string>,
): Promise<void> {
  await deps.scope.audit.append({
    id: deps.ids.newId(),
    at: deps.clock.now().toISOString(),
    action,
    actor,
    outcome: 'success',
    details,
  });
}
