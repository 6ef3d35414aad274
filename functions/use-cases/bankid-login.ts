import { type BankIdClient, type BankIdCollectResult, type BankIdCompletion, BankIdError } from '../domain/bankid';
import { type BankIdUserMessage, userMessageFor, userMessageForError } from '../domain/bankid-messages';
import { NotFoundError, TooManyRequestsError } from '../domain/errors';
import { ipOverLimitSeconds, LOGIN_THROTTLING, tooManyAttemptsMessage } from '../domain/login-throttling';
import type {
  BankIdLoginOrder,
  Clock,
  IdGenerator,
  PersonalNumberKeys,
  SessionTokens,
  TenantScope,
} from '../domain/ports';
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

/**
 * Starts a BankID login ("secure start": no personal number asked). The order's secrets (orderRef,
 * qrStartSecret) stay in the clinic's table under a random login id, which is all the browser gets. Starts are
 * counted per address (`endUserIp`, the address the runtime vouches for, which BankID is told as well); one over
 * the limit gets TooManyRequestsError before BankID is asked.
 */
export async function startBankIdLogin(
  deps: BankIdLoginDeps,
  input: { readonly method: 'qr' | 'autostart'; readonly endUserIp: string },
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
  const order = await bankId.client.auth({ endUserIp: input.endUserIp });
  const now = clock.now();
  const login: BankIdLoginOrder = {
    id: ids.newId(),
    orderRef: order.orderRef,
    autoStartToken: order.autoStartToken,
    qrStartToken: order.qrStartToken,
    qrStartSecret: order.qrStartSecret,
    startedAt: now.toISOString(),
    method: input.method,
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

export type BankIdLoginProgress =
  | { readonly status: 'pending'; readonly message: BankIdUserMessage; readonly qrData?: string }
  | { readonly status: 'failed'; readonly message: BankIdUserMessage }
  /** BankID proved who the person is, but they are no (active) contact of this clinic. */
  | { readonly status: 'no_access' }
  | { readonly status: 'complete'; readonly session: LoginResult };

/**
 * One poll: asks BankID how the order is doing and answers with the message to show (and the next QR frame). On
 * completion the personal number is turned into its keyed hash at once — it is never stored, logged or returned —
 * and the contact it belongs to gets a session.
 */
export async function pollBankIdLogin(
  deps: BankIdLoginDeps,
  input: { readonly loginId: string; readonly sourceIp: string },
): Promise<BankIdLoginProgress> {
  const { scope, bankId, clock } = deps;
  const login = await scope.bankIdOrders.get(input.loginId);
  if (!login || Date.parse(login.expiresAt) <= clock.now().getTime()) throw new NotFoundError('The BankID login');

  let result: BankIdCollectResult;
  try {
    result = await bankId.client.collect(login.orderRef);
  } catch (error) {
    if (!(error instanceof BankIdError)) throw error;
    // invalidParameters here means BankID no longer knows the order (expired or collected): it is over.
    if (error.errorCode === 'invalidParameters') await scope.bankIdOrders.delete(login.id);
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
  await scope.bankIdOrders.delete(login.id);
  if (result.status === 'failed') {
    await auditFailure(deps, input.sourceIp, `bankid_${result.hintCode}`);
    return {
      status: 'failed',
      message: userMessageFor({ status: 'failed', hintCode: result.hintCode, startedBy: login.method }),
    };
  }
  return complete(deps, result.completionData, input.sourceIp);
}

async function complete(
  deps: BankIdLoginDeps,
  completion: BankIdCompletion,
  sourceIp: string,
): Promise<BankIdLoginProgress> {
  const { scope, bankId } = deps;
  const identity = await scope.contacts.findBankIdIdentity(
    await bankId.personalNumberKeys.keyOf(completion.user.personalNumber),
  );
  const contact = identity ? await scope.contacts.get(identity.contactId) : undefined;
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
