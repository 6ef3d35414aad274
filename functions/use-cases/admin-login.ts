import type { AuditAction } from '../domain/audit-actions';
import {
  ADMIN_LOGIN_POLICY,
  type AdminLoginChallenge,
  type ClinicAdmin,
  InvalidOneTimeCodeError,
  LoginChallengeExpiredError,
  normaliseTotpCode,
  totpIssuer,
} from '../domain/clinic-admin';
import { ConflictError, InvalidCredentialsError, TooManyRequestsError, UnauthenticatedError } from '../domain/errors';
import type { AuditEvent } from '../domain/identity';
import { tooManyAttemptsMessage } from '../domain/login-throttling';
import type {
  Clock,
  IdGenerator,
  PasswordHasher,
  SecretCipher,
  SessionTokens,
  TenantScope,
  TotpAuthenticator,
  TotpProvisioning,
} from '../domain/ports';
import { type AdminLoginResult, type AdminPrincipal, startAdminSession } from './admin-session';
import { newRecoveryCodes, recoveryCodeHash } from './recovery-codes';
import { type AttemptOutcome, throttledAttempt } from './throttled-attempt';

export interface AdminLoginDeps {
  readonly scope: TenantScope;
  readonly hasher: PasswordHasher;
  readonly tokens: SessionTokens;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly totp: TotpAuthenticator;
  /** Seals administrators' TOTP secrets (the key is kept outside the table). */
  readonly secrets: SecretCipher;
}

/** What the right password leads to: a code from the authenticator, or (first login) enrolling one. */
export type AdminPasswordStepResult =
  | { readonly status: 'totp_required'; readonly challengeId: string; readonly expiresAt: string }
  | {
      readonly status: 'enrolment_required';
      readonly challengeId: string;
      readonly expiresAt: string;
      /** For the authenticator app: shown until enrolment completes, never again afterwards. */
      readonly enrolment: TotpProvisioning;
    };

export interface AdminEnrolmentResult extends AdminLoginResult {
  /** Shown once; only their hashes are stored. */
  readonly recoveryCodes: readonly string[];
}

/**
 * The associated data a TOTP secret is sealed with: it binds the sealed value to this clinic and administrator, so
 * that a sealed secret copied to another record (or clinic) does not open there.
 */
export const totpSealContext = (tenantId: string, adminId: string) => `admin-totp:${tenantId}:${adminId}`;

/**
 * Step 1 of an administrator's login: the password. Throttled like contacts' logins, on the administrators' own
 * counters (./throttled-attempt.ts), with the same no-enumeration rules: unknown login name, no password set yet,
 * wrong password, deactivated administrator and a delayed or locked account all get the same 401 after the same
 * hashing work. A right password does NOT clear the account's failures (only a completed login does), so that a
 * stolen password does not buy unlimited rounds of code guessing.
 *
 * The answer is never a session: it is a challenge for step 2, bound to this administrator, valid for 5 minutes and
 * usable once. An administrator without an authenticator (the first login after provisioning) gets an enrolment
 * challenge with a new secret (or the one already handed out, if enrolment was started before and not finished).
 */
export async function adminPasswordStep(
  deps: AdminLoginDeps,
  input: { readonly username: string; readonly password: string; readonly sourceIp: string },
): Promise<AdminPasswordStepResult> {
  const { scope, hasher, clock, ids } = deps;
  const now = clock.now();
  const identityLookup = scope.admins.findPasswordIdentity(input.username);
  const outcome = await throttledAttempt<ClinicAdmin>({
    throttle: scope.adminLoginThrottle,
    username: input.username,
    sourceIp: input.sourceIp,
    now,
    resetOnSuccess: false,
    async check() {
      const identity = await identityLookup;
      if (!identity?.passwordHash) {
        await hasher.verifyDummy(input.password);
        return undefined;
      }
      const [matches, admin] = await Promise.all([
        hasher.verify(input.password, identity.passwordHash),
        scope.admins.get(identity.adminId),
      ]);
      return matches && admin?.status === 'active' ? admin : undefined;
    },
  });
  const identity = await identityLookup;
  const audit = auditor(deps, 'admin.login.password', identity?.adminId, input.sourceIp, now);
  if (!outcome.ok) {
    await audit('failure', failureDetails(outcome));
    throwFailure(outcome, new InvalidCredentialsError());
  }

  const admin = outcome.verified;
  const purpose = admin.totp.state === 'enrolled' ? 'totp' : 'enrolment';
  const challenge: AdminLoginChallenge = {
    id: ids.newId(),
    adminId: admin.id,
    purpose,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ADMIN_LOGIN_POLICY.challengeTtlSeconds * 1000).toISOString(),
    failures: 0,
  };
  const enrolment = purpose === 'enrolment' ? await enrolmentSecret(deps, admin) : undefined;
  await scope.adminChallenges.create(challenge);
  await audit('success', { next: purpose });
  return enrolment
    ? { status: 'enrolment_required', challengeId: challenge.id, expiresAt: challenge.expiresAt, enrolment }
    : { status: 'totp_required', challengeId: challenge.id, expiresAt: challenge.expiresAt };
}

