import type { AdminLoginChallenge, AdminPasswordIdentity, AdminTotp, ClinicAdmin } from '../../domain/clinic-admin';
import { ConflictError } from '../../domain/errors';
import type { AdminLoginChallengeRepository, ClinicAdminRepository } from '../../domain/ports';
import { ConcurrentWriteError, type DynamoDbTable, type Item, withoutKeys } from './dynamodb-table';
import { keys, normaliseUsername } from './keys';

/**
 * Clinic administrators (docs/data-model.md): the profile `T#<t>#ADMIN#<adminId>` / `PROFILE` with the authenticator
 * (`totp`, a map) and the unused recovery codes' hashes (`recoveryCodeHashes`, a string set, absent when empty:
 * DynamoDB stores no empty sets); the login name `T#<t>#LOGIN#admin-password#<username>` / `IDENTITY`. Each factory
 * binds one tenant.
 */

/** Runs a conditional write; false if its condition failed (a concurrent transaction is not a failed condition). */
async function conditionHeld(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConflictError && !(error instanceof ConcurrentWriteError)) return false;
    throw error;
  }
}

function toAdmin(item: Item): ClinicAdmin {
  const { recoveryCodeHashes, ...profile } = withoutKeys<Item>(item);
  return {
    ...(profile as Omit<ClinicAdmin, 'recoveryCodeHashes'>),
    recoveryCodeHashes: recoveryCodeHashes instanceof Set ? [...recoveryCodeHashes].map(String).sort() : [],
  };
}

const codeSet = (hashes: readonly string[]) => new Set(hashes);

export const dynamoDbClinicAdminRepository =
  (table: DynamoDbTable) =>
  (tenantId: string): ClinicAdminRepository => {
    const adminKey = (adminId: string) => keys.admin(tenantId, adminId);
    const stateIs = (state: AdminTotp['state']) => ({
      expression: 'totp.#state = :state',
      values: { ':state': state },
      names: { '#state': 'state' },
    });

    return {
      async get(adminId) {
        const item = await table.get(adminKey(adminId), { consistent: true });
        return item ? toAdmin(item) : undefined;
      },

      async create(admin) {
        const { recoveryCodeHashes, ...profile } = admin;
        const identity: AdminPasswordIdentity = { username: normaliseUsername(admin.email), adminId: admin.id };
        await table
          .transact([
            table.putRequest(
              {
                ...profile,
                ...(recoveryCodeHashes.length > 0 ? { recoveryCodeHashes: codeSet(recoveryCodeHashes) } : {}),
                ...adminKey(admin.id),
              },
              { expression: 'attribute_not_exists(PK)' },
            ),
            table.putRequest(
              { ...identity, ...keys.adminPasswordIdentity(tenantId, identity.username) },
              { expression: 'attribute_not_exists(PK)' },
            ),
          ])
          .catch((error: unknown) => {
            if (error instanceof ConflictError && !(error instanceof ConcurrentWriteError)) {
              throw new ConflictError('This clinic already has an administrator with this e-mail address.', {
                code: 'admin_exists',
                cause: error,
              });
            }
            throw error;
          });
      },

      async findPasswordIdentity(username) {
        const item = await table.get(keys.adminPasswordIdentity(tenantId, username), { consistent: true });
        return item ? withoutKeys<AdminPasswordIdentity>(item) : undefined;
      },

      async setPasswordHash(username, adminId, passwordHash) {
        const held = await conditionHeld(() =>
          table.update(
            keys.adminPasswordIdentity(tenantId, username),
            { expression: 'SET passwordHash = :hash', values: { ':hash': passwordHash } },
            { expression: 'adminId = :adminId', values: { ':adminId': adminId } },
          ),
        );
        if (!held) throw new ConflictError('This login name does not belong to this administrator.');
      },

      async setStatus(adminId, status) {
        let item: Item | undefined;
        const held = await conditionHeld(async () => {
          item = await table.updateAndGet(
            adminKey(adminId),
            { expression: 'SET #status = :status', values: { ':status': status }, names: { '#status': 'status' } },
            { expression: 'attribute_exists(PK)' },
          );
        });
        if (!held || !item) throw new ConflictError('There is no such administrator.');
        return toAdmin(item);
      },

      async startTotpEnrolment(adminId, sealedSecret, at) {
        const totp: AdminTotp = { state: 'pending', sealedSecret, startedAt: at.toISOString() };
        const held = await conditionHeld(() =>
          table.update(
            adminKey(adminId),
            { expression: 'SET totp = :totp', values: { ':totp': totp } },
            {
              expression: 'attribute_exists(PK) AND totp.#state <> :enrolled',
              values: { ':enrolled': 'enrolled' },
              names: { '#state': 'state' },
            },
          ),
        );
        if (!held) throw new ConflictError('The administrator has an authenticator already.');
      },

      async completeTotpEnrolment(adminId, enrolment) {
        const totp: AdminTotp = {
          state: 'enrolled',
          sealedSecret: enrolment.sealedSecret,
          enrolledAt: enrolment.at.toISOString(),
          lastAcceptedStep: enrolment.acceptedStep,
        };
        const held = await conditionHeld(() =>
          table.update(
            adminKey(adminId),
            {
              expression: 'SET totp = :totp, recoveryCodeHashes = :codes',
              values: { ':totp': totp, ':codes': codeSet(enrolment.recoveryCodeHashes) },
            },
            {
              expression: 'totp.#state = :pending AND totp.sealedSecret = :sealed',
              values: { ':pending': 'pending', ':sealed': enrolment.sealedSecret },
              names: { '#state': 'state' },
            },
          ),
        );
        if (!held) throw new ConflictError('The enrolment was completed or restarted meanwhile.');
      },

      acceptTotpStep(adminId, step) {
        const enrolled = stateIs('enrolled');
        return conditionHeld(() =>
          table.update(
            adminKey(adminId),
            { expression: 'SET totp.lastAcceptedStep = :step', values: { ':step': step } },
            {
              expression: `${enrolled.expression} AND (attribute_not_exists(totp.lastAcceptedStep) OR totp.lastAcceptedStep < :step)`,
              values: enrolled.values,
              names: enrolled.names,
            },
          ),
        );
      },

      useRecoveryCode(adminId, codeHash) {
        return conditionHeld(() =>
          table.update(
            adminKey(adminId),
            { expression: 'DELETE recoveryCodeHashes :used', values: { ':used': codeSet([codeHash]) } },
            { expression: 'contains(recoveryCodeHashes, :hash)', values: { ':hash': codeHash } },
          ),
        );
      },

      async replaceRecoveryCodes(adminId, codeHashes) {
        if (codeHashes.length === 0) throw new RangeError('Recovery codes are replaced by new ones, never by none.');
        const held = await conditionHeld(() =>
          table.update(
            adminKey(adminId),
            { expression: 'SET recoveryCodeHashes = :codes', values: { ':codes': codeSet(codeHashes) } },
            stateIs('enrolled'),
          ),
        );
        if (!held) throw new ConflictError('Only an administrator with an authenticator has recovery codes.');
      },
    };
  };

