import { randomBytes } from 'node:crypto';
import { PortalError, TooManyRequestsError } from '../domain/errors';
import type { Actor, Language } from '../domain/identity';
import { isUuid } from '../domain/ids';
import { errorFields, type Logger } from '../domain/logging';
import {
  ipOverLimitSeconds,
  ipRetryAfterSeconds,
  LOGIN_THROTTLING,
  tooManyAttemptsMessage,
} from '../domain/login-throttling';
import type { MailMessage } from '../domain/mail';
import { checkPassword } from '../domain/password-policy';
import type {
  Clock,
  IdGenerator,
  Mailer,
  PasswordHasher,
  PasswordLink,
  PasswordLinkSubject,
  TenantScope,
} from '../domain/ports';
import { PasswordRejectedError } from './change-password';
import { withMinimumDuration } from './minimum-duration';
import { sendMail } from './send-mail';
import { sha256Hex } from './sha256';

/**
 * Single-use set-password links (SECURITY.md "Password reset and invitations"), for any kind of account: contact
 * persons and clinic administrators. A link is `<origin>/satt-losenord#<token>` (administrators':
 * `/admin/satt-losenord`); the token names the account and carries 256 random bits, of which only the SHA-256 is
 * stored. The token sits in the fragment, which browsers never send: it reaches no server log, no CDN log and no
 * Referer header. A link works for 60 minutes, once, and only while it is the account's newest one.
 *
 * The account-specific parts (how an account is found, where its password is stored, which sessions end) come in
 * through {@link PasswordLinkAccounts}; see ./contact-password-links.ts for contact persons.
 */
export const PASSWORD_LINK = {
  validMinutes: 60,
  /** The frontend's set-password page (frontend/src/main.ts routes it; the browser test follows a mailed link). */
  path: '/satt-losenord',
  /** Administrators' set-password page, on the admin pages (frontend/admin.html). */
  adminPath: '/admin/satt-losenord',
  secretBytes: 32,
} as const;

/**
 * Every reset request takes at least this long, whatever it finds. Without it, a known address (a few more table
 * writes and a call to the mail service, typically 100–300 ms in all) would answer measurably later than an unknown
 * one, and anyone could test which addresses have accounts. Well above the mail service's usual latency; overruns
 * are logged. Doing equivalent work for unknown addresses instead is not possible: there is no one to mail.
 */
export const RESET_REQUEST_MINIMUM_MS = 1_500;

/** 400: the token is not one the portal makes (cut off, mistyped): the message says so. */
export class MalformedLinkError extends PortalError {
  constructor(problem: string) {
    super('link_malformed', `The link is incomplete or damaged (${problem}). Open it again from the e-mail.`);
  }
}

/**
 * 400: the link is unknown, used, ended, superseded by a newer one, or its account is deactivated. One code and
 * message for all of them: the holder can only ask for a new link.
 */
export class LinkInvalidError extends PortalError {
  constructor() {
    super('link_invalid', 'The link has already been used or has expired. Ask for a new one.');
  }
}

/** What a link's token says: whose link it is, and the secret whose hash must match the stored one. */
export interface PasswordLinkToken {
  readonly subject: PasswordLinkSubject;
  readonly secret: string;
}

/** 32 random bytes in base64url, unpadded: 43 characters. */
const SECRET_FORM = /^[\w-]{43}$/u;

/** `<kind>.<account id>.<secret, base64url>`: only URL-safe characters, so it survives mail clients unescaped. */
export function formatPasswordLinkToken(token: PasswordLinkToken): string {
  return `${token.subject.kind}.${token.subject.id}.${token.secret}`;
}

/** Reads a token as the set-password page hands it in; MalformedLinkError naming the problem otherwise. */
export function parsePasswordLinkToken(text: string): PasswordLinkToken {
  const token = text.trim();
  if (token === '') throw new MalformedLinkError('it has no code');
  const parts = token.split('.');
  const [kind, id, secret] = parts;
  if (parts.length !== 3 || kind === undefined || id === undefined || secret === undefined) {
    throw new MalformedLinkError('its code is cut off');
  }
  if (kind !== 'contact' && kind !== 'admin') throw new MalformedLinkError('it names no kind of account');
  if (!isUuid(id)) throw new MalformedLinkError('it names no account');
  if (!SECRET_FORM.test(secret)) throw new MalformedLinkError('its secret part is cut off or changed');
  return { subject: { kind, id }, secret };
}

