import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import {
  type BankIdIdentity,
  type Contact,
  type Customer,
  isSessionLive,
  type Membership,
  type PasswordIdentity,
  type Session,
  type SessionKind,
  type Tenant,
} from '../../domain/identity';
import {
  type BankIdLoginOrder,
  type BankIdLoginOrderRepository,
  type ContactRepository,
  type CustomerRepository,
  MAX_CONTACT_EDIT_ITEMS,
  type SessionRepository,
  type TenantDirectory,
  type TenantRepository,
} from '../../domain/ports';
import {
  ConcurrentWriteError,
  type DynamoDbTable,
  type Item,
  TransactionConditionError,
  updateExpression,
  withoutKeys,
} from './dynamodb-table';
import { customerContactsPartition, DIRECTORY_TENANTS_PARTITION, type ItemKey, keys } from './keys';

/**
 * The tenant-level records: clinic profile, customers, contacts with their login identities and memberships,
 * sessions and the audit log. Each factory binds one tenant; see docs/data-model.md for the keys.
 */

const epochSeconds = (iso: string) => Math.ceil(Date.parse(iso) / 1000);

export const dynamoDbTenantRepository =
  (table: DynamoDbTable) =>
  (tenantId: string): TenantRepository => ({
    async get() {
      const item = await table.get(keys.tenant(tenantId));
      return item ? withoutKeys<Tenant>(item) : undefined;
    },
    async put(tenant) {
      await table.put({ ...tenant, ...keys.tenant(tenantId), id: tenantId });
    },
  });

export const dynamoDbCustomerRepository =
  (table: DynamoDbTable) =>
  (tenantId: string): CustomerRepository => ({
    async get(customerId) {
      const item = await table.get(keys.customer(tenantId, customerId));
      return item ? withoutKeys<Customer>(item) : undefined;
    },
    async findByCustomerNumber(customerNumber) {
      const pointer = await table.get(keys.customerNumber(tenantId, customerNumber), { consistent: true });
      if (!pointer) return undefined;
      const item = await table.get(keys.customer(tenantId, String(pointer.customerId)), { consistent: true });
      return item ? withoutKeys<Customer>(item) : undefined;
    },
    async put(customer) {
      // The uniqueness item and the customer are written together: a customer number can never point at two
      // customers, and a half-written customer never exists.
      await table.transact([
        table.putRequest({ ...customer, ...keys.customer(tenantId, customer.id) }),
        table.putRequest(
          { ...keys.customerNumber(tenantId, customer.customerNumber), customerId: customer.id },
          { expression: 'attribute_not_exists(PK) OR customerId = :id', values: { ':id': customer.id } },
        ),
      ]);
    },
    async list() {
      const { PK } = keys.tenant(tenantId);
      const customers: Customer[] = [];
      let startKey: Record<string, unknown> | undefined;
      // A clinic has hundreds or a few thousand customers: all of them, a page (≤ 1 MB) at a time.
      do {
        const page = await table.query(
          {
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            ExpressionAttributeValues: { ':pk': { S: PK }, ':prefix': { S: keys.customerPrefix } },
          },
          startKey,
        );
        customers.push(...page.items.map((item) => withoutKeys<Customer>(item)));
        startKey = page.lastEvaluatedKey;
      } while (startKey);
      return customers.sort((a, b) => a.name.localeCompare(b.name, 'sv'));
    },
    async updateChoices(customerId, choices) {
      try {
        const item = await table.updateAndGet(
          keys.customer(tenantId, customerId),
          updateExpression({
            set: {
              portalAccess: choices.portalAccess,
              publishing: choices.publishing,
              shownDocumentTypes: choices.shownDocumentTypes,
            },
          }),
          { expression: 'attribute_exists(PK)' },
        );
        return withoutKeys<Customer>(item);
      } catch (error) {
        if (error instanceof ConflictError && !(error instanceof ConcurrentWriteError))
          throw new NotFoundError('The customer');
        throw error;
      }
    },
  });

