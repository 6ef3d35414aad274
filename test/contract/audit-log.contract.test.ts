import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { EMPTY_CHAIN } from '../../functions/domain/audit-trail';
import { ConflictError, ValidationError } from '../../functions/domain/errors';
import type { AuditEvent } from '../../functions/domain/identity';
import { chainLinks } from '../../functions/use-cases/audit-chain';
import { sealAuditTrail, verifyAuditTrail } from '../../functions/use-cases/audit-trail';
import { emulatorTable } from '../support/emulator-table';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/** The AuditLog port's contract (append-only, filtered pages, the hash chain), run against DynamoDB Local. */
describe('audit log (DynamoDB Local)', () => {
  const portal = createTestPortal();
  let clinic: ClinicFixture;

  beforeEach(async () => {
    clinic = await createClinic(portal);
  });

  const event = (at: string, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
    id: randomUUID(),
    at,
    action: 'document.downloaded',
    actor: { type: 'contact', id: 'c-1' },
    outcome: 'success',
    ...overrides,
  });
  const appendAll = async (events: readonly AuditEvent[]) => {
    for (const each of events) await clinic.scope.audit.append(each);
  };
  const YEAR_2024 = { from: '2024-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' };

  describe('appending and reading', () => {
    it('never overwrites an event: the same id and time again is a conflict', async () => {
      const first = event('2024-03-01T10:00:00.000Z');
      await clinic.scope.audit.append(first);

      await expect(clinic.scope.audit.append({ ...first, action: 'document.withdrawn' })).rejects.toBeInstanceOf(
        ConflictError,
      );
      const { items } = await clinic.scope.audit.list(YEAR_2024, { limit: 10 });
      expect(items).toEqual([first]);
    });

    it('lists a span newest first across months, in cursor pages, every event once', async () => {
      const events = [
        '2024-01-31T23:59:59.000Z',
        '2024-02-01T00:00:00.000Z',
        '2024-02-15T08:00:00.000Z',
        '2024-04-02T09:30:00.000Z',
        '2025-01-01T00:00:00.000Z',
      ].map((at) => event(at));
      await appendAll(events);

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await clinic.scope.audit.list(YEAR_2024, { limit: 2, cursor });
        seen.push(...page.items.map((item) => item.at));
        cursor = page.nextCursor;
      } while (cursor);

      // 2025-01-01 is outside the span (its end is exclusive).
      expect(seen).toEqual([
        '2024-04-02T09:30:00.000Z',
        '2024-02-15T08:00:00.000Z',
        '2024-02-01T00:00:00.000Z',
        '2024-01-31T23:59:59.000Z',
      ]);
    });

    it('filters by action, actor, customer and document, and refuses a cursor of another query or a span over a year', async () => {
      const customerId = randomUUID();
      const documentId = randomUUID();
      const wanted = event('2024-05-01T10:00:00.000Z', {
        actor: { type: 'admin', id: 'a-1' },
        action: 'document.visibility_changed',
        customerId,
        documentId,
      });
      await appendAll([wanted, event('2024-05-01T11:00:00.000Z'), event('2024-05-02T11:00:00.000Z', { customerId })]);

      const byAction = await clinic.scope.audit.list(
        { ...YEAR_2024, action: 'document.visibility_changed' },
        { limit: 10 },
      );
      const byActor = await clinic.scope.audit.list({ ...YEAR_2024, actorId: 'a-1' }, { limit: 10 });
      const byCustomer = await clinic.scope.audit.list({ ...YEAR_2024, customerId }, { limit: 10 });
      const byDocument = await clinic.scope.audit.list({ ...YEAR_2024, documentId }, { limit: 10 });
      const cursor = (await clinic.scope.audit.list(YEAR_2024, { limit: 1 })).nextCursor;

      expect(byAction.items).toEqual([wanted]);
      expect(byActor.items).toEqual([wanted]);
      expect(byCustomer.items.map((item) => item.at)).toEqual(['2024-05-02T11:00:00.000Z', '2024-05-01T10:00:00.000Z']);
      expect(byDocument.items).toEqual([wanted]);
      await expect(
        clinic.scope.audit.list({ ...YEAR_2024, actorId: 'a-1' }, { limit: 1, cursor }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        clinic.scope.audit.list({ from: '2022-01-01T00:00:00.000Z', to: '2024-01-01T00:00:00.000Z' }, { limit: 1 }),
      ).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('the hash chain', () => {
    it('chains every event once, oldest first, and verifies; a later event joins after', async () => {
      await appendAll([
        event('2024-06-01T10:00:00.000Z'),
        event('2024-06-01T09:00:00.000Z'),
        event('2024-06-02T10:00:00.000Z'),
      ]);

      const sealed = await sealAuditTrail(clinic.scope);
      const again = await sealAuditTrail(clinic.scope);
      // Late, with an earlier time (a retry recording a change with the change's own time): chained after the others.
      await clinic.scope.audit.append(event('2024-05-31T10:00:00.000Z'));
      const late = await sealAuditTrail(clinic.scope);
      const chain = await clinic.scope.audit.chain(1, 10);

      expect([sealed, again, late]).toEqual([3, 0, 1]);
      expect(chain.map((entry) => [entry.link.index, entry.event?.at])).toEqual([
        [1, '2024-06-01T09:00:00.000Z'],
        [2, '2024-06-01T10:00:00.000Z'],
        [3, '2024-06-02T10:00:00.000Z'],
        [4, '2024-05-31T10:00:00.000Z'],
      ]);
      expect(await clinic.scope.audit.unsealed(10)).toEqual([]);
      expect(await verifyAuditTrail(clinic.scope)).toEqual({ verified: 4, head: await clinic.scope.audit.chainHead() });
    });

    it('refuses a seal from a head that has moved on, writing nothing', async () => {
      await appendAll([event('2024-06-01T10:00:00.000Z'), event('2024-06-01T11:00:00.000Z')]);
      const events = await clinic.scope.audit.unsealed(10);
      await clinic.scope.audit.seal(EMPTY_CHAIN, chainLinks(EMPTY_CHAIN, events.slice(0, 1)));

      await expect(
        clinic.scope.audit.seal(EMPTY_CHAIN, chainLinks(EMPTY_CHAIN, events.slice(1))),
      ).rejects.toBeInstanceOf(ConflictError);
      expect((await clinic.scope.audit.chainHead()).index).toBe(1);
      expect((await clinic.scope.audit.unsealed(10)).map((each) => each.id)).toEqual([events[1]?.id]);
    });

    it('names exactly the event that was altered in the table, and the one after a removed one', async () => {
      const events = Array.from({ length: 6 }, (_, index) => event(`2024-07-0${index + 1}T10:00:00.000Z`));
      await appendAll(events);
      await sealAuditTrail(clinic.scope);
      const table = emulatorTable();
      const target = events[3] as AuditEvent;

      // Someone with write access to the table changes what event 4 says.
      await table.update(keys.auditEvent(clinic.tenantId, target.at, target.id), {
        expression: 'SET #outcome = :failure',
        values: { ':failure': 'failure' },
        names: { '#outcome': 'outcome' },
      });
      const altered = await verifyAuditTrail(clinic.scope);
      // …and then removes event 2 as well.
      const removed = events[1] as AuditEvent;
      await table.delete(keys.auditEvent(clinic.tenantId, removed.at, removed.id));
      const afterRemoval = await verifyAuditTrail(clinic.scope);

      expect(altered).toMatchObject({ verified: 3, broken: { index: 4, eventId: target.id, reason: 'altered' } });
      expect(afterRemoval).toMatchObject({ verified: 1, broken: { index: 2, reason: 'missing' } });
    });
  });
});
