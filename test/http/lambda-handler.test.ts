import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aesGcmSecretCipher } from '../../functions/adapters/security/aes-gcm-secret-cipher';
import { totpSecretFromBase32 } from '../../functions/adapters/security/otpauth-totp';
import { randomIds, systemClock } from '../../functions/adapters/system/system-clock-and-ids';
import { totpSealContext } from '../../functions/use-cases/admin-login';
import { createApiKey } from '../../functions/use-cases/ingest/manage-api-keys';
import { bundleLambda, LAMBDA_ENTRY_FILE } from '../../lib/constructs/lambda-bundling';
import { addAdmin } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { type StsStandIn, startStsStandIn, TEST_TENANT_ROLE_ARN } from '../support/sts-stand-in';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/**
 * The real Lambda entry (functions/lambda/api.ts → awsDeps → createApp) invoked with API Gateway HTTP API (v2)
 * events, on DynamoDB Local. Secrets Manager has no local emulator here, so a stand-in answers the one call the
 * handler makes (GetSecretValue) over HTTP; everything else is the production code path.
 */
const SECRET_ARN = 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:session-seed';
const secretString = randomBytes(48).toString('base64url');
/** The stand-in answers every secret with `secretString`; this one seals administrators' TOTP secrets. */
const ADMIN_SECRETS_KEY_ARN = 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:admin-secrets-key';
/** The origin secret CloudFront sends in x-origin-verify; the stand-in answers it with `secretString` too. */
const ORIGIN_SECRET_ARN = 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:origin';
let secretsManager: Server;
const secretRequests: Array<{ target: string | undefined; body: string }> = [];
let clinic: ClinicFixture;
/** The tenant role's STS: every tenant's data goes through credentials assumed here. */
let sts: StsStandIn;

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
}>;
let handler: Handler;

beforeAll(async () => {
  secretsManager = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      secretRequests.push({ target: request.headers['x-amz-target'] as string | undefined, body });
      response.setHeader('Content-Type', 'application/x-amz-json-1.1');
      if ((JSON.parse(body) as { VersionStage?: string }).VersionStage === 'AWSPREVIOUS') {
        // A secret that was never rotated has no previous version: Secrets Manager answers ResourceNotFound.
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'No previous version' }));
        return;
      }
      response.end(JSON.stringify({ ARN: SECRET_ARN, Name: 'session-seed', SecretString: secretString }));
    });
  });
  await new Promise<void>((resolve) => secretsManager.listen(0, '127.0.0.1', resolve));
  sts = await startStsStandIn();
  const emulators = inject('emulators');
  Object.assign(process.env, {
    AWS_REGION: 'eu-north-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoEndpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(secretsManager.address() as AddressInfo).port}`,
    AWS_ENDPOINT_URL_STS: sts.endpoint,
    TENANT_DATA_ROLE_ARN: TEST_TENANT_ROLE_ARN,
    TABLE_NAME: emulators.tableName,
    DOCUMENTS_BUCKET: emulators.bucket,
    AUDIT_ANCHOR_BUCKET: emulators.auditAnchorBucket,
    SILO_CLINICS: '[]',
    SESSION_SECRET_ARN: SECRET_ARN,
    ADMIN_SECRETS_KEY_ARN,
    ORIGIN_SECRET_ARN,
    RENDER_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/render',
    MAIL_FROM_ADDRESS: 'no-reply@portal.example.se',
  });
  clinic = await createClinic(createTestPortal());
  handler = ((await import('../../functions/lambda/api')) as { handler: Handler }).handler;
});

afterAll(async () => {
  await new Promise((resolve) => secretsManager.close(resolve));
  await sts.close();
});

function apiGatewayEvent(
  method: string,
  path: string,
  options: {
    body?: unknown;
    cookies?: string[];
    headers?: Record<string, string>;
    /** The body as API Gateway hands over binary content (e.g. gzip): base64, flagged. */
    base64Body?: Uint8Array;
  } = {},
) {
  const [rawPath = path, rawQueryString = ''] = path.split('?');
  return {
    version: '2.0',
    routeKey: 'ANY /api/{proxy+}',
    rawPath,
    rawQueryString,
    ...(options.cookies ? { cookies: options.cookies } : {}),
    headers: {
      host: 'abc123.execute-api.eu-north-1.amazonaws.com',
      'x-forwarded-host': clinic.host,
      // What CloudFront adds to every request it forwards (lib/stacks/web-stack.ts).
      'x-origin-verify': secretString,
      ...(method === 'GET' ? {} : { origin: clinic.origin }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-north-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'vitest' },
      requestId: 'request-1',
      routeKey: 'ANY /api/{proxy+}',
      stage: '$default',
      time: '03/Dec/2026:12:00:00 +0000',
      timeEpoch: Date.now(),
    },
    isBase64Encoded: options.base64Body !== undefined,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    ...(options.base64Body === undefined ? {} : { body: Buffer.from(options.base64Body).toString('base64') }),
  };
}