export const dynamoDbContactRepository =
  (table: DynamoDbTable) =>
  (tenantId: string): ContactRepository => ({
    async get(contactId) {
      const item = await table.get(keys.contact(tenantId, contactId), { consistent: true });
      return item ? withoutKeys<Contact>(item) : undefined;
    },
    async put(contact) {
      await table.put({ ...contact, ...keys.contact(tenantId, contact.id) });
    },
    async updatePreferences(contactId, change) {
      const item = await table
        .updateAndGet(keys.contact(tenantId, contactId), updateExpression({ set: { ...change } }), {
          expression: 'attribute_exists(PK)',
        })
        .catch((error: unknown) => {
          // The condition failed: no such contact (an update must never create a half contact).
          if (error instanceof ConflictError) throw new NotFoundError('The contact');
          throw error;
        });
      return withoutKeys<Contact>(item);
    },
    async findPasswordIdentity(username) {
      const item = await table.get(keys.passwordIdentity(tenantId, username), { consistent: true });
      return item ? withoutKeys<PasswordIdentity>(item) : undefined;
    },
    async putPasswordIdentity(identity) {
      await table
        .put(
          { ...identity, ...keys.passwordIdentity(tenantId, identity.username) },
          {
            expression: 'attribute_not_exists(PK) OR contactId = :contactId',
            values: { ':contactId': identity.contactId },
          },
        )
        .catch((error: unknown) => {
          if (error instanceof ConflictError) throw new ConflictError('The username is taken.', { cause: error });
          throw error;
        });
    },
    async findBankIdIdentity(personalNumberKey) {
      const item = await table.get(keys.bankIdIdentity(tenantId, personalNumberKey), { consistent: true });
      return item ? withoutKeys<BankIdIdentity>(item) : undefined;
    },
    async putBankIdIdentity(identity) {
      await table
        .put(
          { ...identity, ...keys.bankIdIdentity(tenantId, identity.personalNumberKey) },
          {
            expression: 'attribute_not_exists(PK) OR contactId = :contactId',
            values: { ':contactId': identity.contactId },
          },
        )
        .catch((error: unknown) => {
          if (error instanceof ConflictError) {
            throw new ConflictError('This personal number belongs to another contact.', { cause: error });
          }
          throw error;
        });
    },
    async getMembership(contactId, customerId) {
      const item = await table.get(keys.membership(tenantId, contactId, customerId), { consistent: true });
      return item ? withoutKeys<Membership>(item) : undefined;
    },
    async listMemberships(contactId) {
      const { PK } = keys.contact(tenantId, contactId);
      const result = await table.query({
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: PK }, ':prefix': { S: keys.membershipPrefix } },
        ConsistentRead: true,
      });
      return result.items.map((item) => withoutKeys<Membership>(item));
    },
    async listOfCustomer(customerId) {
      const memberships: Membership[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await table.query(
          {
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :partition',
            ExpressionAttributeValues: {
              ':partition': { S: customerContactsPartition(tenantId, customerId) },
            },
          },
          startKey,
        );
        memberships.push(...page.items.map((item) => withoutKeys<Membership>(item)));
        startKey = page.lastEvaluatedKey;
      } while (startKey);
      return memberships;
    },
    async putMembership(membership) {
      await table.put(membershipItem(tenantId, membership));
    },
    async update(change) {
      const { before, after } = change;
      const ownedBy = { expression: 'contactId = :contactId', values: { ':contactId': before.id } };
      const requests: TransactWriteItem[] = [];
      const conflicts: (ConflictError | undefined)[] = [];
      const add = (request: TransactWriteItem, conflict?: ConflictError) => {
        requests.push(request);
        conflicts.push(conflict);
      };
      // Only what an administrator edits is written (the contact's own preferences stay as they are), conditional on
      // the facts the use case checked: a concurrent edit, deactivation or change of number is never overwritten.
      const numberFields = ['maskedPersonalNumber', 'personalNumberKey'] as const;
      add(
        table.updateRequest(
          keys.contact(tenantId, after.id),
          updateExpression({
            set: {
              name: after.name,
              email: after.email,
              maskedPersonalNumber: after.maskedPersonalNumber,
              personalNumberKey: after.personalNumberKey,
            },
            remove: numberFields.filter((field) => after[field] === undefined && before[field] !== undefined),
          }),
          {
            expression:
              'attribute_exists(PK) AND email = :beforeEmail AND #status = :beforeStatus AND ' +
              (before.personalNumberKey === undefined
                ? 'attribute_not_exists(personalNumberKey)'
                : 'personalNumberKey = :beforeKey'),
            values: {
              ':beforeEmail': before.email,
              ':beforeStatus': before.status,
              ...(before.personalNumberKey === undefined ? {} : { ':beforeKey': before.personalNumberKey }),
            },
            names: { '#status': 'status' },
          },
        ),
      );
      const emailTaken = new ConflictError('Another contact already logs in with this e-mail address.', {
        code: 'email_in_use',
        details: { fields: { email: 'is already the login of another contact' } },
      });
      const newLogin = keys.passwordIdentity(tenantId, after.email);
      if (newLogin.PK !== keys.passwordIdentity(tenantId, before.email).PK) {
        const identity = change.passwordIdentity;
        if (identity) {
          // The login moves with the address: same password, and the old address no longer logs in.
          add(table.deleteRequest(keys.passwordIdentity(tenantId, identity.username), ownedBy));
          add(
            table.putRequest(
              { ...identity, username: after.email, ...newLogin },
              { expression: 'attribute_not_exists(PK)' },
            ),
            emailTaken,
          );
        } else {
          add(table.conditionCheckRequest(newLogin, { expression: 'attribute_not_exists(PK)' }), emailTaken);
        }
        // A set-password link still open was mailed to the old address: it must not set the new login's password.
        add(table.deleteRequest(keys.passwordLink(tenantId, { kind: 'contact', id: before.id })));
      }
      if (before.personalNumberKey !== after.personalNumberKey) {
        if (before.personalNumberKey) {
          add(table.deleteRequest(keys.bankIdIdentity(tenantId, before.personalNumberKey), ownedBy));
        }
        if (change.bankIdIdentity) {
          add(
            table.putRequest(
              { ...change.bankIdIdentity, ...keys.bankIdIdentity(tenantId, change.bankIdIdentity.personalNumberKey) },
              { expression: 'attribute_not_exists(PK) OR contactId = :contactId', values: ownedBy.values },
            ),
            new ConflictError('Another contact already has this personal number.', {
              code: 'personal_number_in_use',
              details: { fields: { personalNumber: 'belongs to another contact' } },
            }),
          );
        }
      }
      for (const membership of change.addMemberships) add(table.putRequest(membershipItem(tenantId, membership)));
      for (const membership of change.removeMemberships) {
        add(table.deleteRequest(keys.membership(tenantId, membership.contactId, membership.customerId)));
      }
      if (requests.length > MAX_CONTACT_EDIT_ITEMS) {
        throw new ValidationError('Invalid contact: too many changes at once.', {
          fields: { customerIds: `one change may write at most ${MAX_CONTACT_EDIT_ITEMS} items` },
        });
      }
      await table.transact(requests).catch((error: unknown) => {
        if (error instanceof TransactionConditionError) {
          const named = error.failedItems.map((index) => conflicts[index]).find((conflict) => conflict !== undefined);
          if (named) throw named;
          throw new ConflictError('The contact was changed at the same moment; reload and try again.', {
            cause: error,
          });
        }
        throw error;
      });
    },
  });

