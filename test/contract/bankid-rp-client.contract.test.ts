import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { animatedQrData } from '../../functions/adapters/bankid/animated-qr';
import {
  type BankIdRpClient,
  BankIdTransportError,
  bankIdRpClient,
} from '../../functions/adapters/bankid/bankid-rp-client';
import {
  type BankIdClient,
  type BankIdCollectResult,
  BankIdError,
  type BankIdOrder,
} from '../../functions/domain/bankid';
import { userMessageFor, userMessageForError } from '../../functions/domain/bankid-messages';
import { checkPersonalNumber } from '../../functions/domain/personal-number';
import {
  type BankIdSimulator,
  startBankIdSimulator,
} from '../../functions/local/bankid-simulator/start-bankid-simulator';
import { TEST_IDENTITIES } from '../../functions/local/bankid-simulator/test-identities';
import { TestClock } from '../support/test-clock';

const END_USER_IP = '203.0.113.7';
const IDENTITY = TEST_IDENTITIES[0] ?? { personalNumber: '199007042386', givenName: 'Anna', surname: 'Lindqvist' };
/** Short, so that a delayed answer (injected latency) is a quick test. */
const TIMEOUT_MS = 400;

/** The RFA message a page would show for this collect result. */
function messageFor(result: BankIdCollectResult, startedBy: 'qr' | 'autostart'): string {
  if (result.status === 'complete') throw new Error('A complete order has no user message');
  return userMessageFor({ status: result.status, hintCode: result.hintCode, startedBy }).id;
}

/**
 * The BankID RP client adapter against the local BankID simulator, over real HTTPS with mutual TLS: the same
 * contract the adapter must keep with appapi2.bankid.com.
 */
