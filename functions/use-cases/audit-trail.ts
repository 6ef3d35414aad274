import { type AuditQuery, type ChainBreakAt, type ChainHead, EMPTY_CHAIN } from '../domain/audit-trail';
import { ConflictError } from '../domain/errors';
import type { AuditEvent } from '../domain/identity';
import {
  AUDIT_SEAL_BATCH,
  type Clock,
  type Page,
  type PageRequest,
  type TenantDirectory,
  type TenantScope,
  type TenantScopeFactory,
} from '../domain/ports';
import { chainLinks, verifyLinks } from './audit-chain';
import { type ClinicRunResult, forEachClinic } from './for-each-clinic';

/** How many times a sealer re-reads the head when another sealer moved it meanwhile. */
const SEAL_ATTEMPTS = 5;
/** Links read per round when verifying. */
const VERIFY_PAGE = 200;

/**
 * Puts every event not yet in the clinic's hash chain into it, oldest first, in atomic batches; returns how many it
 * chained. Safe to run anywhere at any time (a scheduled job, before a verification, when the audit page opens):
 * two sealers racing lose nothing — one wins each batch, the other re-reads the head and continues.
 */
export async function sealAuditTrail(scope: Pick<TenantScope, 'audit'>): Promise<number> {
  let sealed = 0;
  let conflicts = 0;
  for (;;) {
    const [head, events] = await Promise.all([scope.audit.chainHead(), scope.audit.unsealed(AUDIT_SEAL_BATCH)]);
    if (events.length === 0) return sealed;
    try {
      await scope.audit.seal(head, chainLinks(head, events));
      sealed += events.length;
    } catch (error) {
      if (!(error instanceof ConflictError) || ++conflicts >= SEAL_ATTEMPTS) throw error;
    }
  }
}

/**
 * Chains what is unchained, then anchors the head (write-once storage apart from the table) unless it is anchored
 * already. Run on a schedule (functions/lambda/audit-sealer.ts): whatever was chained by then can no longer be
 * rewritten unnoticed, even by someone able to write the table and recompute every hash.
 */
export async function anchorAuditTrail(
  scope: Pick<TenantScope, 'audit' | 'auditAnchors'>,
  clock: Clock,
): Promise<{ readonly chained: number; readonly anchored?: ChainHead }> {
  const chained = await sealAuditTrail(scope);
  const head = await scope.audit.chainHead();
  if (head.index === 0 || (await scope.auditAnchors.has(head))) return { chained };
  await scope.auditAnchors.put({ ...head, anchoredAt: clock.now().toISOString() });
  return { chained, anchored: head };
}

/** What one clinic's sealing run did, as the sealer logs it. */
export interface AuditSealSummary {
  readonly chained: number;
  /** The index of the head anchored now, if one was. */
  readonly anchoredIndex?: number;
}

/** {@link anchorAuditTrail} for every clinic: the audit sealer's round (every 5 minutes in AWS, a timer locally). */
export function anchorAllAuditTrails(deps: {
  readonly directory: Pick<TenantDirectory, 'listTenants'>;
  readonly scopeFor: TenantScopeFactory;
  readonly clock: Clock;
}): Promise<readonly ClinicRunResult<AuditSealSummary>[]> {
  return forEachClinic(deps.directory, async (tenantId) => {
    const { chained, anchored } = await anchorAuditTrail(deps.scopeFor(tenantId), deps.clock);
    return { chained, ...(anchored ? { anchoredIndex: anchored.index } : {}) };
  });
}

export interface AuditTrailVerification {
  /** How many events were checked, from the first, and fit. */
  readonly verified: number;
  /** Where the chain ends, by its head record. */
  readonly head: ChainHead;
  /** The latest anchor the chain passed through: the events up to it cannot have been rewritten since. */
  readonly anchored?: ChainHead;
  /** The first event that does not fit: the trail was tampered with there (or, for an anchor, up to there). */
  readonly broken?: ChainBreakAt;
}

/**
 * Walks the whole chain from its first link, recomputing every hash from the events as stored now, checks that it
 * passes through every anchor, and that it ends where the head says and not before the last anchor. Reads only;
 * events not yet chained are not part of it (seal first to include them).
 */
