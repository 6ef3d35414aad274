import { ConflictError } from '../domain/errors';
import type { AuditEvent } from '../domain/identity';
import type { TenantScope } from '../domain/ports';

/**
 * Records the audit event of a state change exactly once, however often the change is retried.
 *
 * A state change and its audit event are two writes, and a crash or a lost response can fall between them. So the
 * event is written after the change, with an id and time derived from the change itself (e.g. `<document id>.published`
 * at the document's `sentAt`), and a retry that finds the change already done writes it again: the audit log's
 * append is conditional on the event not existing, so the second write is a no-op. The result: an event for every
 * change that happened, none for one that did not, and never two.
 */
export async function recordOnce(scope: Pick<TenantScope, 'audit'>, event: AuditEvent): Promise<void> {
  try {
    await scope.audit.append(event);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}