describe('BankID RP client (against the BankID simulator, mTLS)', () => {
  const clock = new TestClock();
  let simulator: BankIdSimulator;
  let client: BankIdRpClient;
  const clients: BankIdRpClient[] = [];

  const clientFor = (target: BankIdSimulator, overrides: { caCertificatePem?: string; timeoutMs?: number } = {}) => {
    const created = bankIdRpClient({
      baseUrl: target.baseUrl,
      caCertificatePem: overrides.caCertificatePem ?? target.caCertificatePem,
      pkcs12: target.rpCertificate.pkcs12,
      passphrase: target.rpCertificate.passphrase,
      timeoutMs: overrides.timeoutMs ?? TIMEOUT_MS,
    });
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    simulator = await startBankIdSimulator({ clock });
    client = clientFor(simulator);
  });

  afterAll(async () => {
    for (const created of clients) created.close();
    await simulator?.stop();
  });

  /** Starts an order and remembers when its /auth answer arrived: the QR code's `t` counts from there. */
  async function authOrder(bankId: BankIdClient = client): Promise<BankIdOrder & { readonly answeredAt: number }> {
    const order = await bankId.auth({ endUserIp: END_USER_IP });
    return { ...order, answeredAt: clock.now().getTime() };
  }

  const secondsSince = (answeredAt: number) => (clock.now().getTime() - answeredAt) / 1000;

  async function expectBankIdError(call: Promise<unknown>, status: number, errorCode: string): Promise<BankIdError> {
    const error = await call.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BankIdError);
    expect(error).toMatchObject({ status, errorCode });
    return error as BankIdError;
  }

  describe('a login with the animated QR code', () => {
    it('walks pending → started → userSign → complete, with the QR code computed by animatedQrData', async () => {
      const order = await authOrder();
      expect(order).toEqual({
        orderRef: expect.any(String),
        autoStartToken: expect.any(String),
        qrStartToken: expect.any(String),
        qrStartSecret: expect.any(String),
        answeredAt: expect.any(Number),
      });

      const waiting = await client.collect(order.orderRef);
      expect(waiting).toEqual({ orderRef: order.orderRef, status: 'pending', hintCode: 'outstandingTransaction' });
      expect(messageFor(waiting, 'qr')).toBe('RFA1');

      clock.advance(3_000);
      simulator.control.scanQr(
        animatedQrData(order.qrStartToken, order.qrStartSecret, secondsSince(order.answeredAt)),
        IDENTITY,
      );
      const started = await client.collect(order.orderRef);
      expect(started).toMatchObject({ status: 'pending', hintCode: 'started' });

      simulator.control.askForSecurityCode(order.orderRef);
      const signing = await client.collect(order.orderRef);
      expect(signing).toMatchObject({ status: 'pending', hintCode: 'userSign' });
      expect(messageFor(signing, 'qr')).toBe('RFA9');

      simulator.control.approve(order.orderRef);
      const complete = await client.collect(order.orderRef);

      expect(complete).toEqual({
        orderRef: order.orderRef,
        status: 'complete',
        completionData: {
          user: {
            personalNumber: IDENTITY.personalNumber,
            name: `${IDENTITY.givenName} ${IDENTITY.surname}`,
            givenName: IDENTITY.givenName,
            surname: IDENTITY.surname,
          },
          device: { ipAddress: END_USER_IP, uhi: expect.any(String) },
          bankIdIssueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/u),
          signature: expect.any(String),
          ocspResponse: expect.any(String),
        },
      });
      if (complete.status === 'complete') {
        expect(checkPersonalNumber(complete.completionData.user.personalNumber, clock.now())).toMatchObject({
          valid: true,
          normalised: IDENTITY.personalNumber,
        });
      }
    });

    it('is refused by the app when the QR code is not keyed with the order’s qrStartSecret', async () => {
      const order = await authOrder();

      expect(() =>
        simulator.control.scanQr(animatedQrData(order.qrStartToken, randomUUID(), secondsSince(order.answeredAt))),
      ).toThrow(/auth code/u);
      await expect(client.collect(order.orderRef)).resolves.toMatchObject({ hintCode: 'outstandingTransaction' });
    });
  });

  it('completes a login started on the same device by autostart', async () => {
    const order = await authOrder();
    expect(messageFor(await client.collect(order.orderRef), 'autostart')).toBe('RFA13');

    simulator.control.openAutostart(order.autoStartToken, IDENTITY);
    simulator.control.approve(order.orderRef);

    await expect(client.collect(order.orderRef)).resolves.toMatchObject({
      status: 'complete',
      completionData: { user: { personalNumber: IDENTITY.personalNumber } },
    });
  });

  it('sends userVisibleData as base64 of its UTF-8 bytes, for /auth and /sign', async () => {
    const text = 'Logga in på Företagsportal – Demo Företagshälsa AB';
    const authOrderRef = (await client.auth({ endUserIp: END_USER_IP, userVisibleData: text })).orderRef;
    const signOrderRef = (await client.sign({ endUserIp: END_USER_IP, userVisibleData: `Jag godkänner: ${text}` }))
      .orderRef;

    const base64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
    expect(simulator.control.order(authOrderRef)).toMatchObject({ kind: 'auth', userVisibleData: base64(text) });
    expect(simulator.control.order(signOrderRef)).toMatchObject({
      kind: 'sign',
      userVisibleData: base64(`Jag godkänner: ${text}`),
    });
  });

  it('passes hint codes it does not know through, pending and failed', async () => {
    const pending = await authOrder();
    simulator.control.setPendingHint(pending.orderRef, 'someFuturePendingHint');
    const failed = await authOrder();
    simulator.control.failWith(failed.orderRef, 'someFutureFailure');

    const stillPending = await client.collect(pending.orderRef);
    const hasFailed = await client.collect(failed.orderRef);

    expect(stillPending).toEqual({ orderRef: pending.orderRef, status: 'pending', hintCode: 'someFuturePendingHint' });
    expect(hasFailed).toEqual({ orderRef: failed.orderRef, status: 'failed', hintCode: 'someFutureFailure' });
    expect(messageFor(stillPending, 'qr')).toBe('RFA21');
    expect(messageFor(hasFailed, 'qr')).toBe('RFA22');
  });

  it('reports the user’s cancel in the app as failed/userCancel', async () => {
    const order = await authOrder();
    simulator.control.userCancel(order.orderRef);

    await expect(client.collect(order.orderRef)).resolves.toEqual({
      orderRef: order.orderRef,
      status: 'failed',
      hintCode: 'userCancel',
    });
  });

  it('cancels an order: BankID forgets it, so collecting it afterwards is invalidParameters', async () => {
    const order = await authOrder();

    await expect(client.cancel(order.orderRef)).resolves.toBeUndefined();

    expect(simulator.control.order(order.orderRef)).toBeUndefined();
    await expectBankIdError(client.collect(order.orderRef), 400, 'invalidParameters');
  });

  describe('error answers become BankIdError with the status and errorCode', () => {
    it('400 invalidParameters for an order BankID does not know', async () => {
      const error = await expectBankIdError(client.collect(randomUUID()), 400, 'invalidParameters');
      expect(error.details).not.toBe('');
    });

    it.each([
      [503, 'maintenance', 'RFA5'],
      [500, 'internalError', 'RFA5'],
      [429, 'tooManyRequests', 'RFA5'],
    ])('%i %s', async (status, errorCode, message) => {
      simulator.control.injectFault({ path: 'auth', status });

      await expectBankIdError(client.auth({ endUserIp: END_USER_IP }), status, errorCode);
      expect(userMessageForError(errorCode).id).toBe(message);
    });

    it('an errorCode BankID may add later, passed through', async () => {
      simulator.control.injectFault({ path: 'collect', status: 400, errorCode: 'somethingNew', details: 'New rule' });

      const error = await expectBankIdError(client.collect(randomUUID()), 400, 'somethingNew');
      expect(error.details).toBe('New rule');
      expect(userMessageForError(error.errorCode).id).toBe('RFA22');
    });

    it('an error body that is not BankID’s {errorCode, details}, such as a proxy’s page, as errorCode unknown', async () => {
      simulator.control.injectFault({ path: 'collect', status: 502, rawBody: '<html><h1>Bad Gateway</h1></html>' });

      await expectBankIdError(client.collect(randomUUID()), 502, 'unknown');
    });

    it('408 requestTimeout when no answer arrives within the timeout, and the client keeps working', async () => {
      simulator.control.injectFault({ path: 'collect', latencyMs: TIMEOUT_MS * 4 });
      const startedAt = Date.now();

      await expectBankIdError(client.collect(randomUUID()), 408, 'requestTimeout');

      expect(Date.now() - startedAt).toBeLessThan(TIMEOUT_MS * 3);
      const order = await authOrder();
      await expect(client.collect(order.orderRef)).resolves.toMatchObject({ status: 'pending' });
    });
  });

  describe('mutual TLS', () => {
    let other: BankIdSimulator;

    beforeAll(async () => {
      other = await startBankIdSimulator({ clock });
    });

    afterAll(async () => {
      await other?.stop();
    });

    it('refuses a server whose certificate is not issued by the configured CA, before sending the request', async () => {
      const distrustful = clientFor(simulator, { caCertificatePem: other.caCertificatePem });
      const ordersBefore = simulator.control.orders().length;

      const error = await distrustful.auth({ endUserIp: END_USER_IP }).then(
        () => undefined,
        (caught: unknown) => caught,
      );

      expect(error).toBeInstanceOf(BankIdTransportError);
      expect(error).not.toBeInstanceOf(BankIdError);
      expect((error as Error).cause).toMatchObject({
        code: expect.stringMatching(/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/u),
      });
      expect(simulator.control.orders()).toHaveLength(ordersBefore);
    });

    it('is refused by a server that did not issue its RP certificate', async () => {
      const stranger = bankIdRpClient({
        baseUrl: simulator.baseUrl,
        caCertificatePem: simulator.caCertificatePem,
        pkcs12: other.rpCertificate.pkcs12,
        passphrase: other.rpCertificate.passphrase,
        timeoutMs: TIMEOUT_MS * 5,
      });
      clients.push(stranger);
      const ordersBefore = simulator.control.orders().length;

      await expect(stranger.auth({ endUserIp: END_USER_IP })).rejects.toBeInstanceOf(BankIdTransportError);
      expect(simulator.control.orders()).toHaveLength(ordersBefore);
    });
  });
});
