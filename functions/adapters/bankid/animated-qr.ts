import { createHmac } from 'node:crypto';

/**
 * The payload of BankID's animated QR code for one second of an order (../shared/BANKID.md, "Animated QR"):
 * `bankid.<qrStartToken>.<t>.<qrAuthCode>`, where `t` is the whole number of seconds since the /auth or /sign
 * response and `qrAuthCode` the lowercase hex HMAC-SHA256 of `String(t)` keyed with `qrStartSecret`.
 *
 * Computed on the server only: `qrStartSecret` never leaves the backend. Fractions of a second are dropped, so the
 * caller may pass the elapsed time as measured, e.g. `(now - orderTime) / 1000`.
 */
export function animatedQrData(qrStartToken: string, qrStartSecret: string, secondsSinceOrder: number): string {
  if (!Number.isFinite(secondsSinceOrder) || secondsSinceOrder < 0) {
    throw new RangeError(`secondsSinceOrder must be a finite number ≥ 0, got ${secondsSinceOrder}`);
  }
  const t = Math.floor(secondsSinceOrder);
  const qrAuthCode = createHmac('sha256', qrStartSecret).update(String(t)).digest('hex');
  return `bankid.${qrStartToken}.${t}.${qrAuthCode}`;
}
