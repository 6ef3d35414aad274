import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isValidQrAuthCode, parseQrData, qrAuthCode, qrData } from '../../../functions/local/bankid-simulator/qr';
import { answerRpCall } from '../../../functions/local/bankid-simulator/rp-api';
import {
  type BankIdSimulator,
  startBankIdSimulator,
} from '../../../functions/local/bankid-simulator/start-bankid-simulator';
import {
  BankIdSimulatorError,
  BankIdStateMachine,
  COMPLETE_RESULT_MS,
  FAILED_RESULT_MS,
  PICKUP_WINDOW_MS,
  USER_WINDOW_MS,
} from '../../../functions/local/bankid-simulator/state-machine';
import { isPersonalNumber, TEST_IDENTITIES } from '../../../functions/local/bankid-simulator/test-identities';
import { TestClock } from '../../support/test-clock';

const clock = new TestClock(Date.parse('2025-03-03T09:00:00Z'));
let simulator: BankIdSimulator;

beforeAll(async () => {
  simulator = await startBankIdSimulator({ clock });
});
afterAll(async () => {
  await simulator?.stop();
});
afterEach(() => {
  simulator.control.clearFaults();
});

const identity = (index: number) => {
  const found = TEST_IDENTITIES[index];
  if (!found) throw new Error(`No test identity ${index}`);
  return found;
};
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever JSON came back.
  readonly json: any;
}

interface CallOptions {
  readonly method?: string;
  readonly contentType?: string | null;
  /** Sent as is instead of JSON.stringify(body). */
  readonly rawBody?: string;
  readonly tls?: Partial<RequestOptions>;
}

/** One RP API call over HTTPS with mutual TLS: pins the simulator's CA and presents the RP's PKCS#12. */
function rp(path: string, body?: unknown, options: CallOptions = {}): Promise<HttpAnswer> {
  const url = new URL(path, simulator.baseUrl);
  const payload = options.rawBody ?? (body === undefined ? '' : JSON.stringify(body));
  const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
  return send(httpsRequest, url, options.method ?? 'POST', payload, contentType, {
    ca: simulator.caCertificatePem,
    pfx: Buffer.from(simulator.rpCertificate.pkcs12),
    passphrase: simulator.rpCertificate.passphrase,
    ...options.tls,
  });
}

function send(
  request: typeof httpsRequest | typeof httpRequest,
  url: URL,
  method: string,
  payload: string,
  contentType: string | null,
  extra: Partial<RequestOptions> = {},
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        agent: false,
        headers: {
          ...(contentType === null ? {} : { 'Content-Type': contentType }),
          'Content-Length': Buffer.byteLength(payload),
          ...headers,
        },
        ...extra,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

async function newAuth(extra: Record<string, unknown> = {}) {
  const answer = await rp('auth', { endUserIp: '192.0.2.44', ...extra });
  expect(answer.status).toBe(200);
  return answer.json as { orderRef: string; autoStartToken: string; qrStartToken: string; qrStartSecret: string };
}

const collect = (orderRef: string) => rp('collect', { orderRef });

/** The QR code an RP would show right now for this order (t from the same clock). */
function currentQr(order: { orderRef: string; qrStartToken: string; qrStartSecret: string }) {
  const createdAt = simulator.control.order(order.orderRef)?.createdAt;
  if (!createdAt) throw new Error('order gone');
  const t = Math.floor((clock.now().getTime() - createdAt.getTime()) / 1000);
  return qrData(order.qrStartToken, order.qrStartSecret, t);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the animated QR code', () => {
  it("matches BankID's official test vector", () => {
    const secret = 'd28db9a7-4cde-429e-a983-359be676944c';
    const expected = 'dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8';
    expect(qrAuthCode(secret, 0)).toBe(expected);
    expect(isValidQrAuthCode(secret, 0, expected)).toBe(true);
    expect(isValidQrAuthCode(secret, 1, expected)).toBe(false);
    expect(isValidQrAuthCode(secret, 0, expected.toUpperCase())).toBe(false);
    const scanned = qrData('67df3917-fa0d-44e5-b327-edcc928297f8', secret, 0);
    expect(scanned).toBe(`bankid.67df3917-fa0d-44e5-b327-edcc928297f8.0.${expected}`);
    expect(parseQrData(scanned)).toEqual({
      qrStartToken: '67df3917-fa0d-44e5-b327-edcc928297f8',
      t: 0,
      qrAuthCode: expected,
    });
    expect(parseQrData(`bankid.67df3917-fa0d-44e5-b327-edcc928297f8.01.${expected}`)).toBeUndefined();
    expect(parseQrData('https://example.com')).toBeUndefined();
  });
});

