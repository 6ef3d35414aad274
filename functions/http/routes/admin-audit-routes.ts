import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import * as z from 'zod/mini';
import { AUDIT_ACTIONS } from '../../domain/audit-actions';
import type { AuditQuery } from '../../domain/audit-trail';
import type { AuditEvent } from '../../domain/identity';
import type { TenantScope } from '../../domain/ports';
import { auditTrailCsv, readAuditTrail, sealAuditTrail, verifyAuditTrail } from '../../use-cases/audit-trail';
import type {
  AdminAuditEventSummary,
  AdminAuditPageResponse,
  AdminAuditVerificationResponse,
} from '../admin-api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticateAdministrator } from '../middleware/authenticate';
import { throwValidationError, validate } from '../validation';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/u;
const SHORT_TEXT = z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)));
const auditQuery = z.object({
  from: z.optional(z.string().check(z.regex(DAY, 'must be a day, YYYY-MM-DD'))),
  to: z.optional(z.string().check(z.regex(DAY, 'must be a day, YYYY-MM-DD'))),
  action: z.optional(z.enum(AUDIT_ACTIONS, 'must be a kind of event the portal records')),
  actor: SHORT_TEXT,
  customer: SHORT_TEXT,
  document: SHORT_TEXT,
  cursor: z.optional(z.string().check(z.maxLength(300))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50),
});

const DEFAULT_DAYS = 30;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const nextDay = (day: string) => dayOf(new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000));

/** The filter of an audit request: whole UTC days, `to` inclusive (so the span ends at the next midnight). */
function auditFilter(input: Record<string, string>, now: Date) {
  const query = validate(auditQuery, input, 'query');
  const to = query.to ?? dayOf(now);
  const from = query.from ?? dayOf(new Date(Date.parse(`${to}T00:00:00.000Z`) - (DEFAULT_DAYS - 1) * 86_400_000));
  if (from > to) throwValidationError([{ path: ['from'], message: 'must not be after to' }], 'query');
  const filter: AuditQuery = {
    from: `${from}T00:00:00.000Z`,
    to: `${nextDay(to)}T00:00:00.000Z`,
    action: query.action,
    actorId: query.actor,
    customerId: query.customer,
    documentId: query.document,
  };
  return { filter, from, to, cursor: query.cursor, limit: query.limit };
}

/**
 * Names for the ids on a page: customers (one list read), the contacts and administrators acting, and the invoice
 * numbers of the documents concerned (one read each, in parallel; a page holds at most a few dozen).
 */
async function namesFor(scope: TenantScope, events: readonly AuditEvent[]) {
  const customers = new Map((await scope.customers.list()).map((customer) => [customer.id, customer.name]));
  const invoiceNumbers = new Map<string, string>();
  const documentKeys = new Set(
    events.flatMap((event) =>
      event.customerId && event.documentId ? [`${event.customerId}:${event.documentId}`] : [],
    ),
  );
  const actors = new Map<string, string>();
  const ids = new Set(
    events.flatMap((event) => [
      ...('id' in event.actor ? [`${event.actor.type}:${event.actor.id}`] : []),
      ...subjectsOf(event).map((subject) => `${subject.type}:${subject.id}`),
    ]),
  );
  await Promise.all([
    ...[...ids].map(async (key) => {
      const [type, id = ''] = key.split(':');
      const found =
        type === 'contact' ? await scope.contacts.get(id) : type === 'admin' ? await scope.admins.get(id) : undefined;
      if (found) actors.set(key, found.name);
    }),
    ...[...documentKeys].map(async (key) => {
      const [customerId = '', documentId = ''] = key.split(':');
      const document = await scope.documents.get(customerId, documentId);
      if (document) invoiceNumbers.set(documentId, document.invoiceNumber);
    }),
  ]);
  return { customers, actors, invoiceNumbers };
}

/**
 * Whom an event concerns besides its actor: the contact or administrator an administrator acted on, a notice's
 * recipient. Events name them by id in their details (never by name: the trail holds no personal data).
 */