function membershipItem(tenantId: string, membership: Membership): Item {
  return {
    ...membership,
    ...keys.membership(tenantId, membership.contactId, membership.customerId),
    ...keys.customerContactsIndex(tenantId, membership.customerId, membership.contactId),
  };
}

/** Marks a session revoked; one that vanished meanwhile (TTL) needs no revoking. */
async function revokeSession(table: DynamoDbTable, key: ItemKey): Promise<void> {
  await table
    .update(
      key,
      { expression: 'SET revoked = :true', values: { ':true': true } },
      { expression: 'attribute_exists(PK)' },
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConflictError)) throw error;
    });
}

/**
 * Sessions of contacts (in the contact's partition) or of administrators (in the administrator's), by `kind`: the
 * same records and rules for both.
 */
export const dynamoDbSessionRepository =
  (table: DynamoDbTable, kind: SessionKind = 'contact') =>
  (tenantId: string): SessionRepository => {
    const sessionKey = (subjectId: string, sessionId: string) =>
      kind === 'admin'
        ? keys.adminSession(tenantId, subjectId, sessionId)
        : keys.session(tenantId, subjectId, sessionId);
    const subjectKey = (subjectId: string) =>
      kind === 'admin' ? keys.admin(tenantId, subjectId) : keys.contact(tenantId, subjectId);
    /** Every session record of the subject that is not revoked (expired ones included: TTL removes them late). */
    async function unrevokedSessions(subjectId: string): Promise<Session[]> {
      const { PK } = subjectKey(subjectId);
      const found: Session[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await table.query(
          {
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            ExpressionAttributeValues: { ':pk': { S: PK }, ':prefix': { S: keys.sessionPrefix } },
            ConsistentRead: true,
          },
          startKey,
        );
        found.push(...page.items.map((item) => withoutKeys<Session>(item)).filter((session) => !session.revoked));
        startKey = page.lastEvaluatedKey;
      } while (startKey);
      return found;
    }
    /** Revokes the subject's live sessions, all of them or all but one; returns how many it revoked. */
    async function revokeLiveSessions(subjectId: string, keepSessionId: string | undefined): Promise<number> {
      const live = await unrevokedSessions(subjectId);
      const revoked = live.filter((session) => session.id !== keepSessionId);
      await Promise.all(revoked.map((session) => revokeSession(table, sessionKey(subjectId, session.id))));
      return revoked.length;
    }
    return {
      async create(session) {
        await table.put(
          {
            ...session,
            ...sessionKey(session.subjectId, session.id),
            expiresAtEpoch: epochSeconds(session.expiresAt),
          },
          { expression: 'attribute_not_exists(PK)' },
        );
      },
      async get(subjectId, sessionId) {
        const item = await table.get(sessionKey(subjectId, sessionId), { consistent: true });
        return item ? withoutKeys<Session>(item) : undefined;
      },
      async touch(subjectId, sessionId, at) {
        await table
          .update(
            sessionKey(subjectId, sessionId),
            { expression: 'SET lastSeenAt = :at', values: { ':at': at.toISOString() } },
            { expression: 'attribute_exists(PK)' },
          )
          .catch((error: unknown) => {
            // A session that vanished (TTL or logout) between check and touch is simply not touched.
            if (!(error instanceof ConflictError)) throw error;
          });
      },
      async revoke(subjectId, sessionId) {
        await revokeSession(table, sessionKey(subjectId, sessionId));
      },
      async listLive(subjectId, now) {
        const sessions = await unrevokedSessions(subjectId);
        return sessions
          .filter((session) => isSessionLive(session, now))
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      },
      revokeAll(subjectId) {
        return revokeLiveSessions(subjectId, undefined);
      },
      revokeAllExcept(subjectId, keepSessionId) {
        return revokeLiveSessions(subjectId, keepSessionId);
      },
    };
  };

