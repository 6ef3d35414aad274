import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { animatedQrData } from '../../../functions/adapters/bankid/animated-qr';
import {
  BANKID_BASE_URLS,
  BankIdConfigurationError,
  bankIdBaseUrl,
  bankIdClientOptionsFromSecret,
} from '../../../functions/adapters/bankid/bankid-environments';
import type { BankIdRpClient } from '../../../functions/adapters/bankid/bankid-rp-client';
import { capturingLogger } from '../../../functions/adapters/system/json-logger';
import { keptOnSuccess } from '../../../functions/adapters/system/kept-on-success';
import type { BankIdClient } from '../../../functions/domain/bankid';
import { UnavailableError } from '../../../functions/domain/errors';
import { errorHandler } from '../../../functions/http/error-handler';
import {
  type BankIdSimulator,
  startBankIdSimulator,
} from '../../../functions/local/bankid-simulator/start-bankid-simulator';
import { TEST_IDENTITIES } from '../../../functions/local/bankid-simulator/test-identities';
import { awsDeps } from '../../../functions/runtime/aws';
import type { AwsEnvironment } from '../../../functions/runtime/aws-environment';

/**
 * The BankID wiring of functions/runtime/aws.ts (awsDeps) against the local BankID simulator over mutual TLS, with
 * a stand-in for Secrets Manager: a plain HTTP server answering `secretsmanager.GetSecretValue` (there is no offline
 * emulator), reached through AWS_ENDPOINT_URL_SECRETS_MANAGER as in test/http/lambda-handler.test.ts.
 */
const BANKID_ARN = 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:bankid';
const PEPPER_ARN = 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:pepper';
const SESSION_ARN = 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:session';
const END_USER_IP = '203.0.113.7';
const IDENTITY = TEST_IDENTITIES[0] ?? { personalNumber: '199007042386', givenName: 'Anna', surname: 'Lindqvist' };

/** What the stand-in holds (SecretId → SecretString), what it was asked, and the refusals it is told to give. */
const secretStrings = new Map<string, string>();
const requests: Array<{ target: string | undefined; secretId: string }> = [];
const refusals = new Map<string, number>();
let secretsManager: Server;
let simulator: BankIdSimulator;
const clients: BankIdClient[] = [];
const savedEnv: Record<string, string | undefined> = {};

const fetchesOf = (secretId: string) => requests.filter((request) => request.secretId === secretId).length;

