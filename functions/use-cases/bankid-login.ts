import {
  BANKID_RETURN_PATH,
  type BankIdClient,
  type BankIdCollectResult,
  type BankIdCompletion,
  BankIdError,
} from '../domain/bankid';
import { type BankIdUserMessage, userMessageFor, userMessageForError } from '../domain/bankid-messages';
import { NotFoundError, TooManyRequestsError } from '../domain/errors';
import { isCurrentBankIdIdentity } from '../domain/identity';
import { ipOverLimitSeconds, LOGIN_THROTTLING, tooManyAttemptsMessage } from '../domain/login-throttling';
import type {
  BankIdLoginOrder,
  Clock,
  IdGenerator,
  PersonalNumberKeys,
  SessionTokens,
  TenantScope,
} from '../domain/ports';
import { sameSecret } from './same-secret';
import { type LoginResult, startSession } from './start-session';

/** What a BankID login needs besides the clinic's data. Absent where BankID is not configured. */
export interface BankIdSupport {
  readonly client: BankIdClient;
  readonly personalNumberKeys: PersonalNumberKeys;
  /** `bankid.<token>.<t>.<hmac>` for t seconds after the order (functions/adapters/bankid/animated-qr.ts). */
  readonly animatedQr: (qrStartToken: string, qrStartSecret: string, seconds: number) => string;
}

