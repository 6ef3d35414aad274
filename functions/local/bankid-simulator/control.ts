import type { FaultInjector, FaultSpec } from './faults';
import type { BankIdStateMachine, SimulatedIdentity, SimulatedOrder } from './state-machine';

/**
 * The in-process test-control surface: tests (and the dev page, through the control server) play the user and
 * the failing world. Every user action that does not fit the order's state throws a BankIdSimulatorError and
 * leaves the order as it was.
 */
export interface BankIdSimulatorControl {
  /** The app scans an animated QR code and verifies it (format, HMAC, `t` within ±1 s of the order's age). */
  scanQr(qrData: string, identity?: SimulatedIdentity): SimulatedOrder;
  /** The app is opened through the autostart link. */
  openAutostart(autoStartToken: string, identity?: SimulatedIdentity): SimulatedOrder;
  /** The user starts the order without QR or autostart (phone orders; shortcuts). */
  start(orderRef: string, identity?: SimulatedIdentity): SimulatedOrder;
  /** The app asks for the security code: pending/userSign. */
  askForSecurityCode(orderRef: string): SimulatedOrder;
  /** The user enters the security code; the order completes as `identity` (or as whoever started it). */
  approve(orderRef: string, identity?: SimulatedIdentity): SimulatedOrder;
  /** The user cancels in the app: failed/userCancel. */
  userCancel(orderRef: string): SimulatedOrder;
  /** The order fails with any hint code, known or not. */
  failWith(orderRef: string, hintCode: string): SimulatedOrder;
  /** The order shows any pending hint code, known or not. */
  setPendingHint(orderRef: string, hintCode: string): SimulatedOrder;
  /** Arms a fault for the RP API (see {@link FaultSpec}). */
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Every order the simulator keeps, secrets included, with expiry applied. */
  orders(): SimulatedOrder[];
  order(orderRef: string): SimulatedOrder | undefined;
}

export function createControl(machine: BankIdStateMachine, faults: FaultInjector): BankIdSimulatorControl {
  return {
    scanQr: (qrData, identity) => machine.scanQr(qrData, identity),
    openAutostart: (token, identity) => machine.openAutostart(token, identity),
    start: (orderRef, identity) => machine.start(orderRef, identity),
    askForSecurityCode: (orderRef) => machine.askForSecurityCode(orderRef),
    approve: (orderRef, identity) => machine.approve(orderRef, identity),
    userCancel: (orderRef) => machine.userCancel(orderRef),
    failWith: (orderRef, hintCode) => machine.failWith(orderRef, hintCode),
    setPendingHint: (orderRef, hintCode) => machine.setPendingHint(orderRef, hintCode),
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    orders: () => machine.list(),
    order: (orderRef) => machine.get(orderRef),
  };
}
