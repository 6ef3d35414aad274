import { randomUUID } from 'node:crypto';
import { BankIdError } from '../../domain/bankid';
import type { Clock } from '../../domain/ports';
import { isValidQrAuthCode, parseQrData } from './qr';
import { simulatedOcspResponse, simulatedSignature, simulatedUhi } from './signature';
import { isPersonalNumber } from './test-identities';

/**
 * The orders of the simulated BankID and their life cycle, as BankID walks it (../shared/BANKID.md):
 *
 *   pending/outstandingTransaction --(QR scanned, autostart opened, phone order started)--> pending/started
 *   pending/started --(user asked for the security code)--> pending/userSign --(approve)--> complete
 *   any pending --(user cancels, the RP cancels, a new order for the user, a failure)--> failed/<hintCode>
 *
 * Time windows, all measured by the injected clock (the ONLY source of time here):
 * - an order must be started within {@link PICKUP_WINDOW_MS} of its creation, else failed/expiredTransaction;
 * - a started order must be completed within {@link USER_WINDOW_MS} of its start, else failed/expiredTransaction;
 * - a complete result can be collected once, within {@link COMPLETE_RESULT_MS}; a failed one for {@link FAILED_RESULT_MS};
 *   after that the order is gone and /collect answers 400 invalidParameters, as for an unknown order;
 * - an order cancelled by the RP is gone at once.
 * Expiry is evaluated whenever an order is looked at, so advancing a test clock is all it takes.
 */
export const PICKUP_WINDOW_MS = 30_000;
export const USER_WINDOW_MS = 180_000;
export const COMPLETE_RESULT_MS = 180_000;
export const FAILED_RESULT_MS = 300_000;
/** How far a QR code's `t` may be from the order's real age (the app's clock and the RP's refresh both drift). */
export const QR_TIME_TOLERANCE_S = 1;
/** The device address reported for phone orders, which have no endUserIp (TEST-NET-1, never routed). */
export const PHONE_DEVICE_IP = '192.0.2.10';

export type OrderKind = 'auth' | 'sign' | 'phone/auth' | 'phone/sign';

/** A validated order request, as the RP API layer hands it over. */
export interface NewOrder {
  readonly kind: OrderKind;
  readonly endUserIp?: string | undefined;
  readonly personalNumber?: string | undefined;
  readonly callInitiator?: 'user' | 'RP' | undefined;
  /** Base64 of UTF-8, as sent. */
  readonly userVisibleData?: string | undefined;
  readonly userNonVisibleData?: string | undefined;
  readonly returnUrl?: string | undefined;
  readonly returnRisk?: boolean | undefined;
}

/** The person who plays the user in the app. */
export interface SimulatedIdentity {
  /** 12 digits, YYYYMMDDNNNC, valid check digit. */
  readonly personalNumber: string;
  readonly givenName: string;
  readonly surname: string;
}

export interface SimulatedCompletion {
  readonly user: {
    readonly personalNumber: string;
    readonly name: string;
    readonly givenName: string;
    readonly surname: string;
  };
  readonly device: { readonly ipAddress: string; readonly uhi: string };
  readonly bankIdIssueDate: string;
  readonly signature: string;
  readonly ocspResponse: string;
  readonly risk?: 'low';
}

/** What /collect answers (the JSON body). */
export type CollectResponse =
  | { readonly orderRef: string; readonly status: 'pending'; readonly hintCode: string }
  | { readonly orderRef: string; readonly status: 'failed'; readonly hintCode: string }
  | { readonly orderRef: string; readonly status: 'complete'; readonly completionData: SimulatedCompletion };

/** What /auth and /sign answer; phone orders answer only the orderRef. */
export type CreatedOrder =
  | {
      readonly orderRef: string;
      readonly autoStartToken: string;
      readonly qrStartToken: string;
      readonly qrStartSecret: string;
    }
  | { readonly orderRef: string };

/** An order as the test-control surface shows it: everything, secrets included (in-process only). */
export interface SimulatedOrder extends NewOrder {
  readonly orderRef: string;
  readonly autoStartToken?: string;
  readonly qrStartToken?: string;
  readonly qrStartSecret?: string;
  readonly status: 'pending' | 'failed' | 'complete';
  readonly hintCode?: string;
  readonly createdAt: Date;
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
  /** The person the order belongs to: from /phone/*, or bound when the user started or approved it. */
  readonly boundTo?: string;
  readonly completionData?: SimulatedCompletion;
}

