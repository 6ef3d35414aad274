import type { AuditEvent } from './identity';

/*
 * The tamper-evident audit trail's data (issue 6): every event of a clinic is a link in one hash chain. The hashing
 * and the checks are functions/use-cases/audit-chain.ts; this is what is stored and read.
 */

/** The hash before the first link: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** A sealed event: its place in the chain and the hashes that bind it to its predecessor. */
export interface ChainLink {
  /** 1 for the clinic's first event. */
  readonly index: number;
  readonly previousHash: string;
  readonly hash: string;
}

export interface SealedAuditEvent {
  readonly event: AuditEvent;
  readonly link: ChainLink;
}

/** Where the chain ends: the last link's index and hash (index 0 and {@link GENESIS_HASH} before the first). */
export interface ChainHead {
  readonly index: number;
  readonly hash: string;
}

export const EMPTY_CHAIN: ChainHead = { index: 0, hash: GENESIS_HASH };

/**
 * A chain head copied, when it was reached, to write-once storage (S3 Object Lock) that the table's writers cannot
 * change. The chain alone shows that the events fit their hashes; someone able to write the table could still rewrite
 * history and recompute every hash after it. An anchor pins what the chain was at its index: a rewritten chain no
 * longer passes through it.
 */
export interface AuditAnchor extends ChainHead {
  readonly anchoredAt: string;
}

/** Why verification stopped at an event. */
export type ChainBreak =
  | 'altered' /** its content no longer gives its hash */
  | 'missing' /** an index was skipped: an event was removed */
  | 'relinked' /** its previous hash is not its predecessor's hash: events were removed, reordered or replaced */
  | 'head_mismatch' /** the chain ends elsewhere than the head says: events were removed from its end */
  | 'rewritten' /** its hash is not the one anchored for its index: the trail up to here was rewritten, hashes and all */
  | 'truncated'; /** the chain ends before an anchored index: events were removed from its end, head and all */

/** The first link that does not fit. */
export interface ChainBreakAt {
  readonly index: number;
  readonly eventId?: string;
  readonly reason: ChainBreak;
}

/** What the clinic's audit trail is filtered by; every field optional. */
export interface AuditQuery {
  /** From this instant (inclusive) to that one (exclusive), ISO; both within a span the adapter bounds. */
  readonly from: string;
  readonly to: string;
  readonly action?: string | undefined;
  /** The actor's id (a contact, an administrator, an API key, an operator's name). */
  readonly actorId?: string | undefined;
  readonly customerId?: string | undefined;
  readonly documentId?: string | undefined;
}