/** The account a link sets the password of, as the link use cases see it. */
export interface PasswordLinkAccount {
  readonly subject: PasswordLinkSubject;
  /** The name the mail greets. */
  readonly name: string;
  /** Where link mails go. */
  readonly email: string;
  /** The login name the password belongs to (the login page is prefilled with it afterwards). */
  readonly username: string;
  /** A deactivated account gets no mail, and its links set no password. */
  readonly active: boolean;
  /** Who the audit trail names for the account's own actions. */
  readonly actor: Actor;
  /** NIST SP 800-63B: with a second factor a password may be shorter (8 characters instead of 15). */
  readonly secondFactor?: boolean;
  /** The language the account's mails are written in; Swedish, the portal's first language, when it has none. */
  readonly language?: Language;
}

/** How the link use cases find and change one kind of account. */
export interface PasswordLinkAccounts {
  readonly kind: PasswordLinkSubject['kind'];
  /** The account that logs in with this username (an e-mail address), if any. */
  findByUsername(username: string): Promise<PasswordLinkAccount | undefined>;
  /**
   * The account a link names; called only once the link's secret matched, so it may refuse with an error of its
   * own (a username taken by another account) without telling strangers anything.
   */
  get(id: string): Promise<PasswordLinkAccount | undefined>;
  /** Stores the new password's hash, creating the account's password login if it has none. */
  storePassword(account: PasswordLinkAccount, passwordHash: string): Promise<void>;
  /** Clears the account's login throttling, a lock included. */
  unlockLogin(account: PasswordLinkAccount): Promise<void>;
  /** Ends every session of the account; returns how many it ended. */
  endSessions(account: PasswordLinkAccount): Promise<number>;
}

export interface IssuedPasswordLink {
  readonly link: string;
  readonly expiresAt: string;
}

/**
 * Makes a new link for the account and stores its hash, which invalidates any earlier link of the account.
 * `origin` is the clinic's own origin (scheme and host, as the runtime vouches for it).
 */
export async function issuePasswordLink(
  deps: { readonly scope: TenantScope; readonly clock: Clock },
  input: { readonly subject: PasswordLinkSubject; readonly purpose: PasswordLink['purpose']; readonly origin: string },
): Promise<IssuedPasswordLink> {
  const now = deps.clock.now();
  const secret = randomBytes(PASSWORD_LINK.secretBytes).toString('base64url');
  const expiresAt = new Date(now.getTime() + PASSWORD_LINK.validMinutes * 60_000).toISOString();
  await deps.scope.passwordLinks.put({
    subject: input.subject,
    purpose: input.purpose,
    secretSha256: sha256Hex(secret),
    createdAt: now.toISOString(),
    expiresAt,
  });
  const token = formatPasswordLinkToken({ subject: input.subject, secret });
  const path = input.subject.kind === 'admin' ? PASSWORD_LINK.adminPath : PASSWORD_LINK.path;
  return { link: `${input.origin.replace(/\/+$/u, '')}${path}#${token}`, expiresAt };
}

export interface MailPasswordLinkDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly mailer: Mailer;
}

/** Issues a new link for the account and mails it: an invitation (contact or admin) or a reset. */
export async function mailPasswordLink(
  deps: MailPasswordLinkDeps,
  input: {
    readonly account: Pick<PasswordLinkAccount, 'subject' | 'name' | 'email' | 'language'>;
    readonly purpose: PasswordLink['purpose'];
    readonly origin: string;
  },
): Promise<IssuedPasswordLink> {
  const clinic = await deps.scope.tenant.get();
  if (!clinic) throw new Error(`Clinic ${deps.scope.tenantId} has no profile; it cannot send mail.`);
  const { account, purpose } = input;
  const issued = await issuePasswordLink(deps, { subject: account.subject, purpose, origin: input.origin });
  const kind: MailMessage['kind'] =
    purpose === 'reset'
      ? 'password-reset'
      : account.subject.kind === 'admin'
        ? 'admin-invitation'
        : 'contact-invitation';
  await sendMail(deps.mailer, {
    to: { name: account.name, address: account.email },
    language: account.language ?? 'sv',
    message: {
      kind,
      recipientName: account.name,
      clinicName: clinic.name,
      link: issued.link,
      validMinutes: PASSWORD_LINK.validMinutes,
    },
  });
  return issued;
}