/** A refused test-control action (a wrong QR code, an order in the wrong state, …): the order is unchanged. */
export class BankIdSimulatorError extends Error {
  override readonly name = 'BankIdSimulatorError';
}

type MutableOrder = { -readonly [K in keyof SimulatedOrder]: SimulatedOrder[K] } & {
  /** Who started the order, if the test said so; approve() then needs no identity. */
  boundIdentity?: SimulatedIdentity;
};

const noSuchOrder = () => new BankIdError(400, 'invalidParameters', 'No such order');

export class BankIdStateMachine {
  private readonly orders = new Map<string, MutableOrder>();

  constructor(private readonly clock: Clock) {}

  // ---- the RP API ------------------------------------------------------------------------------------------------

  /** /auth, /sign, /phone/auth, /phone/sign. */
  create(request: NewOrder): CreatedOrder {
    const now = this.clock.now();
    this.sweep(now);
    if (request.personalNumber !== undefined) {
      const inProgress = this.pendingOrdersOf(request.personalNumber);
      if (inProgress.length > 0) {
        // BankID: the order in progress is aborted (it fails with `cancelled`) and no new order is created.
        for (const order of inProgress) this.finish(order, now, 'failed', 'cancelled');
        throw new BankIdError(400, 'alreadyInProgress', 'Order already in progress for pno');
      }
    }
    const phone = request.kind.startsWith('phone/');
    const order: MutableOrder = {
      ...withoutUndefined(request),
      orderRef: randomUUID(),
      status: 'pending',
      hintCode: 'outstandingTransaction',
      createdAt: now,
    };
    if (request.personalNumber !== undefined) order.boundTo = request.personalNumber;
    if (!phone) {
      order.autoStartToken = randomUUID();
      order.qrStartToken = randomUUID();
      order.qrStartSecret = randomUUID();
    }
    this.orders.set(order.orderRef, order);
    if (phone) return { orderRef: order.orderRef };
    return {
      orderRef: order.orderRef,
      autoStartToken: order.autoStartToken ?? '',
      qrStartToken: order.qrStartToken ?? '',
      qrStartSecret: order.qrStartSecret ?? '',
    };
  }

  /**
   * /collect: the order's state now; 400 invalidParameters for an unknown, cancelled or no longer kept order. A
   * complete result is handed out once (BANKID.md: "collected once, within ~3 min"): the order is gone after it.
   */
  collect(orderRef: string): CollectResponse {
    const order = this.current(orderRef);
    if (!order) throw noSuchOrder();
    if (order.status === 'complete' && order.completionData) {
      this.orders.delete(orderRef);
      return { orderRef, status: 'complete', completionData: order.completionData };
    }
    return { orderRef, status: order.status === 'failed' ? 'failed' : 'pending', hintCode: order.hintCode ?? '' };
  }

  /** /cancel: the order is gone at once; a later collect answers 400 invalidParameters. */
  cancel(orderRef: string): void {
    if (!this.current(orderRef)) throw noSuchOrder();
    this.orders.delete(orderRef);
  }

  // ---- the user, played by tests and the dev page -----------------------------------------------------------------

  /**
   * The user scans an animated QR code, which the app verifies: BankID's format, a known order waiting to be
   * started, the HMAC keyed with its qrStartSecret, and a `t` within ±{@link QR_TIME_TOLERANCE_S} s of the order's
   * age per the clock. Anything else is refused with a BankIdSimulatorError and the order does not start.
   * With `identity`, the order is bound to that person at once (see {@link start}).
   */
  scanQr(scanned: string, identity?: SimulatedIdentity): SimulatedOrder {
    const now = this.clock.now();
    this.sweep(now);
    const parsed = parseQrData(scanned);
    if (!parsed) throw new BankIdSimulatorError(`Not a BankID QR code: ${JSON.stringify(scanned.slice(0, 120))}.`);
    const order = [...this.orders.values()].find((candidate) => candidate.qrStartToken === parsed.qrStartToken);
    if (!order) throw new BankIdSimulatorError('No order has this qrStartToken (unknown, cancelled or expired).');
    this.requireOutstanding(order);
    if (!isValidQrAuthCode(order.qrStartSecret ?? '', parsed.t, parsed.qrAuthCode)) {
      throw new BankIdSimulatorError(
        `The QR code's auth code is wrong for t=${parsed.t}: it must be HMAC-SHA256(qrStartSecret, "${parsed.t}") in lowercase hex.`,
      );
    }
    const age = Math.floor((now.getTime() - order.createdAt.getTime()) / 1000);
    if (Math.abs(parsed.t - age) > QR_TIME_TOLERANCE_S) {
      throw new BankIdSimulatorError(
        `The QR code says t=${parsed.t}, but the order is ${age} s old: the QR code must be refreshed every second.`,
      );
    }
    return this.begin(order, now, identity);
  }