describe('test identities', () => {
  it('have 12-digit personal numbers with a valid check digit and Swedish names', () => {
    expect(TEST_IDENTITIES.length).toBeGreaterThanOrEqual(5);
    for (const person of TEST_IDENTITIES) expect(isPersonalNumber(person.personalNumber)).toBe(true);
    expect(TEST_IDENTITIES.some((person) => /[åäöÅÄÖ]/.test(person.givenName + person.surname))).toBe(true);
    expect(isPersonalNumber('199007042387')).toBe(false);
    expect(isPersonalNumber('9007042386')).toBe(false);
  });
});

describe('mutual TLS', () => {
  it('refuses a client without the RP certificate during the handshake', async () => {
    await expect(
      rp('auth', { endUserIp: '192.0.2.1' }, { tls: { pfx: undefined, passphrase: undefined } }),
    ).rejects.toThrow(/certificate|socket hang up|ECONNRESET/i);
  });

  it('is not trusted by a client that does not pin the simulator CA', async () => {
    await expect(rp('auth', { endUserIp: '192.0.2.1' }, { tls: { ca: undefined } })).rejects.toThrow(
      /self.signed|unable to (get|verify)/i,
    );
  });

  it('serves a certificate valid for 127.0.0.1 and for localhost', async () => {
    const viaIp = await rp('auth', { endUserIp: '192.0.2.1' });
    expect(viaIp.status).toBe(200);
    const viaName = await rp('auth', { endUserIp: '192.0.2.1' }, { tls: { servername: 'localhost' } });
    expect(viaName.status).toBe(200);
    expect(simulator.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/rp\/v6\.0\/$/);
  });
});

describe('request validation, as BankID does it', () => {
  it('answers 404 notFound for an unknown path and 405 for any method but POST', async () => {
    const unknown = await rp('identify', { endUserIp: '192.0.2.1' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ errorCode: 'notFound', details: expect.any(String) });
    const outside = await rp('/rp/v5.1/auth', { endUserIp: '192.0.2.1' });
    expect(outside.status).toBe(404);
    const get = await rp('auth', undefined, { method: 'GET', contentType: null });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(get.json.errorCode).toBe('methodNotAllowed');
  });

  it('answers 415 unless the Content-Type is exactly application/json', async () => {
    const withCharset = await rp(
      'auth',
      { endUserIp: '192.0.2.1' },
      { contentType: 'application/json; charset=UTF-8' },
    );
    expect(withCharset.status).toBe(415);
    expect(withCharset.json.errorCode).toBe('unsupportedMediaType');
    expect((await rp('auth', { endUserIp: '192.0.2.1' }, { contentType: null })).status).toBe(415);
    expect((await rp('auth', { endUserIp: '192.0.2.1' }, { contentType: 'text/plain' })).status).toBe(415);
  });

  it.each([
    ['malformed JSON', 'auth', undefined, '{"endUserIp":'],
    ['a JSON array', 'auth', [], undefined],
    ['no endUserIp', 'auth', {}, undefined],
    ['an endUserIp that is not an IP address', 'auth', { endUserIp: 'localhost' }, undefined],
    ['an IPv4 address out of range', 'auth', { endUserIp: '256.1.1.1' }, undefined],
    ['a returnUrl that is not https', 'auth', { endUserIp: '192.0.2.1', returnUrl: 'http://portal.test/x' }, undefined],
    ['an unknown parameter', 'auth', { endUserIp: '192.0.2.1', personalNumber: '199007042386' }, undefined],
    ['userVisibleData that is not base64', 'auth', { endUserIp: '192.0.2.1', userVisibleData: 'Hej då!' }, undefined],
    ['/sign without userVisibleData', 'sign', { endUserIp: '192.0.2.1' }, undefined],
    [
      '/sign with base64 of bytes that are not UTF-8',
      'sign',
      { endUserIp: '192.0.2.1', userVisibleData: Buffer.from([0xff, 0xfe, 0xc3]).toString('base64') },
      undefined,
    ],
    ['/collect without orderRef', 'collect', {}, undefined],
    ['/collect with a number', 'collect', { orderRef: 42 }, undefined],
    [
      '/phone/auth with a wrong check digit',
      'phone/auth',
      { personalNumber: '199007042387', callInitiator: 'RP' },
      undefined,
    ],
    ['/phone/auth without callInitiator', 'phone/auth', { personalNumber: '199007042386' }, undefined],
  ])('answers 400 invalidParameters for %s', async (_case, path, body, rawBody) => {
    const answer = await rp(path, body, rawBody === undefined ? {} : { rawBody });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ errorCode: 'invalidParameters', details: expect.any(String) });
    expect(answer.json.details.length).toBeGreaterThan(0);
  });

  it('accepts IPv6 end-user addresses, https returnUrls and UTF-8 userVisibleData', async () => {
    expect((await rp('auth', { endUserIp: '2001:db8::17', returnUrl: 'https://portal.test/login#n=1' })).status).toBe(
      200,
    );
    const sign = await rp('sign', {
      endUserIp: '192.0.2.1',
      userVisibleData: base64('Jag godkänner fakturaunderlag åäö'),
    });
    expect(sign.status).toBe(200);
  });

  it('takes a plain-http returnUrl only on loopback, and only when told to be lenient (the local portal)', () => {
    const machine = new BankIdStateMachine(clock);
    const auth = (returnUrl: string, leniency = {}) =>
      answerRpCall(machine, 'auth', { endUserIp: '192.0.2.1', returnUrl }, leniency).status;
    const lenient = { loopbackHttpReturnUrls: true };

    expect(auth('http://localhost:3000/bankid/retur#login=x')).toBe(400);
    expect(auth('http://localhost:3000/bankid/retur#login=x', lenient)).toBe(200);
    expect(auth('http://127.0.0.1:3000/bankid/retur', lenient)).toBe(200);
    expect(auth('http://portal.test/bankid/retur', lenient)).toBe(400);
    expect(auth('javascript:alert(1)', lenient)).toBe(400);
    expect(auth('https://portal.test/bankid/retur')).toBe(200);
  });

  it('answers 400 invalidParameters "No such order" for an unknown orderRef', async () => {
    const answer = await collect('0b7e2f3c-9d2a-4c1e-8f00-000000000000');
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ errorCode: 'invalidParameters', details: 'No such order' });
  });
});