function subjectsOf(event: AuditEvent): { readonly type: 'contact' | 'admin'; readonly id: string }[] {
  const details = event.details ?? {};
  const contactId = details.contactId ?? details.recipient;
  return [
    ...(typeof contactId === 'string' ? [{ type: 'contact' as const, id: contactId }] : []),
    ...(typeof details.adminId === 'string' ? [{ type: 'admin' as const, id: details.adminId }] : []),
  ];
}

function eventSummary(event: AuditEvent, names: Awaited<ReturnType<typeof namesFor>>): AdminAuditEventSummary {
  const actorId = 'id' in event.actor ? event.actor.id : undefined;
  const actorName = actorId ? names.actors.get(`${event.actor.type}:${actorId}`) : undefined;
  const customerName = event.customerId ? names.customers.get(event.customerId) : undefined;
  const invoiceNumber = event.documentId ? names.invoiceNumbers.get(event.documentId) : undefined;
  const [subject] = subjectsOf(event);
  const subjectName = subject ? names.actors.get(`${subject.type}:${subject.id}`) : undefined;
  return {
    id: event.id,
    at: event.at,
    action: event.action,
    outcome: event.outcome,
    actor: { type: event.actor.type, ...(actorId ? { id: actorId } : {}), ...(actorName ? { name: actorName } : {}) },
    ...(event.customerId ? { customerId: event.customerId } : {}),
    ...(customerName ? { customerName } : {}),
    ...(event.documentId ? { documentId: event.documentId } : {}),
    ...(invoiceNumber ? { invoiceNumber } : {}),
    ...(subjectName ? { subjectName } : {}),
    ...(event.sourceIp ? { sourceIp: event.sourceIp } : {}),
    ...(event.details ? { details: event.details } : {}),
  };
}

/**
 * The clinic's audit trail for its administrators (functions/use-cases/audit-trail.ts): filtered pages, the CSV
 * export, and the hash chain's verification. Reading the trail is itself not audited (it changes nothing), but the
 * export is: it takes personal data out of the portal.
 */
export function adminAuditRoutes(deps: AppDeps) {
  const requireAdmin = authenticateAdministrator(deps);
  /**
   * The chain's check is a POST because it first chains the events not chained yet, which would be chained anyway:
   * it changes nothing an administrator decides, and a read-only administrator sees the trail's integrity too.
   */
  const requireAdminOrReader = authenticateAdministrator(deps, { readOnlyToo: true });
  return new Hono<AppEnv>()
    .get('/admin/audit', requireAdmin, async (c) => {
      const { filter, cursor, limit } = auditFilter(c.req.query(), deps.clock.now());
      const page = await readAuditTrail(c.var.scope, filter, { limit, cursor });
      const names = await namesFor(c.var.scope, page.items);
      const body: AdminAuditPageResponse = {
        items: page.items.map((event) => eventSummary(event, names)),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
      return c.json(body);
    })
    .get('/admin/audit.csv', requireAdmin, async (c) => {
      const { filter, from, to } = auditFilter(c.req.query(), deps.clock.now());
      const scope = c.var.scope;
      // First page read before the answer starts, so a bad cursor or span is a clean 400, not a broken download.
      await scope.audit.list(filter, { limit: 1 });
      await scope.audit.append({
        id: deps.ids.newId(),
        at: deps.clock.now().toISOString(),
        action: 'audit.exported',
        actor: { type: 'admin', id: c.var.adminPrincipal.adminId },
        sourceIp: c.var.requestInfo.sourceIp,
        outcome: 'success',
        details: { from, to },
      });
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="Handelselogg_${from}_${to}.csv"`);
      return stream(c, async (out) => {
        // A byte-order mark, so that Excel opens the UTF-8 file with å, ä and ö intact.
        await out.write('\ufeff');
        for await (const chunk of auditTrailCsv(scope, filter)) await out.write(chunk);
      });
    })
    .post('/admin/audit/verification', requireAdminOrReader, async (c) => {
      const chainedNow = await sealAuditTrail(c.var.scope);
      const result = await verifyAuditTrail(c.var.scope);
      const body: AdminAuditVerificationResponse = {
        intact: result.broken === undefined,
        verified: result.verified,
        chainedNow,
        ...(result.anchored ? { anchoredUpTo: result.anchored.index } : {}),
        ...(result.broken ? { broken: result.broken } : {}),
      };
      return c.json(body);
    });
}
