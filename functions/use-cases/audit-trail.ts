import { type AuditQuery, type ChainBreakAt, type ChainHead, EMPTY_CHAIN } from '../domain/audit-trail';
import { ConflictError } from '../domain/errors';
import type { AuditEvent } from '../domain/identity';
import { AUDIT_SEAL_BATCH, type Page, type PageRequest, type TenantScope } from '../domain/ports';
import { chainLinks, verifyLinks } from './audit-chain';

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

export interface AuditTrailVerification {
  /** How many events were checked, from the first, and fit. */
  readonly verified: number;
  /** Where the chain ends, by its head record. */
  readonly head: ChainHead;
  /** The first event that does not fit: the trail was tampered with there (or from there on). */
  readonly broken?: ChainBreakAt;
}

/**
 * Walks the whole chain from its first link, recomputing every hash from the events as stored now, and checks that it
 * ends where the head says. Reads only; events not yet chained are not part of it (seal first to include them).
 */
export async function verifyAuditTrail(scope: Pick<TenantScope, 'audit'>): Promise<AuditTrailVerification> {
  const head = await scope.audit.chainHead();
  let reached: ChainHead = EMPTY_CHAIN;
  while (reached.index < head.index) {
    const page = await scope.audit.chain(reached.index + 1, Math.min(VERIFY_PAGE, head.index - reached.index));
    if (page.length === 0) break;
    const gone = page.findIndex((entry) => entry.event === undefined);
    const present = (gone === -1 ? page : page.slice(0, gone)).map(({ link, event }) => ({
      link,
      event: event as AuditEvent,
    }));
    const result = verifyLinks(reached, present);
    if ('broken' in result) return { verified: result.broken.index - 1, head, broken: result.broken };
    reached = result.head;
    if (gone !== -1) {
      const link = page[gone]?.link;
      return { verified: reached.index, head, broken: { index: link?.index ?? reached.index + 1, reason: 'missing' } };
    }
  }
  if (reached.index !== head.index || reached.hash !== head.hash) {
    return { verified: reached.index, head, broken: { index: reached.index + 1, reason: 'head_mismatch' } };
  }
  return { verified: reached.index, head };
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