describe('an order', () => {
  it('walks outstandingTransaction → started → userSign → complete, with completionData', async () => {
    const order = await newAuth({ returnRisk: true });
    expect(order.orderRef).toMatch(UUID);
    expect(order.autoStartToken).toMatch(UUID);
    expect(order.qrStartToken).toMatch(UUID);
    expect(order.qrStartSecret).toMatch(UUID);
    expect((await collect(order.orderRef)).json).toEqual({
      orderRef: order.orderRef,
      status: 'pending',
      hintCode: 'outstandingTransaction',
    });

    clock.advance(2_000);
    simulator.control.scanQr(currentQr(order));
    expect((await collect(order.orderRef)).json).toMatchObject({ status: 'pending', hintCode: 'started' });
    simulator.control.askForSecurityCode(order.orderRef);
    expect((await collect(order.orderRef)).json).toMatchObject({ status: 'pending', hintCode: 'userSign' });

    const person = identity(0);
    simulator.control.approve(order.orderRef, person);
    const complete = await collect(order.orderRef);
    expect(complete.status).toBe(200);
    expect(complete.json).toEqual({
      orderRef: order.orderRef,
      status: 'complete',
      completionData: {
        user: {
          personalNumber: person.personalNumber,
          name: `${person.givenName} ${person.surname}`,
          givenName: person.givenName,
          surname: person.surname,
        },
        device: { ipAddress: '192.0.2.44', uhi: expect.any(String) },
        bankIdIssueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        signature: expect.any(String),
        ocspResponse: expect.any(String),
        risk: 'low',
      },
    });
    const xml = Buffer.from(complete.json.completionData.signature, 'base64').toString('utf8');
    expect(xml).toContain('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">');
    expect(xml).toContain('<funcId>Identification</funcId>');
    expect(Buffer.from(complete.json.completionData.ocspResponse, 'base64').length).toBeGreaterThan(100);
  });

  it('signs with the userVisibleData in the signature, started through autostart', async () => {
    const text = base64('Godkänn underlag 2025-03 för Åkerby Bygg AB');
    const answer = await rp('sign', { endUserIp: '2001:db8::5', userVisibleData: text });
    simulator.control.openAutostart(answer.json.autoStartToken);
    expect(() => simulator.control.openAutostart(answer.json.autoStartToken)).toThrow(/already been started/);
    simulator.control.approve(answer.json.orderRef, identity(1));
    const complete = await collect(answer.json.orderRef);
    expect(complete.json.completionData.device.ipAddress).toBe('2001:db8::5');
    expect(complete.json.completionData).not.toHaveProperty('risk');
    const xml = Buffer.from(complete.json.completionData.signature, 'base64').toString('utf8');
    expect(xml).toContain(`<usrVisibleData charset="UTF-8" visible="wysiwys">${text}</usrVisibleData>`);
    expect(xml).toContain('<funcId>Signing</funcId>');
  });

  it('refuses a QR code with a wrong HMAC or a wrong t, and stays outstanding', async () => {
    const order = await newAuth();
    clock.advance(5_000);
    const wrongSecret = qrData(order.qrStartToken, 'not-the-secret', 5);
    expect(() => simulator.control.scanQr(wrongSecret)).toThrow(BankIdSimulatorError);
    expect(() => simulator.control.scanQr(wrongSecret)).toThrow(/auth code is wrong/);
    const stale = qrData(order.qrStartToken, order.qrStartSecret, 0);
    expect(() => simulator.control.scanQr(stale)).toThrow(/t=0, but the order is 5 s old/);
    const early = qrData(order.qrStartToken, order.qrStartSecret, 8);
    expect(() => simulator.control.scanQr(early)).toThrow(/t=8/);
    expect(() => simulator.control.scanQr(`bankid.${order.qrStartToken}.5.XYZ`)).toThrow(/Not a BankID QR code/);
    expect(() => simulator.control.approve(order.orderRef, identity(0))).toThrow(/has not been started/);
    expect((await collect(order.orderRef)).json.hintCode).toBe('outstandingTransaction');

    // A neighbouring second is within the tolerance, as BankID's app allows for refresh jitter.
    simulator.control.scanQr(qrData(order.qrStartToken, order.qrStartSecret, 4));
    expect((await collect(order.orderRef)).json.hintCode).toBe('started');
  });

  it('fails with expiredTransaction when nobody starts it within the pickup window', async () => {
    const order = await newAuth();
    clock.advance(PICKUP_WINDOW_MS - 2_000);
    expect((await collect(order.orderRef)).json.status).toBe('pending');
    clock.advance(3_000);
    expect((await collect(order.orderRef)).json).toEqual({
      orderRef: order.orderRef,
      status: 'failed',
      hintCode: 'expiredTransaction',
    });
    expect(() => simulator.control.openAutostart(order.autoStartToken)).toThrow(/not pending/);
  });

  it('fails with expiredTransaction when a started order is not completed in time', async () => {
    const order = await newAuth();
    simulator.control.openAutostart(order.autoStartToken);
    clock.advance(USER_WINDOW_MS - 1_000);
    expect((await collect(order.orderRef)).json.hintCode).toBe('started');
    clock.advance(2_000);
    expect((await collect(order.orderRef)).json).toMatchObject({ status: 'failed', hintCode: 'expiredTransaction' });
  });

  it('hands out a complete result once, and only within its window', async () => {
    const once = await newAuth();
    simulator.control.scanQr(currentQr(once));
    simulator.control.approve(once.orderRef, identity(2));
    expect((await collect(once.orderRef)).json.status).toBe('complete');
    const again = await collect(once.orderRef);
    expect(again.status).toBe(400);
    expect(again.json).toEqual({ errorCode: 'invalidParameters', details: 'No such order' });

    const late = await newAuth();
    simulator.control.scanQr(currentQr(late));
    simulator.control.approve(late.orderRef, identity(2));
    clock.advance(COMPLETE_RESULT_MS + 1_000);
    expect((await collect(late.orderRef)).status).toBe(400);
  });

  it('keeps a failed result for its (longer) window', async () => {
    const order = await newAuth();
    simulator.control.openAutostart(order.autoStartToken);
    simulator.control.userCancel(order.orderRef);
    expect((await collect(order.orderRef)).json).toMatchObject({ status: 'failed', hintCode: 'userCancel' });
    clock.advance(FAILED_RESULT_MS - 2_000);
    expect((await collect(order.orderRef)).json.hintCode).toBe('userCancel');
    clock.advance(3_000);
    expect((await collect(order.orderRef)).status).toBe(400);
  });

  it('is gone once the RP cancels it', async () => {
    const order = await newAuth();
    const cancelled = await rp('cancel', { orderRef: order.orderRef });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toEqual({});
    expect((await collect(order.orderRef)).json).toEqual({ errorCode: 'invalidParameters', details: 'No such order' });
    expect((await rp('cancel', { orderRef: order.orderRef })).status).toBe(400);
    expect(() => simulator.control.scanQr(currentQrOrNow(order))).toThrow(/No order has this qrStartToken/);
  });

  it('passes unknown failed and pending hint codes through', async () => {
    const order = await newAuth();
    simulator.control.setPendingHint(order.orderRef, 'someFuturePendingHint');
    expect((await collect(order.orderRef)).json).toMatchObject({
      status: 'pending',
      hintCode: 'someFuturePendingHint',
    });
    simulator.control.failWith(order.orderRef, 'someFutureCode');
    expect((await collect(order.orderRef)).json).toEqual({
      orderRef: order.orderRef,
      status: 'failed',
      hintCode: 'someFutureCode',
    });
    expect(() => simulator.control.failWith(order.orderRef, 'certificateErr')).toThrow(/not pending/);
    const other = await newAuth();
    simulator.control.failWith(other.orderRef, 'startFailed');
    expect((await collect(other.orderRef)).json.hintCode).toBe('startFailed');
  });

  it('cancels the older order of a person who starts a new one', async () => {
    const person = identity(3);
    const first = await newAuth();
    simulator.control.scanQr(currentQr(first), person);
    const second = await newAuth();
    simulator.control.scanQr(currentQr(second), person);
    expect((await collect(first.orderRef)).json).toMatchObject({ status: 'failed', hintCode: 'cancelled' });
    simulator.control.approve(second.orderRef);
    expect((await collect(second.orderRef)).json.completionData.user.personalNumber).toBe(person.personalNumber);
  });
});