  /** The user opens the app through the autostart link (same device). */
  openAutostart(autoStartToken: string, identity?: SimulatedIdentity): SimulatedOrder {
    const now = this.clock.now();
    this.sweep(now);
    const order = [...this.orders.values()].find((candidate) => candidate.autoStartToken === autoStartToken);
    if (!order) throw new BankIdSimulatorError('No order has this autoStartToken (unknown, cancelled or expired).');
    this.requireOutstanding(order);
    return this.begin(order, now, identity);
  }

  /**
   * The user starts the order without a QR code or autostart link: a phone order after the call, or the dev page's
   * one-click approval. Binding it to a person fails that person's other pending orders with `cancelled`
   * (BankID: "the system received a new order for the user").
   */
  start(orderRef: string, identity?: SimulatedIdentity): SimulatedOrder {
    const now = this.clock.now();
    const order = this.requireOrder(orderRef, now);
    this.requireOutstanding(order);
    return this.begin(order, now, identity);
  }

  /** The app asks the user for the security code: pending/userSign. */
  askForSecurityCode(orderRef: string): SimulatedOrder {
    const order = this.requireOrder(orderRef, this.clock.now());
    this.requireStarted(order);
    order.hintCode = 'userSign';
    return snapshot(order);
  }

  /**
   * The user enters the security code: the order completes with `identity`'s completionData. The order must have
   * been started; if it is bound to a person (phone order, or started with an identity), `identity` must be that
   * person or be left out.
   */
  approve(orderRef: string, identity?: SimulatedIdentity): SimulatedOrder {
    const now = this.clock.now();
    const order = this.requireOrder(orderRef, now);
    this.requireStarted(order);
    const person = identity ?? this.boundIdentity(order);
    if (!person)
      throw new BankIdSimulatorError(`Order ${orderRef} is not bound to anyone: approve it with an identity.`);
    checkIdentity(person);
    if (order.boundTo !== undefined && order.boundTo !== person.personalNumber) {
      throw new BankIdSimulatorError(`Order ${orderRef} belongs to another person than the one approving it.`);
    }
    const name = `${person.givenName} ${person.surname}`;
    const uhi = simulatedUhi(person.personalNumber);
    order.boundTo = person.personalNumber;
    order.completionData = {
      user: { personalNumber: person.personalNumber, name, givenName: person.givenName, surname: person.surname },
      device: { ipAddress: order.endUserIp ?? PHONE_DEVICE_IP, uhi },
      bankIdIssueDate: isoDate(new Date(now.getTime() - 400 * 86_400_000)),
      signature: simulatedSignature({
        kind: order.kind,
        personalNumber: person.personalNumber,
        name,
        userVisibleData: order.userVisibleData,
        userNonVisibleData: order.userNonVisibleData,
        uhi,
        signedAt: now,
      }),
      ocspResponse: simulatedOcspResponse(),
      ...(order.returnRisk === true ? { risk: 'low' as const } : {}),
    };
    this.finish(order, now, 'complete', undefined);
    return snapshot(order);
  }

  /** The user presses Cancel in the app: failed/userCancel. */
  userCancel(orderRef: string): SimulatedOrder {
    return this.failWith(orderRef, 'userCancel');
  }

  /** Fails a pending order with any hint code, known (certificateErr, startFailed, …) or not (someFutureCode). */
  failWith(orderRef: string, hintCode: string): SimulatedOrder {
    const now = this.clock.now();
    const order = this.requireOrder(orderRef, now);
    this.requirePending(order);
    this.finish(order, now, 'failed', requireHint(hintCode));
    return snapshot(order);
  }

  /** Shows any pending hint code (noClient, userMrtd, userCallConfirm, or one BankID may add later). */
  setPendingHint(orderRef: string, hintCode: string): SimulatedOrder {
    const order = this.requireOrder(orderRef, this.clock.now());
    this.requirePending(order);
    order.hintCode = requireHint(hintCode);
    return snapshot(order);
  }

