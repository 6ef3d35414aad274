import type { Actor } from '../../domain/identity';

/** The practice system after its API key was checked: one clinic, one key. */
export interface IngestPrincipal {
  readonly tenantId: string;
  readonly keyId: string;
}

export const actorOf = (principal: IngestPrincipal): Actor => ({ type: 'api-key', id: principal.keyId });