beforeAll(async () => {
  simulator = await startBankIdSimulator();
  secretsManager = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const secretId = (JSON.parse(body) as { SecretId: string }).SecretId;
      requests.push({ target: request.headers['x-amz-target'] as string | undefined, secretId });
      response.setHeader('Content-Type', 'application/x-amz-json-1.1');
      const refusalsLeft = refusals.get(secretId) ?? 0;
      const secretString = secretStrings.get(secretId);
      // A little later, so that calls made together really overlap the fetch.
      setTimeout(() => {
        if (refusalsLeft > 0 || secretString === undefined) {
          refusals.set(secretId, refusalsLeft - 1);
          // 400 AccessDenied: not retried by the SDK, so the caller sees one failed fetch.
          response.statusCode = 400;
          response.setHeader('x-amzn-errortype', 'AccessDeniedException');
          response.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'Not now.' }));
          return;
        }
        response.end(JSON.stringify({ ARN: secretId, Name: secretId, SecretString: secretString }));
      }, 20);
    });
  });
  await new Promise<void>((resolve) => secretsManager.listen(0, '127.0.0.1', resolve));
  const standIn = {
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(secretsManager.address() as AddressInfo).port}`,
  };
  for (const [name, value] of Object.entries(standIn)) {
    savedEnv[name] = process.env[name];
    process.env[name] = value;
  }
});

afterAll(async () => {
  for (const client of clients) (client as Partial<BankIdRpClient>).close?.();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await new Promise((resolve) => secretsManager?.close(resolve));
  await simulator?.stop();
});

afterEach(() => {
  secretStrings.clear();
  requests.length = 0;
  refusals.clear();
  vi.restoreAllMocks();
  captured = capturingLogger();
});

/** The BankID secret as the operator stores it, here with the simulator's credentials. */
function bankIdSecret(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    pkcs12Base64: Buffer.from(simulator.rpCertificate.pkcs12).toString('base64'),
    passphrase: simulator.rpCertificate.passphrase,
    caCertificatePem: simulator.caCertificatePem,
    ...overrides,
  });
}

/** The API function's environment as the API stack sets it, pointed at the simulator. */
function lambdaEnv(overrides: Partial<AwsEnvironment> = {}): AwsEnvironment {
  return {
    AWS_REGION: 'eu-north-1',
    TABLE_NAME: 'table',
    DOCUMENTS_BUCKET: 'bucket',
    AUDIT_ANCHOR_BUCKET: 'anchors',
    SILO_CLINICS: '[]',
    SESSION_SECRET_ARN: SESSION_ARN,
    ADMIN_SECRETS_KEY_ARN: 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:admin-secrets-key',
    BANKID_SECRET_ARN: BANKID_ARN,
    PERSONAL_NUMBER_PEPPER_ARN: PEPPER_ARN,
    BANKID_ENVIRONMENT: 'test',
    BANKID_BASE_URL: simulator.baseUrl,
    MAIL_FROM_ADDRESS: 'no-reply@portal.example.se',
    ORIGIN_SECRET_ARN: 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:origin',
    TENANT_DATA_ROLE_ARN: 'arn:aws:iam::000000000000:role/tenant-data',
    ...overrides,
  };
}

/** Every test's log lines; a BankID problem must be logged for the operator, without any value from the secret. */
let captured = capturingLogger();

function bankIdOf(env: AwsEnvironment = lambdaEnv()) {
  const bankId = awsDeps(env, captured.log).bankId;
  if (!bankId) throw new Error('awsDeps set no bankId');
  clients.push(bankId.client);
  return bankId;
}

const rejectionOf = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

describe('awsDeps: BankID in AWS', () => {
  it('has no BankID without BANKID_SECRET_ARN (the routes answer 503 bankid_unavailable)', () => {
    expect(awsDeps(lambdaEnv({ BANKID_SECRET_ARN: undefined })).bankId).toBeUndefined();
  });

  it('fetches nothing when built, and uses the animated QR of BankID', () => {
    // Arrange
    secretStrings.set(BANKID_ARN, bankIdSecret());

    // Act
    const bankId = bankIdOf();

    // Assert
    expect(requests).toEqual([]);
    expect(bankId.animatedQr).toBe(animatedQrData);
  });

  it('starts orders at the simulator over mTLS, with the secret fetched once for two concurrent first calls', async () => {
    // Arrange
    secretStrings.set(BANKID_ARN, bankIdSecret());
    const bankId = bankIdOf();

    // Act
    const orders = await Promise.all([
      bankId.client.auth({ endUserIp: END_USER_IP }),
      bankId.client.auth({ endUserIp: END_USER_IP }),
    ]);
    const third = await bankId.client.auth({ endUserIp: END_USER_IP });

    // Assert
    expect(requests).toEqual([{ target: 'secretsmanager.GetSecretValue', secretId: BANKID_ARN }]);
    for (const order of [...orders, third]) {
      expect(simulator.control.order(order.orderRef)).toMatchObject({
        orderRef: order.orderRef,
        endUserIp: END_USER_IP,
      });
    }
    expect(new Set([...orders, third].map((order) => order.orderRef)).size).toBe(3);
  });

  it('completes a login and keys the personal number with the pepper, fetched once on first use', async () => {
    // Arrange
    const pepper = randomBytes(48).toString('base64url');
    secretStrings.set(BANKID_ARN, bankIdSecret());
    secretStrings.set(PEPPER_ARN, pepper);
    const bankId = bankIdOf();
    const order = await bankId.client.auth({ endUserIp: END_USER_IP });
    simulator.control.openAutostart(order.autoStartToken, IDENTITY);
    simulator.control.approve(order.orderRef);
    expect(fetchesOf(PEPPER_ARN)).toBe(0);

    // Act
    const result = await bankId.client.collect(order.orderRef);
    if (result.status !== 'complete') throw new Error(`expected a complete order, got ${result.status}`);
    const keys = await Promise.all([
      bankId.personalNumberKeys.keyOf(result.completionData.user.personalNumber),
      bankId.personalNumberKeys.keyOf(IDENTITY.personalNumber),
    ]);

    // Assert: HMAC-SHA-256 keyed with the SecretString's UTF-8 bytes
    const expected = createHmac('sha256', Buffer.from(pepper, 'utf8')).update(IDENTITY.personalNumber).digest('hex');
    expect(keys).toEqual([expected, expected]);
    expect(fetchesOf(PEPPER_ARN)).toBe(1);
    expect(fetchesOf(BANKID_ARN)).toBe(1);
  });

  it('answers 503 bankid_unavailable naming what the secret lacks, and works once the secret is complete', async () => {
    // Arrange: the operator forgot BankID's root CA
    secretStrings.set(BANKID_ARN, bankIdSecret({ caCertificatePem: undefined }));
    const bankId = bankIdOf();

    // Act
    const error = await rejectionOf(bankId.client.auth({ endUserIp: END_USER_IP }));
    const response = await new Hono()
      .onError(errorHandler(captured.log))
      .post('/auth/bankid', async (c) => c.json(await bankId.client.auth({ endUserIp: END_USER_IP })))
      .request('/auth/bankid', { method: 'POST' });

    // Assert: the clear configuration error is the cause, logged without any value from the secret
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ code: 'bankid_unavailable' });
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(BankIdConfigurationError);
    expect((cause as Error).message).toMatch(
      /lacks caCertificatePem \(BankID's root CA "Test BankID SSL Root CA v1 Test"/,
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: 'bankid_unavailable' } });
    const logged = captured.lines.join('\n');
    expect(captured.entries()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'BankID is not configured',
        errorName: 'BankIdConfigurationError',
      }),
    );
    expect(logged).toMatch(/BankID is not configured.*caCertificatePem/);
    expect(logged).not.toContain(simulator.rpCertificate.passphrase);
    expect(fetchesOf(BANKID_ARN)).toBe(2);

    // Act: the operator puts the complete secret in
    secretStrings.set(BANKID_ARN, bankIdSecret());
    const order = await bankId.client.auth({ endUserIp: END_USER_IP });

    // Assert
    expect(simulator.control.order(order.orderRef)).toBeDefined();
    expect(fetchesOf(BANKID_ARN)).toBe(3);
  });

  it('answers 503 on the placeholder the stack creates the secret with', async () => {
    // Arrange: lib/stacks/data-stack.ts, BANKID_SECRET_PLACEHOLDER
    secretStrings.set(BANKID_ARN, '{"pkcs12Base64":"","passphrase":"","caCertificatePem":""}');

    // Act
    const error = await rejectionOf(bankIdOf().client.auth({ endUserIp: END_USER_IP }));

    // Assert
    expect(error).toMatchObject({ code: 'bankid_unavailable' });
    expect(((error as Error).cause as Error).message).toMatch(/lacks pkcs12Base64 .*; caCertificatePem/);
  });

  it('answers 503 when the RP certificate cannot be opened with the passphrase', async () => {
    // Arrange
    secretStrings.set(BANKID_ARN, bankIdSecret({ passphrase: 'not the passphrase' }));

    // Act
    const error = await rejectionOf(bankIdOf().client.auth({ endUserIp: END_USER_IP }));

    // Assert
    expect(error).toMatchObject({ code: 'bankid_unavailable' });
    expect((error as Error).cause).toBeInstanceOf(BankIdConfigurationError);
    expect(((error as Error).cause as Error).message).toMatch(/cannot be used/);
  });

  it('does not keep a failed fetch: the next call fetches again', async () => {
    // Arrange: Secrets Manager refuses the first fetch of each secret
    secretStrings.set(BANKID_ARN, bankIdSecret());
    secretStrings.set(PEPPER_ARN, randomBytes(48).toString('base64url'));
    refusals.set(BANKID_ARN, 1);
    refusals.set(PEPPER_ARN, 1);
    const bankId = bankIdOf();

    // Act
    const failedOrder = await rejectionOf(bankId.client.auth({ endUserIp: END_USER_IP }));
    const failedKey = await rejectionOf(bankId.personalNumberKeys.keyOf(IDENTITY.personalNumber));
    const order = await bankId.client.auth({ endUserIp: END_USER_IP });
    const key = await bankId.personalNumberKeys.keyOf(IDENTITY.personalNumber);

    // Assert: a Secrets Manager failure is passed on as it is (a 500 for the route), not as "not configured"
    expect(failedOrder).not.toBeInstanceOf(UnavailableError);
    expect(failedOrder).toMatchObject({ name: 'AccessDeniedException' });
    expect(failedKey).toMatchObject({ name: 'AccessDeniedException' });
    expect(simulator.control.order(order.orderRef)).toBeDefined();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(fetchesOf(BANKID_ARN)).toBe(2);
    expect(fetchesOf(PEPPER_ARN)).toBe(2);
  });

  it('refuses a pepper under 32 bytes, and takes a proper one put in later', async () => {
    // Arrange
    secretStrings.set(PEPPER_ARN, 'too short');
    const bankId = bankIdOf();

    // Act / Assert
    await expect(bankId.personalNumberKeys.keyOf(IDENTITY.personalNumber)).rejects.toThrow(/at least 32 bytes/);
    secretStrings.set(PEPPER_ARN, randomBytes(48).toString('base64url'));
    await expect(bankId.personalNumberKeys.keyOf(IDENTITY.personalNumber)).resolves.toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses wrong wiring at cold start, before fetching anything', () => {
    expect(() => awsDeps(lambdaEnv({ PERSONAL_NUMBER_PEPPER_ARN: undefined }))).toThrow(/PERSONAL_NUMBER_PEPPER_ARN/);
    expect(() => awsDeps(lambdaEnv({ BANKID_ENVIRONMENT: undefined }))).toThrow(/BANKID_ENVIRONMENT/);
    expect(() => awsDeps(lambdaEnv({ BANKID_ENVIRONMENT: 'staging' }))).toThrow(BankIdConfigurationError);
    expect(() => awsDeps(lambdaEnv({ BANKID_BASE_URL: 'http://127.0.0.1:1/rp/v6.0/' }))).toThrow(/must be https/);
    expect(requests).toEqual([]);
  });
});

describe('the BankID base URL', () => {
  it("is the environment's unless overridden, and an override must be https", () => {
    expect(bankIdBaseUrl('test')).toBe('https://appapi2.test.bankid.com/rp/v6.0/');
    expect(bankIdBaseUrl('production', '')).toBe(BANKID_BASE_URLS.production);
    expect(bankIdBaseUrl('test', 'https://bankid.staging.example/rp/v6.0/')).toBe(
      'https://bankid.staging.example/rp/v6.0/',
    );
    expect(() => bankIdBaseUrl('test', 'not a url')).toThrow(BankIdConfigurationError);
    expect(() => bankIdBaseUrl('production', 'http://appapi2.bankid.com/rp/v6.0/')).toThrow(/must be https/);
  });
});

describe('reading the BankID secret', () => {
  const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
  const read = (secretString: string | undefined, environment: 'test' | 'production' = 'production') =>
    bankIdClientOptionsFromSecret(secretString, { environment });

  it("gives the RP client's options for the environment", () => {
    // Act
    const options = read(JSON.stringify({ pkcs12Base64: 'AQID\nBA==', passphrase: '', caCertificatePem: ca }));

    // Assert
    expect(options).toEqual({
      baseUrl: BANKID_BASE_URLS.production,
      caCertificatePem: ca,
      pkcs12: Buffer.from([1, 2, 3, 4]),
      passphrase: '',
    });
  });

  it.each([
    ['an empty secret', '', /is empty/],
    ['text that is not JSON', 'pkcs12=hunter2-value', /is not JSON/],
    ['a JSON array', '[]', /must hold a JSON object with pkcs12Base64, passphrase, caCertificatePem/],
    [
      'a number as passphrase',
      JSON.stringify({ pkcs12Base64: 'AQID', passphrase: 1234, caCertificatePem: ca }),
      /passphrase must be a string/,
    ],
    ['no passphrase', JSON.stringify({ pkcs12Base64: 'AQID', caCertificatePem: ca }), /lacks passphrase/],
    [
      'a .p12 that is not base64',
      JSON.stringify({ pkcs12Base64: 'not base64!', passphrase: 'x', caCertificatePem: ca }),
      /pkcs12Base64 is not base64/,
    ],
    [
      'a CA that is not PEM',
      JSON.stringify({ pkcs12Base64: 'AQID', passphrase: 'x', caCertificatePem: 'MIIB' }),
      /not a PEM certificate/,
    ],
    [
      'the production CA missing',
      JSON.stringify({ pkcs12Base64: 'AQID', passphrase: 'x' }),
      /lacks caCertificatePem \(BankID's root CA "BankID SSL Root CA v1", PEM\)/,
    ],
  ])('refuses %s with a BankIdConfigurationError that quotes nothing from it', (_, secretString, message) => {
    // Act
    let error: unknown;
    try {
      read(secretString);
    } catch (caught) {
      error = caught;
    }

    // Assert
    expect(error).toBeInstanceOf(BankIdConfigurationError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/hunter2|not base64!/);
  });
});

describe('keptOnSuccess', () => {
  it('shares one run among concurrent callers, keeps a success and forgets a failure', async () => {
    // Arrange
    let runs = 0;
    const load = keptOnSuccess(async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (runs === 1) throw new Error('first run fails');
      return runs;
    });

    // Act / Assert
    const failed = await Promise.allSettled([load(), load()]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(await Promise.all([load(), load()])).toEqual([2, 2]);
    expect(await load()).toBe(2);
    expect(runs).toBe(2);
  });
});