describe('the API Lambda handler', () => {
  it('answers the health check asking Secrets Manager for nothing but the origin secret', async () => {
    const response = await handler(apiGatewayEvent('GET', '/api/health'), {});

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
    const asked = secretRequests.map((request) => JSON.parse(request.body) as Record<string, string>);
    expect(asked).toEqual(
      expect.arrayContaining([
        { SecretId: ORIGIN_SECRET_ARN },
        { SecretId: ORIGIN_SECRET_ARN, VersionStage: 'AWSPREVIOUS' },
      ]),
    );
    expect(asked.every((request) => request.SecretId === ORIGIN_SECRET_ARN)).toBe(true);
  });

  it('refuses a request that did not come through CloudFront with a bare 403, whatever it asks for', async () => {
    const direct = await handler(
      apiGatewayEvent('GET', '/api/tenant', { headers: { 'x-origin-verify': 'guessed' } }),
      {},
    );
    const withoutHeader = apiGatewayEvent('GET', '/api/tenant');
    delete (withoutHeader.headers as Record<string, string>)['x-origin-verify'];
    const bare = await handler(withoutHeader, {});

    for (const response of [direct, bare]) {
      expect(response.statusCode).toBe(403);
      expect(JSON.parse(response.body)).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
      expect(response.body).not.toContain('Testkliniken');
    }
  });

  it('logs in, lists and hands out a download link, through API Gateway events end to end', async () => {
    const { document } = await clinic.addDocument(clinic.customer);

    const login = await handler(apiGatewayEvent('POST', '/api/auth/login', { body: clinic.contact }), {});
    const sessionCookie = (login.cookies ?? [])[0]?.split(';')[0] ?? '';
    const list = await handler(
      apiGatewayEvent('GET', `/api/customers/${clinic.customer.id}/documents?limit=10`, { cookies: [sessionCookie] }),
      {},
    );
    const download = await handler(
      apiGatewayEvent('POST', `/api/customers/${clinic.customer.id}/documents/${document.id}/download`, {
        cookies: [sessionCookie],
        headers: { 'x-forwarded-for': '10.9.9.9' },
      }),
      {},
    );

    expect(login.statusCode).toBe(200);
    expect(sessionCookie).toMatch(/^__Host-session=/u);
    // The current seed signs; the previous version (none here: never rotated) would still verify. Asked in parallel.
    const asked = secretRequests
      .map((request) => JSON.parse(request.body) as Record<string, string>)
      .filter((request) => request.SecretId === SECRET_ARN);
    expect(asked).toHaveLength(2);
    expect(asked).toEqual(
      expect.arrayContaining([{ SecretId: SECRET_ARN }, { SecretId: SECRET_ARN, VersionStage: 'AWSPREVIOUS' }]),
    );
    expect(list.statusCode).toBe(200);
    expect(JSON.parse(list.body).items.map((item: { id: string }) => item.id)).toEqual([document.id]);
    expect(download.statusCode).toBe(200);
    const url = new URL(JSON.parse(download.body).url);
    expect(url.pathname).toContain(
      `tenants/${clinic.tenantId}/customers/${clinic.customer.id}/documents/${document.id}.pdf`,
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    // The link is signed with the tenant's session of the tenant role, not the function's own credentials.
    expect(url.searchParams.get('X-Amz-Security-Token')).toMatch(/^session-\d+$/u);

    const events = await readAuditEvents(clinic.tenantId, new Date().toISOString().slice(0, 7));
    const downloaded = events.find((event) => event.action === 'document.downloaded');
    expect(downloaded?.sourceIp).toBe('198.51.100.7');
  });

  it("reaches the clinic's data only through the tenant role, assumed once with the clinic as session tag", async () => {
    const before = sts.requests.length;

    const first = await handler(apiGatewayEvent('GET', '/api/tenant'), {});
    const second = await handler(apiGatewayEvent('GET', '/api/tenant'), {});

    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    // One session per clinic and container, reused until shortly before it expires.
    expect(sts.requests.slice(before)).toEqual([]);
    const ours = sts.requests.filter((request) => request['Tags.member.1.Value'] === clinic.tenantId);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({
      RoleArn: TEST_TENANT_ROLE_ARN,
      'Tags.member.1.Key': 'tenant',
      'Tags.member.1.Value': clinic.tenantId,
    });
  });

  it('picks the clinic from the forwarded host and answers an unknown one with a JSON 404', async () => {
    const response = await handler(
      apiGatewayEvent('GET', '/api/tenant', { headers: { 'x-forwarded-host': 'unknown.portal.test' } }),
      {},
    );
    const known = await handler(apiGatewayEvent('GET', '/api/tenant'), {});

    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'not_found' } });
    expect(JSON.parse(known.body)).toMatchObject({ name: 'Testkliniken AB' });
  });

  it("seals an administrator's TOTP secret under the key from Secrets Manager, fetched at the first enrolment", async () => {
    const fixture = await addAdmin(createTestPortal(), clinic, { enrolled: false });
    const asked = () => secretRequests.filter((request) => request.body.includes(ADMIN_SECRETS_KEY_ARN)).length;
    const before = asked();

    const login = await handler(
      apiGatewayEvent('POST', '/api/admin/auth/login', {
        body: { username: fixture.username, password: fixture.password },
      }),
      {},
    );

    expect(login.statusCode).toBe(200);
    const { enrolment } = JSON.parse(login.body) as { enrolment: { secret: string } };
    const stored = await clinic.scope.admins.get(fixture.admin.id);
    const sealed = stored?.totp.state === 'pending' ? stored.totp.sealedSecret : '';
    // The key is the SHA-256 of the secret's string, as functions/runtime/aws.ts derives it.
    const key = createHash('sha256').update(secretString).digest();
    const opened = await aesGcmSecretCipher(key).open(sealed, totpSealContext(clinic.tenantId, fixture.admin.id));
    expect(Buffer.from(opened)).toEqual(Buffer.from(totpSecretFromBase32(enrolment.secret)));
    expect(asked() - before).toBe(1);
  });
});