export async function verifyAuditTrail(
  scope: Pick<TenantScope, 'audit' | 'auditAnchors'>,
): Promise<AuditTrailVerification> {
  const [head, anchors] = await Promise.all([scope.audit.chainHead(), scope.auditAnchors.all()]);
  const anchoredHash = new Map(anchors.map((anchor) => [anchor.index, anchor.hash]));
  let reached: ChainHead = EMPTY_CHAIN;
  let anchored: ChainHead | undefined;
  // Every event before a break was checked and fits.
  const result = (broken?: ChainBreakAt): AuditTrailVerification => ({
    verified: broken ? broken.index - 1 : reached.index,
    head,
    ...(anchored ? { anchored } : {}),
    ...(broken ? { broken } : {}),
  });

  while (reached.index < head.index) {
    const page = await scope.audit.chain(reached.index + 1, Math.min(VERIFY_PAGE, head.index - reached.index));
    if (page.length === 0) break;
    const gone = page.findIndex((entry) => entry.event === undefined);
    const present = (gone === -1 ? page : page.slice(0, gone)).map(({ link, event }) => ({
      link,
      event: event as AuditEvent,
    }));
    // A chain rewritten with recomputed hashes fits itself; only an anchor can tell. The earlier finding wins.
    const unanchored = present.find(({ link }) => (anchoredHash.get(link.index) ?? link.hash) !== link.hash)?.link;
    const links = verifyLinks(reached, present);
    const linkBreak = 'broken' in links ? links.broken : undefined;
    const broken: ChainBreakAt | undefined =
      unanchored && (!linkBreak || unanchored.index <= linkBreak.index)
        ? { index: unanchored.index, reason: 'rewritten' }
        : linkBreak;
    for (const { link } of present) {
      if (broken && link.index >= broken.index) break;
      if (anchoredHash.has(link.index)) anchored = { index: link.index, hash: link.hash };
    }
    if (broken) return result(broken);
    if ('head' in links) reached = links.head;
    if (gone !== -1) {
      const link = page[gone]?.link;
      return result({ index: link?.index ?? reached.index + 1, reason: 'missing' });
    }
  }
  if (reached.index !== head.index || reached.hash !== head.hash) {
    return result({ index: reached.index + 1, reason: 'head_mismatch' });
  }
  const lastAnchor = anchors.at(-1);
  if (lastAnchor && lastAnchor.index > head.index) return result({ index: head.index + 1, reason: 'truncated' });
  return result();
}

/** A page of the clinic's audit trail, newest first. */
export function readAuditTrail(
  scope: Pick<TenantScope, 'audit'>,
  query: AuditQuery,
  page: PageRequest,
): Promise<Page<AuditEvent>> {
  return scope.audit.list(query, page);
}

/** The columns of the CSV export, in order. */
const CSV_COLUMNS = [
  'time_utc',
  'action',
  'outcome',
  'actor_type',
  'actor_id',
  'customer_id',
  'document_id',
  'source_ip',
  'details',
] as const;

/**
 * One CSV field (RFC 4180: quoted when it holds a separator, quote or line break). A field a spreadsheet would run
 * as a formula (starting with = + - @ or a tab) is prefixed with an apostrophe (OWASP "CSV injection").
 */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/u.test(value) ? `'${value}` : value;
  return /[",;\r\n]/u.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvRow(event: AuditEvent): string {
  const actorId = 'id' in event.actor ? event.actor.id : '';
  const details = Object.entries(event.details ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  return [
    event.at,
    event.action,
    event.outcome,
    event.actor.type,
    actorId,
    event.customerId ?? '',
    event.documentId ?? '',
    event.sourceIp ?? '',
    details,
  ]
    .map(csvField)
    .join(',');
}

/** The header line and every event of the query, newest first, as CSV lines (CRLF, RFC 4180), page by page. */
export async function* auditTrailCsv(scope: Pick<TenantScope, 'audit'>, query: AuditQuery): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  let cursor: string | undefined;
  do {
    const page = await scope.audit.list(query, { limit: 500, cursor });
    if (page.items.length > 0) yield `${page.items.map(csvRow).join('\r\n')}\r\n`;
    cursor = page.nextCursor;
  } while (cursor);
}