export interface RequestPasswordResetDeps extends MailPasswordLinkDeps {
  readonly ids: IdGenerator;
  /** For what the caller must not be told: a mail that could not be sent, a request slower than its minimum. */
  readonly log: Logger;
  /** Defaults to {@link RESET_REQUEST_MINIMUM_MS}; tests lower it. */
  readonly minimumDurationMs?: number;
}

export interface RequestPasswordResetInput {
  /** The address typed on the forgot-password page: the account's username. */
  readonly email: string;
  readonly origin: string;
  readonly sourceIp: string;
}

/** Why a reset request sent no mail, for the audit trail only: the caller always gets the same answer. */
type ResetOutcome =
  | 'mail_sent'
  | 'unknown_address'
  | 'account_inactive'
  | 'mail_limit'
  | 'mail_failed'
  | 'throttled_ip';

/**
 * "I forgot my password": mails a reset link to the account with this username, if there is one and it is active.
 * The caller learns nothing about the address: every request that gets past the per-address limit resolves alike,
 * after at least {@link RESET_REQUEST_MINIMUM_MS} (see there), whether a mail went out or not; even a failing mail
 * service is only logged. Per account at most {@link LOGIN_THROTTLING.resetMail} mails go out per hour (more
 * requests send nothing; the newest link keeps working). Every request is an audit event — with the account as
 * actor when there is one, anonymous otherwise, and never the typed address.
 */
export async function requestPasswordReset(
  deps: RequestPasswordResetDeps,
  input: RequestPasswordResetInput,
  accounts: PasswordLinkAccounts,
): Promise<void> {
  const { scope, clock, ids } = deps;
  const now = clock.now();
  const audit = (outcome: ResetOutcome, actor: Actor = { type: 'anonymous' }) =>
    scope.audit.append({
      id: ids.newId(),
      at: now.toISOString(),
      action: 'password.reset_requested',
      actor,
      sourceIp: input.sourceIp,
      outcome: outcome === 'mail_sent' ? 'success' : 'failure',
      details: { outcome },
    });

  // Depends only on the address's own requests, so it may answer at once.
  const ipRule = LOGIN_THROTTLING.ip.password_reset;
  const window = await scope.loginThrottle.countIp(input.sourceIp, 'password_reset', now, ipRule.windowSeconds);
  const retryAfterSeconds = ipOverLimitSeconds(window, ipRule, now);
  if (retryAfterSeconds !== undefined) {
    await audit('throttled_ip');
    throw new TooManyRequestsError(tooManyAttemptsMessage(retryAfterSeconds), retryAfterSeconds);
  }

  const minimumMs = deps.minimumDurationMs ?? RESET_REQUEST_MINIMUM_MS;
  await withMinimumDuration(
    minimumMs,
    async () => {
      const account = await accounts.findByUsername(input.email);
      if (!account) return audit('unknown_address');
      if (!account.active) return audit('account_inactive', account.actor);
      const mailRule = LOGIN_THROTTLING.resetMail;
      const mails = await scope.loginThrottle.countResetMail(account.subject, now, mailRule.windowSeconds);
      if (mails.count > mailRule.limit) return audit('mail_limit', account.actor);
      try {
        await mailPasswordLink(deps, { account, purpose: 'reset', origin: input.origin });
      } catch (error) {
        // Answering with an error here would tell the caller that the address has an account.
        deps.log.error('A password-reset mail could not be sent', { tenantId: scope.tenantId, ...errorFields(error) });
        return audit('mail_failed', account.actor);
      }
      return audit('mail_sent', account.actor);
    },
    (elapsedMs) =>
      deps.log.warn('A password-reset request took longer than its minimum duration', {
        elapsedMs: Math.round(elapsedMs),
        minimumMs,
      }),
  );
}