/** The QR for an order that may already be gone (then computed from t=0). */
function currentQrOrNow(order: { orderRef: string; qrStartToken: string; qrStartSecret: string }) {
  return simulator.control.order(order.orderRef)
    ? currentQr(order)
    : qrData(order.qrStartToken, order.qrStartSecret, 0);
}

describe('phone orders', () => {
  it('answer 400 alreadyInProgress while the person has an order in progress, and abort that order', async () => {
    const person = identity(4);
    const first = await rp('phone/auth', { personalNumber: person.personalNumber, callInitiator: 'RP' });
    expect(first.status).toBe(200);
    expect(Object.keys(first.json)).toEqual(['orderRef']);
    expect((await collect(first.json.orderRef)).json.hintCode).toBe('outstandingTransaction');

    const second = await rp('phone/auth', { personalNumber: person.personalNumber, callInitiator: 'user' });
    expect(second.status).toBe(400);
    expect(second.json).toEqual({ errorCode: 'alreadyInProgress', details: expect.any(String) });
    expect((await collect(first.json.orderRef)).json).toMatchObject({ status: 'failed', hintCode: 'cancelled' });

    const third = await rp('phone/auth', { personalNumber: person.personalNumber, callInitiator: 'user' });
    expect(third.status).toBe(200);
    simulator.control.start(third.json.orderRef);
    expect(() => simulator.control.approve(third.json.orderRef, identity(0))).toThrow(/another person/);
    simulator.control.approve(third.json.orderRef, person);
    const complete = await collect(third.json.orderRef);
    expect(complete.json.completionData.user.personalNumber).toBe(person.personalNumber);
  });

  it('require userVisibleData for /phone/sign', async () => {
    const person = identity(5);
    const missing = await rp('phone/sign', { personalNumber: person.personalNumber, callInitiator: 'RP' });
    expect(missing.json).toEqual({ errorCode: 'invalidParameters', details: 'Missing userVisibleData' });
    const sign = await rp('phone/sign', {
      personalNumber: person.personalNumber,
      callInitiator: 'RP',
      userVisibleData: base64('Underskrift'),
    });
    expect(sign.status).toBe(200);
    await rp('cancel', { orderRef: sign.json.orderRef });
  });
});