/**
 * Step 2: a code from the authenticator app, or one of the recovery codes instead. A TOTP code is accepted once
 * (its time step must be later than the last accepted one); a recovery code is used up. Wrong codes count on the
 * administrator's login throttling and on the challenge, which ends after 5 of them.
 */
export async function adminSecondFactorStep(
  deps: AdminLoginDeps,
  input: {
    readonly challengeId: string;
    readonly sourceIp: string;
  } & ({ readonly code: string } | { readonly recoveryCode: string }),
): Promise<AdminLoginResult> {
  const { scope, clock } = deps;
  const now = clock.now();
  const frame = { ...input, purpose: 'totp', auditAction: 'admin.login.totp', now } as const;
  if ('recoveryCode' in input) {
    return completeChallenge<string, AdminLoginResult>(deps, frame, (admin) => ({
      check: async () => {
        const hash = recoveryCodeHash(admin.id, input.recoveryCode);
        return hash !== undefined && admin.recoveryCodeHashes.includes(hash) ? hash : undefined;
      },
      commit: async (hash) => {
        if (!(await scope.admins.useRecoveryCode(admin.id, hash))) return undefined;
        const audit = auditor(deps, 'admin.recovery_code.used', admin.id, input.sourceIp, now);
        await audit('success', { remaining: admin.recoveryCodeHashes.length - 1 });
        return startAdminSession(deps, admin, { method: 'recovery_code', sourceIp: input.sourceIp });
      },
    }));
  }
  return completeChallenge<number, AdminLoginResult>(deps, frame, (admin) => ({
    check: () => acceptableTotpStep(deps, admin, input.code, now),
    commit: async (step) => {
      if (!(await scope.admins.acceptTotpStep(admin.id, step))) return undefined;
      return startAdminSession(deps, admin, { method: 'totp', sourceIp: input.sourceIp });
    },
  }));
}

/**
 * Step 2 of the first login: the first code from the newly added authenticator confirms that the app has the secret.
 * Enrolment then completes (that code's step is the first accepted one), the recovery codes are made — returned this
 * once — and the session starts.
 */
export async function completeAdminEnrolment(
  deps: AdminLoginDeps,
  input: { readonly challengeId: string; readonly code: string; readonly sourceIp: string },
): Promise<AdminEnrolmentResult> {
  const { scope, clock } = deps;
  const now = clock.now();
  return completeChallenge<{ readonly step: number; readonly sealedSecret: string }, AdminEnrolmentResult>(
    deps,
    { ...input, purpose: 'enrolment', auditAction: 'admin.totp.enrolled', now },
    (admin) => ({
      check: async () => {
        if (admin.totp.state !== 'pending') return undefined;
        const sealedSecret = admin.totp.sealedSecret;
        const step = await matchingStep(deps, admin, sealedSecret, input.code, now);
        return step === undefined ? undefined : { step, sealedSecret };
      },
      commit: async ({ step, sealedSecret }) => {
        const recovery = newRecoveryCodes(admin.id);
        try {
          await scope.admins.completeTotpEnrolment(admin.id, {
            sealedSecret,
            acceptedStep: step,
            recoveryCodeHashes: recovery.hashes,
            at: now,
          });
        } catch (error) {
          if (error instanceof ConflictError) return undefined;
          throw error;
        }
        await auditor(deps, 'admin.totp.enrolled', admin.id, input.sourceIp, now)('success', {});
        const enrolled: ClinicAdmin = {
          ...admin,
          totp: { state: 'enrolled', sealedSecret, enrolledAt: now.toISOString(), lastAcceptedStep: step },
          recoveryCodeHashes: recovery.hashes,
        };
        const session = await startAdminSession(deps, enrolled, { method: 'enrolment', sourceIp: input.sourceIp });
        return { ...session, recoveryCodes: recovery.codes };
      },
    }),
  );
}