export interface SetPasswordWithLinkDeps {
  readonly scope: TenantScope;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface SetPasswordWithLinkInput {
  /** The token from the link's fragment. */
  readonly token: string;
  readonly newPassword: string;
  readonly sourceIp: string;
}

export interface PasswordSetWithLink {
  /** The login name the password now belongs to. */
  readonly username: string;
  readonly purpose: PasswordLink['purpose'];
}

/**
 * Sets an account's password with a link from a mail (an invitation or a reset):
 * 1. an address with too many refused links recently gets 429 before anything is checked;
 * 2. a malformed token is refused naming the problem; a link that is unknown, used, ended, superseded by a newer
 *    one, of another kind of account, or of a deactivated account is refused as `link_invalid` — both count
 *    against the address;
 * 3. the new password must pass the policy (every broken rule reported) BEFORE the link is used, so that the
 *    holder can simply try another password;
 * 4. the link is consumed atomically (of two parallel uses, one wins), the password hashed and stored, the login
 *    throttling cleared — a lock too: completing a reset proves control of the account's mailbox, which is what an
 *    administrator's unlock would rely on as well (NIST SP 800-63B §5.2.2) — and every session of the account ends.
 * Every attempt is an audit event `password.set`, without any password data.
 */
export async function setPasswordWithLink(
  deps: SetPasswordWithLinkDeps,
  input: SetPasswordWithLinkInput,
  accounts: PasswordLinkAccounts,
): Promise<PasswordSetWithLink> {
  const { scope, hasher, clock, ids } = deps;
  const throttle = scope.loginThrottle;
  const now = clock.now();
  const ipRule = LOGIN_THROTTLING.ip.password_link_failure;
  const audit = (outcome: 'success' | 'failure', actor: Actor, details: Record<string, string | number>) =>
    scope.audit.append({
      id: ids.newId(),
      at: now.toISOString(),
      action: 'password.set',
      actor,
      sourceIp: input.sourceIp,
      outcome,
      details,
    });
  const refuse = async (reason: string, error: PortalError, actor: Actor = { type: 'anonymous' }) => {
    await throttle.countIp(input.sourceIp, 'password_link_failure', now, ipRule.windowSeconds);
    await audit('failure', actor, { reason });
    return error;
  };

  const retryAfterSeconds = ipRetryAfterSeconds(
    await throttle.getIpWindow(input.sourceIp, 'password_link_failure', now),
    ipRule,
    now,
  );
  if (retryAfterSeconds !== undefined) {
    await audit('failure', { type: 'anonymous' }, { reason: 'throttled_ip' });
    throw new TooManyRequestsError(tooManyAttemptsMessage(retryAfterSeconds), retryAfterSeconds);
  }

  let token: PasswordLinkToken;
  try {
    token = parsePasswordLinkToken(input.token);
  } catch (error) {
    if (error instanceof MalformedLinkError) throw await refuse('link_malformed', error);
    throw error;
  }
  if (token.subject.kind !== accounts.kind) throw await refuse('link_of_another_kind', new LinkInvalidError());

  const secretSha256 = sha256Hex(token.secret);
  const stored = await scope.passwordLinks.get(token.subject);
  // Hashes are compared, not secrets: how long the comparison takes says nothing usable about the secret.
  const problem = !stored
    ? 'link_used_or_unknown'
    : stored.secretSha256 !== secretSha256
      ? 'link_superseded_or_wrong'
      : stored.expiresAt <= now.toISOString()
        ? 'link_expired'
        : undefined;
  if (problem) throw await refuse(problem, new LinkInvalidError());

  const account = await accounts.get(token.subject.id);
  if (!account?.active) throw await refuse('account_inactive', new LinkInvalidError(), account?.actor);

  const verdict = checkPassword(input.newPassword, {
    usernames: [account.username, account.email],
    ...(account.secondFactor ? { secondFactor: true } : {}),
  });
  if (!verdict.accepted) {
    await audit('failure', account.actor, {
      reason: 'password_rejected',
      rules: verdict.reasons.map((reason) => reason.code).join(','),
    });
    throw new PasswordRejectedError(verdict.reasons);
  }

  const link = await scope.passwordLinks.consume(token.subject, secretSha256, now);
  if (!link) throw await refuse('link_used_meanwhile', new LinkInvalidError(), account.actor);

  await accounts.storePassword(account, await hasher.hash(input.newPassword));
  await accounts.unlockLogin(account);
  const revokedSessions = await accounts.endSessions(account);
  await audit('success', account.actor, { purpose: link.purpose, revokedSessions });
  return { username: account.username, purpose: link.purpose };
}