describe('fault injection', () => {
  it('answers 503 maintenance once, then normally', async () => {
    simulator.control.injectFault({ path: 'auth', status: 503 });
    const fault = await rp('auth', { endUserIp: '192.0.2.1' });
    expect(fault.status).toBe(503);
    expect(fault.json).toEqual({ errorCode: 'maintenance', details: expect.any(String) });
    expect((await rp('auth', { endUserIp: '192.0.2.1' })).status).toBe(200);
  });

  it('knows the default error code of each status, takes unknown codes, and hits only its path', async () => {
    simulator.control.injectFault({ path: 'collect', status: 500 });
    simulator.control.injectFault({ path: 'collect', status: 408 });
    simulator.control.injectFault({ path: 'collect', status: 429 });
    simulator.control.injectFault({ path: 'collect', status: 500, errorCode: 'someFutureError', details: 'Nytt fel' });
    const order = await newAuth();
    expect((await collect(order.orderRef)).json.errorCode).toBe('internalError');
    expect((await collect(order.orderRef)).json.errorCode).toBe('requestTimeout');
    expect((await collect(order.orderRef)).json.errorCode).toBe('tooManyRequests');
    const unknown = await collect(order.orderRef);
    expect(unknown.status).toBe(500);
    expect(unknown.json).toEqual({ errorCode: 'someFutureError', details: 'Nytt fel' });
    expect((await collect(order.orderRef)).json.status).toBe('pending');
  });

  it('can answer a body that is not JSON, for a number of requests', async () => {
    simulator.control.injectFault({ status: 502, rawBody: '<html>Bad Gateway</html>', times: 2 });
    const first = await rp('auth', { endUserIp: '192.0.2.1' });
    expect(first.status).toBe(502);
    expect(first.text).toBe('<html>Bad Gateway</html>');
    expect((await rp('cancel', { orderRef: 'x' })).status).toBe(502);
    expect((await rp('cancel', { orderRef: 'x' })).status).toBe(400);
  });

  it('delays an answer by the injected latency', async () => {
    const order = await newAuth();
    simulator.control.injectFault({ path: 'collect', latencyMs: 300 });
    const started = performance.now();
    const slow = await collect(order.orderRef);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(slow.json.status).toBe('pending');
  });

  it('refuses a fault it cannot play', () => {
    expect(() => simulator.control.injectFault({ status: 200 })).toThrow(RangeError);
    expect(() => simulator.control.injectFault({})).toThrow(RangeError);
    expect(() => simulator.control.injectFault({ status: 503, times: 0 })).toThrow(RangeError);
  });
});

