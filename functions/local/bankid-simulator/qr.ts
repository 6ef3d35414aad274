import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * BankID's animated QR code (../shared/BANKID.md): `bankid.<qrStartToken>.<t>.<qrAuthCode>`, where `t` is the
 * whole number of seconds since the order was created and `qrAuthCode` the lowercase hex HMAC-SHA256 of
 * `String(t)` keyed with the order's `qrStartSecret`. The simulator verifies it the way the BankID app does.
 */

/** `qrAuthCode` for second `t` of an order. */
export function qrAuthCode(qrStartSecret: string, t: number): string {
  return createHmac('sha256', qrStartSecret).update(String(t)).digest('hex');
}

/** The QR payload an RP shows at second `t` (what the portal will compute; here for tests and the dev page). */
export function qrData(qrStartToken: string, qrStartSecret: string, t: number): string {
  return `bankid.${qrStartToken}.${t}.${qrAuthCode(qrStartSecret, t)}`;
}

export interface ParsedQrData {
  readonly qrStartToken: string;
  readonly t: number;
  readonly qrAuthCode: string;
}

const QR_DATA = /^bankid\.([0-9a-f-]{36})\.(0|[1-9]\d{0,8})\.([0-9a-f]{64})$/;

/** Parses a scanned QR payload; undefined if it is not BankID's format (uppercase hex is not accepted either). */
export function parseQrData(scanned: string): ParsedQrData | undefined {
  const match = QR_DATA.exec(scanned);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { qrStartToken: match[1], t: Number(match[2]), qrAuthCode: match[3] };
}

/** Whether `code` is the qrAuthCode of second `t` for this secret (constant-time comparison). */
export function isValidQrAuthCode(qrStartSecret: string, t: number, code: string): boolean {
  const expected = Buffer.from(qrAuthCode(qrStartSecret, t), 'utf8');
  const actual = Buffer.from(code, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
