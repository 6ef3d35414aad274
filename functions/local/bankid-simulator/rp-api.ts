import { isIP } from 'node:net';
import { BankIdError } from '../../domain/bankid';
import type { RpPath } from './faults';
import type { BankIdStateMachine, NewOrder, OrderKind } from './state-machine';
import { isPersonalNumber } from './test-identities';

/**
 * The RP API v6.0 request bodies, validated as BankID validates them, then handed to the state machine. Every
 * refusal is 400 `{errorCode: "invalidParameters", details}`; unknown parameters are refused too (BankID's own
 * leniency is not documented, and a strict simulator catches a misspelt parameter in the client).
 */
export interface RpAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** userVisibleData: 1–40 000 characters after base64 encoding; userNonVisibleData: 1–200 000 (BankID's limits). */
const USER_VISIBLE_DATA_MAX = 40_000;
const USER_NON_VISIBLE_DATA_MAX = 200_000;

const ORDER_PARAMETERS = ['requirement', 'userVisibleData', 'userNonVisibleData', 'userVisibleDataFormat'] as const;
const APP_ORDER_PARAMETERS = ['endUserIp', 'returnUrl', 'returnRisk', 'web', 'app', ...ORDER_PARAMETERS] as const;
const PHONE_ORDER_PARAMETERS = ['personalNumber', 'callInitiator', ...ORDER_PARAMETERS] as const;

const invalid = (details: string) => new BankIdError(400, 'invalidParameters', details);

/** Where the simulator is more lenient than BankID, by the choice of whoever starts it. */
export interface RpLeniency {
  /**
   * Accept `http://localhost` / loopback return URLs besides https ones. BankID takes https only; the local portal
   * of `npm start` runs on plain http on loopback, and its same-device logins must still return to it.
   */
  readonly loopbackHttpReturnUrls?: boolean;
}

/** Runs one RP call; every BankIdError becomes its `{errorCode, details}` answer. */
export function answerRpCall(
  machine: BankIdStateMachine,
  path: RpPath,
  body: unknown,
  leniency: RpLeniency = {},
): RpAnswer {
  try {
    return { status: 200, body: dispatch(machine, path, body, leniency) };
  } catch (error) {
    if (error instanceof BankIdError) {
      return { status: error.status, body: { errorCode: error.errorCode, details: error.details } };
    }
    throw error;
  }
}

function dispatch(machine: BankIdStateMachine, path: RpPath, body: unknown, leniency: RpLeniency): unknown {
  const parameters = requireObject(body);
  switch (path) {
    case 'auth':
    case 'sign':
      return machine.create(appOrder(path, parameters, leniency));
    case 'phone/auth':
    case 'phone/sign':
      return machine.create(phoneOrder(path, parameters));
    case 'collect':
      return machine.collect(orderRef(parameters));
    case 'cancel':
      machine.cancel(orderRef(parameters));
      return {};
  }
}

function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function onlyKnown(parameters: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(parameters).find((key) => !known.includes(key));
  if (unknown !== undefined) throw invalid(`Unknown parameter ${unknown}`);
}

function appOrder(kind: OrderKind, parameters: Record<string, unknown>, leniency: RpLeniency): NewOrder {
  onlyKnown(parameters, APP_ORDER_PARAMETERS);
  const { endUserIp, returnUrl, returnRisk, web, app } = parameters;
  if (endUserIp === undefined) throw invalid('Missing endUserIp');
  if (typeof endUserIp !== 'string' || isIP(endUserIp) === 0) throw invalid('Invalid endUserIp');
  if (returnUrl !== undefined && !isAcceptedReturnUrl(returnUrl, leniency)) throw invalid('Invalid returnUrl');
  if (returnRisk !== undefined && typeof returnRisk !== 'boolean') throw invalid('Invalid returnRisk');
  if (web !== undefined && !isStringRecord(web)) throw invalid('Invalid web');
  if (app !== undefined && !isStringRecord(app)) throw invalid('Invalid app');
  if (web !== undefined && app !== undefined) throw invalid('Only one of web and app may be given');
  return {
    kind,
    endUserIp,
    returnUrl: returnUrl as string | undefined,
    returnRisk: returnRisk as boolean | undefined,
    ...orderTexts(kind, parameters),
  };
}

function phoneOrder(kind: OrderKind, parameters: Record<string, unknown>): NewOrder {
  onlyKnown(parameters, PHONE_ORDER_PARAMETERS);
  const { personalNumber, callInitiator } = parameters;
  if (personalNumber === undefined) throw invalid('Missing personalNumber');
  if (typeof personalNumber !== 'string' || !isPersonalNumber(personalNumber)) throw invalid('Invalid personalNumber');
  if (callInitiator === undefined) throw invalid('Missing callInitiator');
  if (callInitiator !== 'user' && callInitiator !== 'RP') throw invalid('Invalid callInitiator');
  return { kind, personalNumber, callInitiator, ...orderTexts(kind, parameters) };
}

/** requirement, userVisibleData (required for signing), userNonVisibleData, userVisibleDataFormat. */
function orderTexts(kind: OrderKind, parameters: Record<string, unknown>) {
  const { requirement, userVisibleData, userNonVisibleData, userVisibleDataFormat } = parameters;
  if (requirement !== undefined && !isValidRequirement(requirement)) throw invalid('Invalid requirement');
  if (userVisibleData === undefined && kind.endsWith('sign')) throw invalid('Missing userVisibleData');
  if (userVisibleData !== undefined && !isBase64Utf8(userVisibleData, USER_VISIBLE_DATA_MAX)) {
    throw invalid('Invalid userVisibleData');
  }
  if (userNonVisibleData !== undefined && !isBase64(userNonVisibleData, USER_NON_VISIBLE_DATA_MAX)) {
    throw invalid('Invalid userNonVisibleData');
  }
  if (userVisibleDataFormat !== undefined) {
    if (userVisibleDataFormat !== 'simpleMarkdownV1') throw invalid('Invalid userVisibleDataFormat');
    if (userVisibleData === undefined) throw invalid('userVisibleDataFormat requires userVisibleData');
  }
  return {
    userVisibleData: userVisibleData as string | undefined,
    userNonVisibleData: userNonVisibleData as string | undefined,
  };
}

function orderRef(parameters: Record<string, unknown>): string {
  onlyKnown(parameters, ['orderRef']);
  const { orderRef: value } = parameters;
  if (value === undefined) throw invalid('Missing orderRef');
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw invalid('Invalid orderRef');
  return value;
}

function isAcceptedReturnUrl(value: unknown, leniency: RpLeniency): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    return (
      leniency.loopbackHttpReturnUrls === true &&
      url.protocol === 'http:' &&
      ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
    );
  } catch {
    return false;
  }
}

function isStringRecord(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

function isValidRequirement(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { pinCode, mrtd, cardReader, certificatePolicies, personalNumber, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return false;
  if (pinCode !== undefined && typeof pinCode !== 'boolean') return false;
  if (mrtd !== undefined && typeof mrtd !== 'boolean') return false;
  if (cardReader !== undefined && cardReader !== 'class1' && cardReader !== 'class2') return false;
  if (
    certificatePolicies !== undefined &&
    !(Array.isArray(certificatePolicies) && certificatePolicies.every((policy) => typeof policy === 'string'))
  ) {
    return false;
  }
  return personalNumber === undefined || (typeof personalNumber === 'string' && isPersonalNumber(personalNumber));
}

/** Canonical, padded standard base64 of 1..max characters. */
function isBase64(value: unknown, max: number): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || value.length % 4 !== 0) return false;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  return Buffer.from(value, 'base64').toString('base64') === value;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Base64 whose bytes are well-formed UTF-8 text. */
function isBase64Utf8(value: unknown, max: number): value is string {
  if (!isBase64(value, max)) return false;
  try {
    UTF8.decode(Buffer.from(value, 'base64'));
    return true;
  } catch {
    return false;
  }
}
