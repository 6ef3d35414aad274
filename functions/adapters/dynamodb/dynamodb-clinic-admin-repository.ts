import type { AdminLoginChallenge, AdminPasswordIdentity, AdminTotp, ClinicAdmin } from '../../domain/clinic-admin';
import { ConflictError } from '../../domain/errors';
import type { AdminLoginChallengeRepository, AdminWriteGuard, ClinicAdminRepository } from '../../domain/ports';
import { ConcurrentWriteError, type DynamoDbTable, type Item, withoutKeys } from './dynamodb-table';
import { keys, normaliseUsername } from './keys';

/**
 * Clinic administrators (docs/data-model.md): the profile `T#<t>#ADMIN#<adminId>` / `PROFILE` with the authenticator
 * (`totp`, a map) and the unused recovery codes' hashes (`recoveryCodeHashes`, a string set, absent when empty:
 * DynamoDB stores no empty sets), listed through GSI1 `T#<t>#ADMINS`; the login name
 * `T#<t>#LOGIN#admin-password#<username>` / `IDENTITY`. Each factory binds one tenant.
 *
 * Profiles written before the list existed lack the GSI1 entry: every login writes it (the TOTP step, a recovery
 * code, an enrolment), so an administrator who has ever logged in again is listed.
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
    const listed = (adminId: string) => {
      const index = keys.adminsIndex(tenantId, adminId);
      return {
        clause: 'GSI1PK = :adminsPk, GSI1SK = :adminsSk',
        values: { ':adminsPk': index.GSI1PK, ':adminsSk': index.GSI1SK },
      };
    };
    /**
     * Writes `update` to an existing administrator and returns the profile after it; with a guard, in one transaction
     * with the check that the acting administrator is still an active `admin`.
     */
    const changeAdmin = async (
      adminId: string,
      update: { readonly expression: string; readonly values?: Item; readonly names?: Record<string, string> },
      guard: AdminWriteGuard | undefined,
    ): Promise<ClinicAdmin> => {
      const exists = { expression: 'attribute_exists(PK)' };
      const held = await conditionHeld(() =>
        guard
          ? table.transact([
              table.updateRequest(adminKey(adminId), update, exists),
              table.conditionCheckRequest(adminKey(guard.actingAdminId), {
                expression: '#actorStatus = :active AND (attribute_not_exists(#actorRole) OR #actorRole = :admin)',
                values: { ':active': 'active', ':admin': 'admin' },
                names: { '#actorStatus': 'status', '#actorRole': 'role' },
              }),
            ])
          : table.update(adminKey(adminId), update, exists),
      );
      if (!held) {
        throw new ConflictError(
          guard
            ? 'Nothing was changed: the administrator does not exist, or your own account is no longer an active administrator with the role admin.'
            : 'There is no such administrator.',
          { code: guard ? 'admin_changed' : 'conflict' },
        );
      }
      const item = await table.get(adminKey(adminId), { consistent: true });
      if (!item) throw new ConflictError('There is no such administrator.');
      return toAdmin(item);
    };
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

      async list() {
        const admins: ClinicAdmin[] = [];
        let startKey: Item | undefined;
        do {
          const page = await table.query(
            {
              IndexName: 'GSI1',
              KeyConditionExpression: 'GSI1PK = :partition',
              ExpressionAttributeValues: { ':partition': { S: keys.adminsIndex(tenantId, 'x').GSI1PK } },
            },
            startKey,
          );
          admins.push(...page.items.map(toAdmin));
          startKey = page.lastEvaluatedKey;
        } while (startKey);
        return admins;
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
                ...keys.adminsIndex(tenantId, admin.id),
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

      setStatus(adminId, status, guard) {
        return changeAdmin(
          adminId,
          { expression: 'SET #status = :status', values: { ':status': status }, names: { '#status': 'status' } },
          guard,
        );
      },

      setRole(adminId, role, guard) {
        return changeAdmin(
          adminId,
          { expression: 'SET #role = :role', values: { ':role': role }, names: { '#role': 'role' } },
          guard,
        );
      },

      resetTotp(adminId, guard) {
        const none: AdminTotp = { state: 'none' };
        return changeAdmin(
          adminId,
          { expression: 'SET totp = :none REMOVE recoveryCodeHashes', values: { ':none': none } },
          guard,
        );
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
              expression: `SET totp = :totp, recoveryCodeHashes = :codes, ${listed(adminId).clause}`,
              values: { ':totp': totp, ':codes': codeSet(enrolment.recoveryCodeHashes), ...listed(adminId).values },
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
            {
              expression: `SET totp.lastAcceptedStep = :step, ${listed(adminId).clause}`,
              values: { ':step': step, ...listed(adminId).values },
            },
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
            {
              expression: `SET ${listed(adminId).clause} DELETE recoveryCodeHashes :used`,
              values: { ':used': codeSet([codeHash]), ...listed(adminId).values },
            },
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