describe('the control API for the dev page', () => {
  const control = (path: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}) =>
    send(
      httpRequest,
      new URL(path, simulator.controlUrl),
      method,
      body === undefined ? '' : JSON.stringify(body),
      method === 'POST' ? 'application/json' : null,
      {},
      headers,
    );

  it('lists pending orders without tokens, secrets or personal numbers', async () => {
    const order = await rp('sign', { endUserIp: '192.0.2.9', userVisibleData: base64('Fakturaunderlag för Örebro') });
    const answer = await control('orders');
    expect(answer.status).toBe(200);
    const listed = answer.json.find((entry: { orderRef: string }) => entry.orderRef === order.json.orderRef);
    expect(listed).toMatchObject({
      kind: 'sign',
      status: 'pending',
      hintCode: 'outstandingTransaction',
      userVisibleText: 'Fakturaunderlag för Örebro',
    });
    expect(answer.text).not.toContain(order.json.qrStartSecret);
    expect(answer.text).not.toContain(order.json.qrStartToken);
    expect(answer.text).not.toContain(order.json.autoStartToken);
    expect((await control('identities')).json).toEqual(TEST_IDENTITIES);
  });

  it('approves an order as a test identity, and cancels one as the user', async () => {
    const person = identity(1);
    const order = await newAuth();
    const approved = await control(`orders/${order.orderRef}/approve`, 'POST', {
      personalNumber: person.personalNumber,
    });
    expect(approved.status).toBe(200);
    expect(approved.json.status).toBe('complete');
    expect((await collect(order.orderRef)).json.completionData.user.givenName).toBe(person.givenName);

    const other = await newAuth();
    const unknownPerson = await control(`orders/${other.orderRef}/approve`, 'POST', { personalNumber: '190001019800' });
    expect(unknownPerson.status).toBe(400);
    expect((await control(`orders/${other.orderRef}/cancel`, 'POST', {})).status).toBe(200);
    expect((await collect(other.orderRef)).json.hintCode).toBe('userCancel');
    expect((await control(`orders/${other.orderRef}/cancel`, 'POST', {})).status).toBe(409);
    expect((await control('orders/nope/cancel', 'POST', {})).status).toBe(404);
  });

  it('serves only loopback host names', async () => {
    const rebound = await control('orders', 'GET', undefined, { Host: 'evil.example:80' });
    expect(rebound.status).toBe(421);
  });
});
