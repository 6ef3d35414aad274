import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { EMPTY_CHAIN, type SealedAuditEvent } from '../../functions/domain/audit-trail';
import { ConflictError, ValidationError } from '../../functions/domain/errors';
import type { AuditEvent } from '../../functions/domain/identity';
import { chainLinks } from '../../functions/use-cases/audit-chain';
import { anchorAuditTrail, sealAuditTrail, verifyAuditTrail } from '../../functions/use-cases/audit-trail';
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

  describe('anchors', () => {
    /**
     * What someone able to write the table (not the anchor bucket) can do to hide an event: change it and write the
     * chain anew from the first link, every hash recomputed, with the head to match. The chain then fits itself.
     */
    async function rewriteChain(events: readonly AuditEvent[]): Promise<void> {
      const table = emulatorTable();
      const links: SealedAuditEvent[] = chainLinks(EMPTY_CHAIN, events);
      for (const { event: each, link } of links) {
        await table.put({
          ...keys.auditEvent(clinic.tenantId, each.at, each.id),
          ...storedEvent(each),
          chainIndex: link.index,
        });
        await table.put({
          ...keys.auditChainLink(clinic.tenantId, link.index),
          eventAt: each.at,
          eventId: each.id,
          previousHash: link.previousHash,
          hash: link.hash,
        });
      }
      const last = links.at(-1)?.link ?? EMPTY_CHAIN;
      await table.put({ ...keys.auditChainHead(clinic.tenantId), index: last.index, hash: last.hash });
    }
    /** An event as the adapter stores it (what append wrote), read back from the table. */
    const storedItems = new Map<string, Record<string, unknown>>();
    const storedEvent = (each: AuditEvent) => {
      const { PK: _pk, SK: _sk, ...rest } = storedItems.get(each.id) ?? {};
      return { ...rest, outcome: each.outcome };
    };
    const remember = async (events: readonly AuditEvent[]) => {
      for (const each of events) {
        const item = await emulatorTable().get(keys.auditEvent(clinic.tenantId, each.at, each.id), {
          consistent: true,
        });
        if (item) storedItems.set(each.id, item);
      }
    };
    const clock = { now: () => new Date('2024-08-01T12:00:00.000Z') };
    const days = (count: number) =>
      Array.from({ length: count }, (_, index) => event(`2024-07-${String(index + 10)}T10:00:00.000Z`));

    it('anchors the head once per new head, and verification passes through the anchors', async () => {
      // Arrange
      const events = days(5);
      await appendAll(events.slice(0, 3));

      // Act
      const first = await anchorAuditTrail(clinic.scope, clock);
      const idle = await anchorAuditTrail(clinic.scope, clock);
      await appendAll(events.slice(3));
      const second = await anchorAuditTrail(clinic.scope, clock);
      const verification = await verifyAuditTrail(clinic.scope);

      // Assert
      const head = await clinic.scope.audit.chainHead();
      expect(first).toEqual({ chained: 3, anchored: { index: 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/u) } });
      expect(idle).toEqual({ chained: 0 });
      expect(second).toEqual({ chained: 2, anchored: head });
      expect((await clinic.scope.auditAnchors.all()).map((anchor) => anchor.index)).toEqual([3, 5]);
      expect(verification).toEqual({ verified: 5, head, anchored: head });
    });

    it("keeps each clinic's anchors apart, and storing an anchor again changes nothing", async () => {
      // Arrange
      const other = await createClinic(portal);
      const anchor = { index: 7, hash: 'b'.repeat(64), anchoredAt: '2024-08-01T12:00:00.000Z' };

      // Act
      await clinic.scope.auditAnchors.put(anchor);
      await clinic.scope.auditAnchors.put(anchor);

      // Assert
      expect(await clinic.scope.auditAnchors.all()).toEqual([{ index: 7, hash: anchor.hash }]);
      expect(await clinic.scope.auditAnchors.has(anchor)).toBe(true);
      expect(await clinic.scope.auditAnchors.has({ index: 7, hash: 'c'.repeat(64) })).toBe(false);
      expect(await other.scope.auditAnchors.all()).toEqual([]);
      expect(await other.scope.auditAnchors.has(anchor)).toBe(false);
    });

    it('anchors nothing for a clinic without events', async () => {
      expect(await anchorAuditTrail(clinic.scope, clock)).toEqual({ chained: 0 });
      expect(await clinic.scope.auditAnchors.all()).toEqual([]);
    });

    /** Six events, the chain anchored after the third and after the sixth. */
    const sixEventsAnchoredAfterThreeAndSix = async () => {
      const events = days(6);
      await appendAll(events.slice(0, 3));
      await anchorAuditTrail(clinic.scope, clock);
      await appendAll(events.slice(3));
      await anchorAuditTrail(clinic.scope, clock);
      await remember(events);
      return events;
    };

    it('finds a chain rewritten with every hash recomputed at the first anchor it no longer passes through', async () => {
      // Arrange
      const events = await sixEventsAnchoredAfterThreeAndSix();

      // Act: event 2 is made to say it failed, and the whole chain is written anew
      const rewritten = events.map((each, index) => (index === 1 ? { ...each, outcome: 'failure' as const } : each));
      await rewriteChain(rewritten);
      const withoutAnchors = await verifyAuditTrail({
        ...clinic.scope,
        auditAnchors: { ...clinic.scope.auditAnchors, all: async () => [] },
      });
      const verification = await verifyAuditTrail(clinic.scope);

      // Assert: the chain alone fits; the first anchor does not
      expect(withoutAnchors.broken).toBeUndefined();
      expect(verification).toMatchObject({ verified: 2, broken: { index: 3, reason: 'rewritten' } });
      expect(verification.anchored).toBeUndefined();
    });

    it('says which anchor the trail still passed, when the rewrite is after it', async () => {
      // Arrange
      const events = await sixEventsAnchoredAfterThreeAndSix();
      const anchoredAtThree = (await clinic.scope.auditAnchors.all())[0];

      // Act: event 5 is changed, the chain rewritten
      await rewriteChain(events.map((each, index) => (index === 4 ? { ...each, outcome: 'failure' as const } : each)));
      const verification = await verifyAuditTrail(clinic.scope);

      // Assert
      expect(verification).toMatchObject({
        verified: 5,
        broken: { index: 6, reason: 'rewritten' },
        anchored: anchoredAtThree,
      });
    });

    it('finds events removed from the end, head and all, when an anchor lies beyond the new end', async () => {
      // Arrange
      const events = days(5);
      await appendAll(events);
      await anchorAuditTrail(clinic.scope, clock);
      await remember(events);

      // Act: the last two events, their links and the head are put back to event 3
      const table = emulatorTable();
      for (const [offset, removed] of events.slice(3).entries()) {
        await table.delete(keys.auditEvent(clinic.tenantId, removed.at, removed.id));
        await table.delete(keys.auditChainLink(clinic.tenantId, 4 + offset));
      }
      const third = (await clinic.scope.audit.chain(3, 1))[0]?.link;
      await table.put({ ...keys.auditChainHead(clinic.tenantId), index: 3, hash: third?.hash });
      const verification = await verifyAuditTrail(clinic.scope);

      // Assert
      expect(verification).toMatchObject({ verified: 3, broken: { index: 4, reason: 'truncated' } });
    });
  });
});