/**
 * New recovery codes for a logged-in administrator, who confirms with a current TOTP code (a session left open on a
 * shared computer must not be enough to mint codes). The old codes stop working at once. The code is checked like
 * any second factor: throttled on the administrator's account, accepted once. Audited as
 * `admin.recovery_codes.regenerated`.
 */
export async function regenerateRecoveryCodes(
  deps: AdminLoginDeps,
  input: { readonly principal: AdminPrincipal; readonly code: string; readonly sourceIp: string },
): Promise<readonly string[]> {
  const { scope, clock } = deps;
  const now = clock.now();
  const admin = await scope.admins.get(input.principal.adminId);
  if (admin?.status !== 'active') throw new UnauthenticatedError();
  const audit = auditor(deps, 'admin.recovery_codes.regenerated', admin.id, input.sourceIp, now);
  const outcome = await throttledAttempt({
    throttle: scope.adminLoginThrottle,
    username: admin.email,
    sourceIp: input.sourceIp,
    now,
    resetOnSuccess: true,
    check: () => acceptableTotpStep(deps, admin, input.code, now),
  });
  if (!outcome.ok) {
    await audit('failure', failureDetails(outcome));
    throwFailure(outcome, new InvalidOneTimeCodeError());
  }
  if (!(await scope.admins.acceptTotpStep(admin.id, outcome.verified))) {
    await audit('failure', { reason: 'code_already_used' });
    throw new InvalidOneTimeCodeError();
  }
  const recovery = newRecoveryCodes(admin.id);
  await scope.admins.replaceRecoveryCodes(admin.id, recovery.hashes);
  await audit('success', { count: recovery.codes.length });
  return recovery.codes;
}

/** What a second step checks (changing nothing) and then, if the check passed, uses up and turns into a session. */
interface SecondFactor<Verified, Result> {
  readonly check: () => Promise<Verified | undefined>;
  /** Undefined when what the check found was used up by a parallel request meanwhile (a lost race). */
  readonly commit: (verified: Verified) => Promise<Result | undefined>;
}

/**
 * The frame of every second step: the challenge must be live, of the right purpose and its administrator still
 * active; the code is checked as a throttled attempt on the administrator's account; a wrong code counts on the
 * challenge too (which ends at the limit); for a right one the challenge is consumed (once), the code used up and the
 * session started.
 * Every outcome is an audit event without the code.
 */
async function completeChallenge<Verified, Result>(
  deps: AdminLoginDeps,
  input: {
    readonly challengeId: string;
    readonly sourceIp: string;
    readonly purpose: AdminLoginChallenge['purpose'];
    readonly auditAction: AuditAction;
    readonly now: Date;
  },
  factorFor: (admin: ClinicAdmin) => SecondFactor<Verified, Result>,
): Promise<Result> {
  const { scope } = deps;
  const { now } = input;
  const challenge = await scope.adminChallenges.get(input.challengeId, now);
  const admin = challenge ? await scope.admins.get(challenge.adminId) : undefined;
  const audit = auditor(deps, input.auditAction, admin?.id, input.sourceIp, now);
  if (!challenge || !admin || challenge.purpose !== input.purpose || admin.status !== 'active') {
    if (challenge) await scope.adminChallenges.delete(challenge.id);
    await audit('failure', { reason: 'challenge_invalid' });
    throw new LoginChallengeExpiredError();
  }

  const factor = factorFor(admin);
  const outcome = await throttledAttempt<Verified>({
    throttle: scope.adminLoginThrottle,
    username: admin.email,
    sourceIp: input.sourceIp,
    now,
    resetOnSuccess: true,
    check: factor.check,
  });
  if (outcome.ok) {
    // Consumed before the code is used up: of two requests racing with one challenge, exactly one goes on.
    if (!(await scope.adminChallenges.consume(challenge.id, admin.id, now))) {
      await audit('failure', { reason: 'challenge_invalid' });
      throw new LoginChallengeExpiredError();
    }
    const result = await factor.commit(outcome.verified);
    if (result !== undefined) return result;
    await audit('failure', { reason: 'code_already_used' });
    throw new LoginChallengeExpiredError();
  }
  const reason = outcome.reason === 'invalid_credentials' ? 'invalid_code' : outcome.reason;
  if (outcome.reason === 'throttled_ip') {
    await audit('failure', { reason });
    throwFailure(outcome, new InvalidOneTimeCodeError());
  }
  const challengeFailures = (await scope.adminChallenges.recordFailure(challenge.id, now)) ?? Number.POSITIVE_INFINITY;
  const challengeEnded = challengeFailures >= ADMIN_LOGIN_POLICY.challengeMaxFailures;
  if (challengeEnded) await scope.adminChallenges.delete(challenge.id);
  await audit('failure', {
    reason,
    ...(outcome.reason === 'invalid_credentials' ? { consecutiveFailures: outcome.consecutiveFailures } : {}),
    ...(Number.isFinite(challengeFailures) ? { challengeFailures } : {}),
  });
  throw challengeEnded ? new LoginChallengeExpiredError() : new InvalidOneTimeCodeError();
}