export const dynamoDbBankIdLoginOrderRepository =
  (table: DynamoDbTable) =>
  (tenantId: string): BankIdLoginOrderRepository => ({
    async put(order) {
      await table.put({
        ...order,
        ...keys.bankIdOrder(tenantId, order.id),
        expiresAtEpoch: epochSeconds(order.expiresAt),
      });
    },
    async get(loginId) {
      const item = await table.get(keys.bankIdOrder(tenantId, loginId), { consistent: true });
      return item ? withoutKeys<BankIdLoginOrder>(item) : undefined;
    },
    async delete(loginId) {
      await table.delete(keys.bankIdOrder(tenantId, loginId));
    },
  });

export const dynamoDbTenantDirectory = (table: DynamoDbTable): TenantDirectory => ({
  async resolveHost(host) {
    const item = await table.get(keys.directoryHost(host));
    return item ? String(item.tenantId) : undefined;
  },
  async registerHost(host, tenantId) {
    // Both at once: a host never maps to a clinic that the list of clinics leaves out.
    await table.transact([
      table.putRequest(
        { ...keys.directoryHost(host), tenantId },
        { expression: 'attribute_not_exists(PK) OR tenantId = :tenantId', values: { ':tenantId': tenantId } },
      ),
      table.putRequest({ ...keys.directoryTenant(tenantId), tenantId }),
    ]);
  },
  async listTenants() {
    const tenants: string[] = [];
    let startKey: Item | undefined;
    do {
      const page = await table.query(
        {
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': { S: DIRECTORY_TENANTS_PARTITION } },
          ProjectionExpression: 'tenantId',
        },
        startKey,
      );
      tenants.push(...page.items.map((item) => String(item.tenantId)));
      startKey = page.lastEvaluatedKey;
    } while (startKey);
    return tenants;
  },
});