export interface BankIdLoginDeps {
  readonly scope: TenantScope;
  readonly bankId: BankIdSupport;
  readonly tokens: SessionTokens;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** BankID forgets an order within minutes; our record of it lives a little longer, then TTL removes it. */
const ORDER_RECORD_MS = 10 * 60 * 1000;
/** BANKID.md: poll /collect about every 2 s. */
export const BANKID_POLL_MS = 2000;

export interface StartedBankIdLogin {
  readonly loginId: string;
  /** Only for a start on this device: the token the BankID app is opened with. */
  readonly autoStartToken?: string;
  /** Only for a QR start: the QR's content now (t = 0); the polls bring the next ones. */
  readonly qrData?: string;
  readonly message: BankIdUserMessage;
  readonly pollAfterMs: number;
}

export interface StartBankIdLoginInput {
  readonly method: 'qr' | 'autostart';
  readonly endUserIp: string;
  /** The portal's origin as the browser uses it (vouched for by the runtime): where the app sends the user back. */
  readonly origin: string;
}

/**
 * Starts a BankID login ("secure start": no personal number asked). The order's secrets (orderRef,
 * qrStartSecret) stay in the clinic's table under a random login id, which is all the browser gets. Starts are
 * counted per address (`endUserIp`, the address the runtime vouches for, which BankID is told as well); one over
 * the limit gets TooManyRequestsError before BankID is asked.
 *
 * A start on this device gives BankID a `returnUrl` carrying a fresh nonce (BANKID.md: the app opens it when the
 * user is done). Only a collect that presents that nonce completes the login: the nonce reaches nobody but the
 * device the app ran on, so an autostart token passed to somebody else (to make them log in for you) logs in
 * nobody but them.
 */
export async function startBankIdLogin(
  deps: BankIdLoginDeps,
  input: StartBankIdLoginInput,
): Promise<StartedBankIdLogin> {
  const { scope, bankId, clock, ids } = deps;
  const rule = LOGIN_THROTTLING.ip.bankid_start;
  const requestedAt = clock.now();
  const counted = await scope.loginThrottle.countIp(input.endUserIp, 'bankid_start', requestedAt, rule.windowSeconds);
  const retryAfterSeconds = ipOverLimitSeconds(counted, rule, requestedAt);
  if (retryAfterSeconds !== undefined) {
    await auditFailure(deps, input.endUserIp, 'throttled_ip');
    throw new TooManyRequestsError(tooManyAttemptsMessage(retryAfterSeconds), retryAfterSeconds);
  }
  const loginId = ids.newId();
  // A random UUID: 122 bits nobody can guess within the order's minutes.
  const returnNonce = input.method === 'autostart' ? ids.newId() : undefined;
  const order = await bankId.client.auth({
    endUserIp: input.endUserIp,
    ...(returnNonce === undefined ? {} : { returnUrl: bankIdReturnUrl(input.origin, loginId, returnNonce) }),
  });
  const now = clock.now();
  const login: BankIdLoginOrder = {
    id: loginId,
    orderRef: order.orderRef,
    autoStartToken: order.autoStartToken,
    qrStartToken: order.qrStartToken,
    qrStartSecret: order.qrStartSecret,
    startedAt: now.toISOString(),
    method: input.method,
    ...(returnNonce === undefined ? {} : { returnNonce }),
    expiresAt: new Date(now.getTime() + ORDER_RECORD_MS).toISOString(),
  };
  await scope.bankIdOrders.put(login);
  return {
    loginId: login.id,
    ...(input.method === 'autostart'
      ? { autoStartToken: order.autoStartToken }
      : { qrData: bankId.animatedQr(order.qrStartToken, order.qrStartSecret, 0) }),
    message: userMessageFor({ status: 'pending', hintCode: 'outstandingTransaction', startedBy: input.method }),
    pollAfterMs: BANKID_POLL_MS,
  };
}

/** The URL the BankID app opens when a login on this device is done (see BANKID_RETURN_PATH). */
export function bankIdReturnUrl(origin: string, loginId: string, returnNonce: string): string {
  return `${origin}${BANKID_RETURN_PATH}#${new URLSearchParams({ login: loginId, nonce: returnNonce })}`;
}

export type BankIdLoginProgress =
  | { readonly status: 'pending'; readonly message: BankIdUserMessage; readonly qrData?: string }
  /** Approved in the app on this device; completes when the user comes back through the return URL. */
  | { readonly status: 'awaiting_return' }
  | { readonly status: 'failed'; readonly message: BankIdUserMessage }
  /** BankID proved who the person is, but they are no (active) contact of this clinic. */
  | { readonly status: 'no_access' }
  | { readonly status: 'complete'; readonly session: LoginResult };

export interface PollBankIdLoginInput {
  readonly loginId: string;
  readonly sourceIp: string;
  /** The nonce from the return URL, when the page polling is the one the BankID app sent the user back to. */
  readonly returnNonce?: string | undefined;
}

/**
 * One poll: asks BankID how the order is doing and answers with the message to show (and the next QR frame). On
 * completion the personal number is turned into its keyed hash at once — it is never stored, logged or returned —
 * and the contact it belongs to gets a session. A login started on this device completes only for the poll that
 * brings the order's return nonce (see {@link startBankIdLogin}); a wrong nonce ends the login.
 */
export async function pollBankIdLogin(
  deps: BankIdLoginDeps,
  input: PollBankIdLoginInput,
): Promise<BankIdLoginProgress> {
  const { scope, bankId, clock } = deps;
  const login = await scope.bankIdOrders.get(input.loginId);
  if (!login || Date.parse(login.expiresAt) <= clock.now().getTime()) throw new NotFoundError('The BankID login');

  if (input.returnNonce !== undefined && !(login.returnNonce && sameSecret(input.returnNonce, login.returnNonce))) {
    // A return that is not the one BankID was given: forged or mixed up. The login ends rather than being guessed at.
    await scope.bankIdOrders.delete(login.id);
    await auditFailure(deps, input.sourceIp, 'return_nonce_mismatch');
    return { status: 'failed', message: userMessageForError('invalidParameters') };
  }
  const returned = input.returnNonce !== undefined;
  if (login.awaitingReturn) return finishAfterReturn(deps, login, returned, input.sourceIp);

  let result: BankIdCollectResult;
  try {
    result = await bankId.client.collect(login.orderRef);
  } catch (error) {
    if (!(error instanceof BankIdError)) throw error;
    if (error.errorCode === 'invalidParameters') {
      // BankID no longer knows the order: expired, or collected by a parallel poll — the other tab of a login on
      // this device may have just recorded the completion, which this (returned) poll can then finish.
      const recorded = await scope.bankIdOrders.get(login.id);
      if (recorded?.awaitingReturn) return finishAfterReturn(deps, recorded, returned, input.sourceIp);
      await scope.bankIdOrders.delete(login.id);
    }
    return { status: 'failed', message: userMessageForError(error.errorCode) };
  }

  if (result.status === 'pending') {
    const seconds = Math.floor((clock.now().getTime() - Date.parse(login.startedAt)) / 1000);
    return {
      status: 'pending',
      message: userMessageFor({
        status: 'pending',
        hintCode: result.hintCode,
        startedBy: login.method,
      }),
      ...(login.method === 'qr' ? { qrData: bankId.animatedQr(login.qrStartToken, login.qrStartSecret, seconds) } : {}),
    };
  }
  if (result.status === 'failed') {
    await scope.bankIdOrders.delete(login.id);
    await auditFailure(deps, input.sourceIp, `bankid_${result.hintCode}`);
    return {
      status: 'failed',
      message: userMessageFor({ status: 'failed', hintCode: result.hintCode, startedBy: login.method }),
    };
  }
  const contactId = await contactProvedBy(deps, result.completionData);
  if (login.returnNonce !== undefined && !returned) {
    // Approved on this device, but this poll is not the return: BankID lets an order be collected only once, so
    // what it proved is kept with the order until the return comes (or the record expires).
    await scope.bankIdOrders.put({ ...login, awaitingReturn: contactId === undefined ? {} : { contactId } });
    return { status: 'awaiting_return' };
  }
  await scope.bankIdOrders.delete(login.id);
  return finish(deps, contactId, input.sourceIp);
}

/** A login on this device that BankID already completed: the return finishes it; any other poll keeps waiting. */
async function finishAfterReturn(
  deps: BankIdLoginDeps,
  login: BankIdLoginOrder,
  returned: boolean,
  sourceIp: string,
): Promise<BankIdLoginProgress> {
  if (!returned) return { status: 'awaiting_return' };
  await deps.scope.bankIdOrders.delete(login.id);
  return finish(deps, login.awaitingReturn?.contactId, sourceIp);
}

/** The active contact of this clinic whose BankID identity the completion proves, if any. */
async function contactProvedBy(deps: BankIdLoginDeps, completion: BankIdCompletion): Promise<string | undefined> {
  const { scope, bankId } = deps;
  const identity = await scope.contacts.findBankIdIdentity(
    await bankId.personalNumberKeys.keyOf(completion.user.personalNumber),
  );
  if (!identity) return undefined;
  // Defence in depth: an identity left behind by a replaced or removed number (one kept from before contacts held
  // their number's key) resolves to nobody.
  const contact = await scope.contacts.get(identity.contactId);
  return contact && isCurrentBankIdIdentity(contact, identity) ? identity.contactId : undefined;
}

async function finish(
  deps: BankIdLoginDeps,
  contactId: string | undefined,
  sourceIp: string,
): Promise<BankIdLoginProgress> {
  const contact = contactId === undefined ? undefined : await deps.scope.contacts.get(contactId);
  if (contact?.status !== 'active') {
    await auditFailure(deps, sourceIp, 'no_contact');
    return { status: 'no_access' };
  }
  return { status: 'complete', session: await startSession(deps, contact, { method: 'bankid', sourceIp }) };
}

/** The user gave up: BankID is told (so the app stops asking), and the order is forgotten. */
export async function cancelBankIdLogin(deps: BankIdLoginDeps, loginId: string): Promise<void> {
  const login = await deps.scope.bankIdOrders.get(loginId);
  if (!login) return;
  await deps.bankId.client.cancel(login.orderRef).catch((error: unknown) => {
    // Already finished or forgotten at BankID: nothing left to cancel.
    if (!(error instanceof BankIdError && error.errorCode === 'invalidParameters')) throw error;
  });
  await deps.scope.bankIdOrders.delete(loginId);
}

async function auditFailure(deps: BankIdLoginDeps, sourceIp: string, reason: string): Promise<void> {
  await deps.scope.audit.append({
    id: deps.ids.newId(),
    at: deps.clock.now().toISOString(),
    action: 'login.bankid',
    actor: { type: 'anonymous' },
    sourceIp,
    outcome: 'failure',
    details: { reason },
  });
}
