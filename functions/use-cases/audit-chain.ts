import type { ChainBreakAt, ChainHead, ChainLink, SealedAuditEvent } from '../domain/audit-trail';
import type { AuditEvent } from '../domain/identity';
import { sha256Hex } from './sha256';

/**
 * The tamper-evident audit trail (issue 6): every event of a clinic is a link in one hash chain. Link `n` holds
 * `hash(n) = SHA-256(hash(n − 1) ‖ canonical(event n))`, starting from {@link GENESIS_HASH}; changing, removing or
 * reordering any sealed event breaks every hash from it on, and verification names the first event that does not fit.
 *
 * Events are appended as they happen and chained ("sealed") shortly after, in batches, in the order they are found
 * (time, then id): a busy clinic's downloads never queue behind one chain head, and an event written late (a retry
 * that records a change with the change's own, earlier time) is simply chained later.
 */

/** A value with its object keys sorted at every depth, so the same event always serialises to the same bytes. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, entry]) => entry !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, entry]) => [key, sortedKeys(entry)]),
    );
  }
  return value;
}

/** The bytes of an event that its link's hash covers: every field of the event, in a fixed order. */
export function canonicalAuditEvent(event: AuditEvent): string {
  const { id, at, action, actor, customerId, documentId, sourceIp, outcome, details } = event;
  return JSON.stringify(sortedKeys({ id, at, action, actor, customerId, documentId, sourceIp, outcome, details }));
}

export function linkHash(previousHash: string, event: AuditEvent): string {
  return sha256Hex(`${previousHash}\n${canonicalAuditEvent(event)}`);
}

/** The links for `events` (in the order given) following `head`. */
export function chainLinks(head: ChainHead, events: readonly AuditEvent[]): SealedAuditEvent[] {
  let previous = head;
  return events.map((event) => {
    const link: ChainLink = {
      index: previous.index + 1,
      previousHash: previous.hash,
      hash: linkHash(previous.hash, event),
    };
    previous = link;
    return { event, link };
  });
}

/**
 * Checks links in chain order, continuing from `from` (the chain's start, or where an earlier call stopped). Returns
 * the head reached, or the first break.
 */
export function verifyLinks(
  from: ChainHead,
  links: readonly SealedAuditEvent[],
): { readonly head: ChainHead } | { readonly broken: ChainBreakAt } {
  let previous = from;
  for (const { event, link } of links) {
    if (link.index !== previous.index + 1) {
      return { broken: { index: previous.index + 1, reason: 'missing' } };
    }
    if (link.previousHash !== previous.hash) {
      return { broken: { index: link.index, eventId: event.id, reason: 'relinked' } };
    }
    if (linkHash(link.previousHash, event) !== link.hash) {
      return { broken: { index: link.index, eventId: event.id, reason: 'altered' } };
    }
    previous = { index: link.index, hash: link.hash };
  }
  return { head: previous };
}