  /** Every order the simulator still keeps, with its current state (expiry applied), oldest first. */
  list(): SimulatedOrder[] {
    this.sweep(this.clock.now());
    return [...this.orders.values()].map(snapshot);
  }

  /** One order by orderRef, or undefined if it is unknown or no longer kept. */
  get(orderRef: string): SimulatedOrder | undefined {
    const order = this.current(orderRef);
    return order && snapshot(order);
  }

  // ---- internals ---------------------------------------------------------------------------------------------------

  private current(orderRef: string): MutableOrder | undefined {
    this.sweep(this.clock.now());
    return this.orders.get(orderRef);
  }

  private requireOrder(orderRef: string, now: Date): MutableOrder {
    this.sweep(now);
    const order = this.orders.get(orderRef);
    if (!order) throw new BankIdSimulatorError(`No order ${orderRef} (unknown, cancelled or no longer kept).`);
    return order;
  }

  private requirePending(order: MutableOrder): void {
    if (order.status !== 'pending') {
      throw new BankIdSimulatorError(
        `Order ${order.orderRef} is ${order.status}/${order.hintCode ?? ''}, not pending.`,
      );
    }
  }

  private requireOutstanding(order: MutableOrder): void {
    this.requirePending(order);
    if (order.startedAt) throw new BankIdSimulatorError(`Order ${order.orderRef} has already been started.`);
  }

  private requireStarted(order: MutableOrder): void {
    this.requirePending(order);
    if (!order.startedAt) {
      throw new BankIdSimulatorError(
        `Order ${order.orderRef} has not been started (scan its QR code or open it first).`,
      );
    }
  }

  private begin(order: MutableOrder, now: Date, identity: SimulatedIdentity | undefined): SimulatedOrder {
    if (identity) {
      checkIdentity(identity);
      if (order.boundTo !== undefined && order.boundTo !== identity.personalNumber) {
        throw new BankIdSimulatorError(`Order ${order.orderRef} belongs to another person.`);
      }
      for (const other of this.pendingOrdersOf(identity.personalNumber)) {
        if (other !== order) this.finish(other, now, 'failed', 'cancelled');
      }
      order.boundTo = identity.personalNumber;
      order.boundIdentity = identity;
    }
    order.startedAt = now;
    order.hintCode = 'started';
    return snapshot(order);
  }

  private boundIdentity(order: MutableOrder): SimulatedIdentity | undefined {
    return order.boundIdentity;
  }

  private pendingOrdersOf(personalNumber: string): MutableOrder[] {
    return [...this.orders.values()].filter((order) => order.status === 'pending' && order.boundTo === personalNumber);
  }

  private finish(order: MutableOrder, at: Date, status: 'failed' | 'complete', hintCode: string | undefined): void {
    order.status = status;
    order.finishedAt = at;
    if (hintCode === undefined) delete order.hintCode;
    else order.hintCode = hintCode;
  }

  /** Applies every deadline that has passed by `now`: pending orders expire, kept results are dropped. */
  private sweep(now: Date): void {
    const time = now.getTime();
    for (const order of this.orders.values()) {
      if (order.status === 'pending') {
        const deadline = order.startedAt
          ? order.startedAt.getTime() + USER_WINDOW_MS
          : order.createdAt.getTime() + PICKUP_WINDOW_MS;
        if (time >= deadline) this.finish(order, new Date(deadline), 'failed', 'expiredTransaction');
      }
      if (order.status !== 'pending' && order.finishedAt) {
        const keptFor = order.status === 'complete' ? COMPLETE_RESULT_MS : FAILED_RESULT_MS;
        if (time >= order.finishedAt.getTime() + keptFor) this.orders.delete(order.orderRef);
      }
    }
  }
}

function checkIdentity(identity: SimulatedIdentity): void {
  if (!isPersonalNumber(identity.personalNumber)) {
    throw new BankIdSimulatorError('The identity needs a 12-digit personal number with a valid check digit.');
  }
  if (!identity.givenName.trim() || !identity.surname.trim()) {
    throw new BankIdSimulatorError('The identity needs a given name and a surname.');
  }
}

function requireHint(hintCode: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(hintCode)) {
    throw new BankIdSimulatorError(`Not a hint code: ${JSON.stringify(hintCode)} (letters and digits, like userSign).`);
  }
  return hintCode;
}

function snapshot(order: MutableOrder): SimulatedOrder {
  const { boundIdentity: _identity, ...rest } = order;
  return { ...rest };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);