describe('the ingest Lambda handler', () => {
  it('takes a gzip body the way API Gateway hands it over (base64) and authenticates the API key', async () => {
    const ingest = ((await import('../../functions/lambda/ingest')) as { handler: Handler }).handler;
    const { secret } = await createApiKey(
      { scope: clinic.scope, clock: systemClock, ids: randomIds },
      { name: 'Lambda test', createdBy: 'test' },
    );
    const customers = {
      customers: [
        { customerNumber: `L-${Date.now()}`, name: 'Lambdagatans Bageri AB', organisationNumber: '556734-8122' },
      ],
    };
    const event = (headers: Record<string, string>) =>
      apiGatewayEvent('PUT', '/ingest/v1/customers', {
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...headers },
        base64Body: gzipSync(JSON.stringify(customers)),
      });

    const accepted = await ingest(event({ authorization: `Bearer ${secret}` }), {});
    const anonymous = await ingest(event({}), {});

    expect(accepted.statusCode).toBe(200);
    expect(JSON.parse(accepted.body).results).toEqual([expect.objectContaining({ outcome: 'created' })]);
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('the bundled Lambda artifact', () => {
  it('built with the deployment bundling settings, loads as ESM and serves a login', async () => {
    const outDirectory = mkdtempSync(join(tmpdir(), 'portal-bundle-'));
    try {
      await bundleLambda('functions/lambda/api.ts', outDirectory);
      const entry = pathToFileURL(join(outDirectory, LAMBDA_ENTRY_FILE)).href;
      const bundled = ((await import(entry)) as { handler: Handler }).handler;

      const health = await bundled(apiGatewayEvent('GET', '/api/health'), {});
      const login = await bundled(apiGatewayEvent('POST', '/api/auth/login', { body: clinic.contact }), {});

      expect(health.statusCode).toBe(200);
      expect(login.statusCode).toBe(200);
      expect(login.cookies?.[0]).toMatch(/^__Host-session=/u);
    } finally {
      rmSync(outDirectory, { recursive: true, force: true });
    }
  });
});