/**
 * Second-factor challenges: `T#<t>#ADMIN-CHALLENGE#<challengeId>` / `CHALLENGE`, deleted by TTL. The TTL sweep can
 * lag by days, so every read and write compares `expiresAt` itself (ISO instants in one format compare as text).
 */
export const dynamoDbAdminLoginChallengeRepository =
  (table: DynamoDbTable) =>
  (tenantId: string): AdminLoginChallengeRepository => {
    const challengeKey = (challengeId: string) => keys.adminLoginChallenge(tenantId, challengeId);
    const live = (now: Date) => ({
      expression: 'attribute_exists(PK) AND expiresAt > :now',
      values: { ':now': now.toISOString() },
    });

    return {
      async create(challenge) {
        await table.put(
          {
            ...challenge,
            ...challengeKey(challenge.id),
            expiresAtEpoch: Math.ceil(Date.parse(challenge.expiresAt) / 1000),
          },
          { expression: 'attribute_not_exists(PK)' },
        );
      },

      async get(challengeId, now) {
        const item = await table.get(challengeKey(challengeId), { consistent: true });
        if (!item || Date.parse(String(item.expiresAt)) <= now.getTime()) return undefined;
        return withoutKeys<AdminLoginChallenge>(item);
      },

      async recordFailure(challengeId, now) {
        let item: Item | undefined;
        const held = await conditionHeld(async () => {
          item = await table.updateAndGet(
            challengeKey(challengeId),
            { expression: 'ADD failures :one', values: { ':one': 1 } },
            live(now),
          );
        });
        return held && item ? Number(item.failures) : undefined;
      },

      consume(challengeId, adminId, now) {
        const condition = live(now);
        return conditionHeld(() =>
          table.delete(challengeKey(challengeId), {
            expression: `${condition.expression} AND adminId = :adminId`,
            values: { ...condition.values, ':adminId': adminId },
          }),
        );
      },

      async delete(challengeId) {
        await table.delete(challengeKey(challengeId));
      },
    };
  };