/**
 * The time step of a TOTP code that may be accepted now: valid within the window and later than the last accepted
 * step (a code is accepted once, and no older one after it).
 */
async function acceptableTotpStep(
  deps: AdminLoginDeps,
  admin: ClinicAdmin,
  code: string,
  now: Date,
): Promise<number | undefined> {
  if (admin.totp.state !== 'enrolled') return undefined;
  const step = await matchingStep(deps, admin, admin.totp.sealedSecret, code, now);
  const last = admin.totp.lastAcceptedStep;
  return step !== undefined && (last === undefined || step > last) ? step : undefined;
}

async function matchingStep(
  deps: AdminLoginDeps,
  admin: ClinicAdmin,
  sealedSecret: string,
  typed: string,
  now: Date,
): Promise<number | undefined> {
  const code = normaliseTotpCode(typed);
  if (code === undefined) return undefined;
  const secret = await deps.secrets.open(sealedSecret, totpSealContext(deps.scope.tenantId, admin.id));
  return deps.totp.matchingStep(secret, code, now);
}

/** The secret to enrol: the one handed out before if enrolment was started and not finished, else a new one. */
async function enrolmentSecret(deps: AdminLoginDeps, admin: ClinicAdmin): Promise<TotpProvisioning> {
  const { scope, secrets, totp, clock } = deps;
  const context = totpSealContext(scope.tenantId, admin.id);
  let secret: Uint8Array;
  if (admin.totp.state === 'pending') {
    secret = await secrets.open(admin.totp.sealedSecret, context);
  } else {
    secret = totp.newSecret();
    await scope.admins.startTotpEnrolment(admin.id, await secrets.seal(secret, context), clock.now());
  }
  const clinic = await scope.tenant.get();
  return totp.provisioning(secret, { issuer: totpIssuer(clinic?.name ?? ''), label: admin.email });
}

function auditor(deps: AdminLoginDeps, action: AuditAction, adminId: string | undefined, sourceIp: string, at: Date) {
  return (outcome: AuditEvent['outcome'], details: Record<string, string | number>) =>
    deps.scope.audit.append({
      id: deps.ids.newId(),
      at: at.toISOString(),
      action,
      actor: adminId ? { type: 'admin', id: adminId } : { type: 'anonymous' },
      sourceIp,
      outcome,
      details,
    });
}

function failureDetails(outcome: Exclude<AttemptOutcome<unknown>, { ok: true }>): Record<string, string | number> {
  return {
    reason: outcome.reason,
    ...(outcome.reason === 'invalid_credentials' ? { consecutiveFailures: outcome.consecutiveFailures } : {}),
  };
}

/** 429 for an address over its limit; otherwise the step's own refusal, the same whatever the cause. */
function throwFailure(outcome: Exclude<AttemptOutcome<unknown>, { ok: true }>, refusal: Error): never {
  if (outcome.reason === 'throttled_ip') {
    throw new TooManyRequestsError(tooManyAttemptsMessage(outcome.retryAfterSeconds), outcome.retryAfterSeconds);
  }
  throw refusal;
}
