import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runTenantCli } from '../../functions/cli/tenant-cli';
import { ConflictError } from '../../functions/domain/errors';
import type { Mailer, TenantScopeFactory } from '../../functions/domain/ports';
import { ensureTable } from '../../functions/local/services/ensure-table';
import { S3_EMULATOR_CREDENTIALS } from '../../functions/local/services/s3-emulator';
import { createDynamoDbClient } from '../../functions/runtime/aws-clients';
import { LOCAL_REGION, LOCAL_SERVICES_FILE, type LocalServicesFile } from '../../functions/runtime/local';
import { listApiKeys } from '../../functions/use-cases/ingest/manage-api-keys';
import { listClinicAdmins } from '../../functions/use-cases/manage-clinic-admins';
import { listClinics } from '../../functions/use-cases/provision-clinic';
import { sendPublicationNoticesForAllClinics } from '../../functions/use-cases/send-publication-notices';
import { addAdmin, adminClientFor, json } from '../support/admin-fixture';
import { LOCAL_CREDENTIALS } from '../support/emulators.global-setup';
import { createTestPortal, operatorDataFor, type TestPortal } from '../support/test-portal';

/**
 * `npm run tenant` against the test emulators, as against the running local portal (`portalUrl` set): a clinic is
 * provisioned on `<slug>.localhost`, then used over HTTP on that host. The list and the notification sender visit
 * every clinic of their table, and "nothing written" is checked on the whole table, so this file has a table of its own.
 */
let portal: TestPortal;
let countItems: () => Promise<number>;
/** A data folder as `npm start` leaves it, naming this file's table: what the command finds when run as a program. */
let dataDirectory: string;
const LOCAL_PORTAL_URL = 'http://localhost:3000';

beforeAll(async () => {
  const emulators = inject('emulators');
  const tableName = `tenant-cli-${randomUUID()}`;
  const client = createDynamoDbClient({
    region: LOCAL_REGION,
    endpoint: emulators.dynamoEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  await ensureTable(client, tableName);
  portal = createTestPortal({ tableName });
  dataDirectory = mkdtempSync(join(tmpdir(), 'tenant-cli-data-'));
  const services: LocalServicesFile = {
    dynamoDbEndpoint: emulators.dynamoEndpoint,
    tableName,
    s3Endpoint: emulators.s3Endpoint,
    s3Credentials: S3_EMULATOR_CREDENTIALS,
    documentsBucket: emulators.bucket,
    auditAnchorBucket: emulators.auditAnchorBucket,
    portalUrl: LOCAL_PORTAL_URL,
  };
  writeFileSync(join(dataDirectory, LOCAL_SERVICES_FILE), JSON.stringify(services));
  countItems = async () => (await client.send(new ScanCommand({ TableName: tableName, Select: 'COUNT' }))).Count ?? 0;
});

function operator(options: { mailer?: () => Mailer; scopeFor?: TenantScopeFactory; local?: boolean } = {}) {
  const printed: string[] = [];
  const base = operatorDataFor(portal);
  const data = {
    ...base,
    ...(options.local === false ? {} : { portalUrl: LOCAL_PORTAL_URL }),
    ...(options.mailer ? { mailer: options.mailer } : {}),
    ...(options.scopeFor ? { scopeFor: options.scopeFor } : {}),
  };
  return { printed, run: (...argv: string[]) => runTenantCli(argv, { data, print: (line) => printed.push(line) }) };
}

const newSlug = () => `halsan-${randomUUID().slice(0, 8)}`;
const createArgs = (slug: string, adminEmail = `forsta@${slug}.example`) => [
  'create',
  '--name',
  'Hälsan Väst AB',
  '--slug',
  slug,
  '--admin-email',
  adminEmail,
  '--admin-name',
  'Ylva Öberg',
  '--org-number',
  '556036-0793',
  '--address',
  'Storgatan 1',
  '--address',
  '411 01 Göteborg',
  '--by',
  'ops',
];
const withSlug = (argv: readonly string[], slug: string) =>
  argv.map((arg, index) => (argv[index - 1] === '--slug' ? slug : arg));
const keyIn = (printed: readonly string[]) => /\bfpk_\S+/u.exec(printed.join('\n'))?.[0] ?? '';
const browserOn = (host: string) => adminClientFor(portal, { host, origin: `https://${host}` });
const ingest = (host: string, key: string, customerNumber = `K-${randomUUID().slice(0, 8)}`) =>
  portal.ingestApp.request(`https://${host}/ingest/v1/customers`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      customers: [{ customerNumber, name: 'Åkerströms Måleri AB', organisationNumber: '5567348122' }],
    }),
  });
/** The clinic's audit trail around now (the commands stamp events with the system clock), as [action, actor]. */
const auditActions = async (tenantId: string) => {
  const day = 24 * 3_600_000;
  const query = { from: new Date(Date.now() - day).toISOString(), to: new Date(Date.now() + day).toISOString() };
  const page = await portal.deps.scopeFor(tenantId).audit.list(query, { limit: 100 });
  return page.items.map((event) => [event.action, event.actor]);
};

describe('npm run tenant -- create', () => {
  it('provisions a working clinic on <slug>.localhost: its name, the invitation link, the printed ingest key, the list', async () => {
    const { printed, run } = operator();
    const slug = newSlug();
    const host = `${slug}.localhost`;

    const code = await run(...createArgs(slug));

    expect(code).toBe(0);
    const tenantId = (await portal.deps.directory.resolveHost(host)) ?? '';
    const tenant = await portal.deps.scopeFor(tenantId).tenant.get();
    expect(tenant).toMatchObject({
      name: 'Hälsan Väst AB',
      orgNumber: '556036-0793',
      addressLines: ['Storgatan 1', '411 01 Göteborg'],
      slug,
      status: 'active',
      portalOrigin: `http://${host}:3000`,
      loginMethods: { bankId: true, password: true },
      defaultPublishing: 'automatic',
    });
    const browser = browserOn(host);
    const clinicInfo = await browser.request('/api/tenant');
    expect(clinicInfo.status).toBe(200);
    expect(await clinicInfo.json()).toMatchObject({ name: 'Hälsan Väst AB' });

    const mail = (await portal.mailSink.list()).find((sent) => sent.to.address === `forsta@${slug}.example`);
    const link = /(\S+)\/admin\/satt-losenord#(\S+)/u.exec(mail?.text ?? '');
    expect(link?.[1]).toBe(`http://${host}:3000`);
    const set = await browser.request(
      '/api/admin/auth/set-password',
      json({ token: link?.[2] ?? '', newPassword: 'blåbärsris-i-skogen' }),
    );
    expect(set.status).toBe(200);
    const login = await browser.passwordStep({ username: `forsta@${slug}.example`, password: 'blåbärsris-i-skogen' });
    expect(login.status).toBe('enrolment_required');

    const key = keyIn(printed);
    expect(printed.join('\n')).toMatch(/shown only this once/u);
    const pushed = await ingest(host, key);
    expect(pushed.status).toBe(200);

    const listed = operator();
    await listed.run('list', '--json');
    expect(JSON.parse(listed.printed[0] ?? '[]')).toContainEqual({
      tenantId,
      name: 'Hälsan Väst AB',
      slug,
      host,
      status: 'active',
      createdAt: tenant?.createdAt,
      tier: 'pool',
    });
    expect(await auditActions(tenantId)).toEqual(
      expect.arrayContaining([
        ['clinic.provisioned', { type: 'operator', id: 'ops' }],
        ['admin.created', { type: 'operator', id: 'ops' }],
        ['admin.invited', { type: 'operator', id: 'ops' }],
        ['api_key.created', { type: 'operator', id: 'ops' }],
      ]),
    );
  });

  it('completes a provisioning that stopped at the invitation mail when run again, without duplicates', async () => {
    const slug = newSlug();
    const host = `${slug}.localhost`;
    const crashing = operator({
      mailer: () => ({
        send: () => Promise.reject(new Error('injected crash: the mail service is down')),
      }),
    });

    await expect(crashing.run(...createArgs(slug))).rejects.toThrow(/injected crash/u);
    const tenantId = (await portal.deps.directory.resolveHost(host)) ?? '';
    const scope = portal.deps.scopeFor(tenantId);
    expect(await scope.tenant.get()).toMatchObject({ slug });
    expect(await listApiKeys({ scope })).toHaveLength(0);

    const again = operator();
    const code = await again.run(...createArgs(slug));
    const third = operator();
    await third.run(...createArgs(slug));

    expect(code).toBe(0);
    expect(await portal.deps.directory.resolveHost(host)).toBe(tenantId);
    expect(again.printed.join('\n')).toMatch(/^Completed clinic/u);
    expect(await listClinicAdmins(scope)).toHaveLength(1);
    expect(await listApiKeys({ scope })).toHaveLength(1);
    expect(keyIn(third.printed)).toBe('');
    expect(third.printed.join('\n')).toMatch(/already has the ingest API key .* cannot be shown again/u);
    const clinics = await listClinics(portal.deps);
    expect(clinics.filter((clinic) => clinic.slug === slug)).toEqual([expect.objectContaining({ tenantId })]);
    expect((await auditActions(tenantId)).filter(([action]) => action === 'clinic.provisioned')).toHaveLength(1);
    expect((await ingest(host, keyIn(again.printed))).status).toBe(200);
  });

  it('completes a provisioning that stopped between claiming the host and writing the record; meanwhile the host answers 404', async () => {
    const slug = newSlug();
    const host = `${slug}.localhost`;
    const crashing = operator({
      scopeFor: (tenantId) => {
        const scope = portal.deps.scopeFor(tenantId);
        return { ...scope, tenant: { ...scope.tenant, put: () => Promise.reject(new Error('injected crash')) } };
      },
    });

    await expect(crashing.run(...createArgs(slug))).rejects.toThrow(/injected crash/u);
    const tenantId = (await portal.deps.directory.resolveHost(host)) ?? '';
    const halfMade = await browserOn(host).request('/api/tenant');
    const listed = operator();
    await listed.run('list', '--json');
    const again = await operator().run(...createArgs(slug));

    expect(halfMade.status).toBe(404);
    expect(JSON.parse(listed.printed[0] ?? '[]')).toContainEqual({ tenantId, status: 'incomplete', tier: 'pool' });
    expect(again).toBe(0);
    expect(await portal.deps.directory.resolveHost(host)).toBe(tenantId);
    expect(await portal.deps.scopeFor(tenantId).tenant.get()).toMatchObject({ slug, status: 'active' });
    expect((await browserOn(host).request('/api/tenant')).status).toBe(200);
  });

  it('refuses a slug or host another clinic has (409 slug_taken / host_taken), writing nothing', async () => {
    const { run } = operator();
    const slug = newSlug();
    await run(...createArgs(slug));
    const before = await countItems();

    const sameSlug = await run(...createArgs(slug), '--host', `annan-${slug}.localhost`).catch(
      (error: unknown) => error,
    );
    const sameHost = await run(...createArgs(newSlug()), '--host', `${slug}.localhost`).catch(
      (error: unknown) => error,
    );

    expect(sameSlug).toBeInstanceOf(ConflictError);
    expect(sameSlug).toMatchObject({ code: 'slug_taken', message: expect.stringContaining(slug) });
    expect(sameHost).toMatchObject({ code: 'host_taken', message: expect.stringContaining(`${slug}.localhost`) });
    expect(await countItems()).toBe(before);
  });

  it('as a program (npm run tenant), exits 0 when done, 3 for a taken slug and 2 for a bad argument', async () => {
    const slug = newSlug();
    const program = async (...argv: string[]) => {
      const run = promisify(execFile)('node_modules/.bin/tsx', ['functions/cli/tenant-cli.ts', ...argv], {
        env: {
          ...process.env,
          PORTAL_DATA_DIR: dataDirectory,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      });
      return run.then(
        ({ stdout }) => ({ code: 0, output: stdout }),
        (error: { code: number; stderr: string }) => ({ code: error.code, output: error.stderr }),
      );
    };

    const created = await program(...createArgs(slug));
    const [taken, bad] = await Promise.all([
      program(...createArgs(slug), '--host', `annan-${slug}.localhost`),
      program(...withSlug(createArgs(slug), 'x')),
    ]);

    expect(created).toMatchObject({ code: 0, output: expect.stringMatching(/^Provisioned clinic/u) });
    expect(taken).toEqual({ code: 3, output: expect.stringContaining(`Failed: The slug ${slug} already belongs`) });
    expect(bad).toEqual({ code: 2, output: expect.stringContaining('slug must be 2 to 40 characters') });
  }, 60_000);

  it('names each bad argument and writes nothing', async () => {
    const { run, printed } = operator();
    const slug = newSlug();
    const before = await countItems();
    const refusal = async (...argv: string[]): Promise<Error> => {
      const code = await run(...argv).catch((error: unknown) => error as Error);
      if (typeof code === 'number') throw new Error(`${argv.join(' ')} was not refused (exit code ${code})`);
      return code;
    };
    const withArgs = (replace: Record<string, string>) =>
      createArgs(slug).map((arg, index, all) => replace[all[index - 1] ?? ''] ?? arg);

    expect(await run()).toBe(2);
    expect(printed[0]).toMatch(/npm run tenant -- create/u);
    expect((await refusal('create', '--slug', slug, '--admin-email', 'a@b.se')).message).toMatch(/--name/u);
    expect((await refusal('create', '--name', 'X', '--admin-email', 'a@b.se')).message).toMatch(/--slug/u);
    expect((await refusal('create', '--name', 'X', '--slug', slug)).message).toMatch(/--admin-email/u);
    expect((await refusal('rename')).message).toMatch(/Unknown command "rename"/u);
    expect(await refusal(...withArgs({ '--slug': 'Halsan_Vast' }))).toMatchObject({
      code: 'validation_failed',
      details: { fields: { slug: expect.stringMatching(/lowercase/u) } },
    });
    expect(await refusal(...withArgs({ '--slug': 'x' }))).toMatchObject({
      message: 'Invalid clinic: --slug must be 2 to 40 characters.',
      details: { fields: { slug: '2 to 40 characters' } },
    });
    expect(await refusal(...withArgs({ '--slug': 'www' }))).toMatchObject({
      details: { fields: { slug: expect.stringMatching(/reserved/u) } },
    });
    expect(await refusal(...withArgs({ '--slug': 'admin' }))).toMatchObject({
      details: { fields: { slug: expect.stringMatching(/reserved/u) } },
    });
    expect(await refusal(...withArgs({ '--org-number': '556036-0794' }))).toMatchObject({
      details: { fields: { orgNumber: expect.stringMatching(/check digit/u) } },
    });
    expect(await refusal(...withArgs({ '--admin-email': 'inte-en-adress' }))).toMatchObject({
      message: expect.stringContaining('--admin-email must be an e-mail address'),
      details: { fields: { adminEmail: expect.stringMatching(/e-mail address/u) } },
    });
    expect(await refusal(...createArgs(slug), '--origin', 'https://evil.example')).toMatchObject({
      details: { fields: { origin: expect.stringMatching(/on the clinic's host/u) } },
    });
    expect(await refusal(...createArgs(slug), '--host', 'https://x.example')).toMatchObject({
      details: { fields: { host: expect.stringMatching(/without scheme/u) } },
    });
    expect(await refusal(...createArgs(slug), '--address', 'x'.repeat(101))).toMatchObject({
      details: { fields: { address: expect.stringMatching(/100 characters/u) } },
    });
    expect(await refusal(...withArgs({ '--slug': 'WWW', '--admin-email': 'inte-en-adress' }))).toMatchObject({
      message: expect.not.stringMatching(/host/u),
      details: { fields: { slug: expect.any(String), adminEmail: expect.any(String) } },
    });
    const inAws = operator({ local: false });
    await expect(inAws.run(...createArgs(slug))).rejects.toThrow(/needs --host in AWS/u);
    expect(await countItems()).toBe(before);
    expect(await portal.deps.directory.resolveHost(`${slug}.localhost`)).toBeUndefined();
  });
});

describe('npm run tenant -- disable / enable', () => {
  it('closes the portal, the session and the ingest key of a disabled clinic, skips its notices, and opens them again', async () => {
    const { printed, run } = operator();
    const slug = newSlug();
    const host = `${slug}.localhost`;
    await run(...createArgs(slug));
    const key = keyIn(printed);
    const tenantId = (await portal.deps.directory.resolveHost(host)) ?? '';
    const scope = portal.deps.scopeFor(tenantId);
    const admin = await addAdmin(portal, { scope });
    const browser = browserOn(host);
    await browser.login(admin);
    expect((await browser.request('/api/admin/me')).status).toBe(200);
    const notices = () =>
      sendPublicationNoticesForAllClinics({
        directory: portal.deps.directory,
        scopeFor: portal.deps.scopeFor,
        clock: portal.clock,
        ids: portal.deps.ids,
        mailer: portal.mailSink,
      });

    const disabled = await run('disable', '--tenant', host, '--by', 'ops');

    expect(disabled).toBe(0);
    const session = await browser.request('/api/admin/me');
    expect(session.status).toBe(403);
    expect(await session.json()).toEqual({
      error: { code: 'clinic_disabled', message: expect.stringContaining('Portalen är inte tillgänglig') },
    });
    expect((await browser.request('/api/tenant')).status).toBe(403);
    const login = await browser.request('/api/admin/auth/login', json({ username: admin.username, password: 'x' }));
    expect(login.status).toBe(403);
    const pushed = await ingest(host, key);
    expect(pushed.status).toBe(403);
    expect(await pushed.json()).toMatchObject({ error: { code: 'clinic_disabled' } });
    expect((await notices()).find((result) => result.tenantId === tenantId)?.summary).toMatchObject({
      clinicDisabled: true,
    });
    const listed = operator();
    await listed.run('list');
    expect(listed.printed.join('\n')).toMatch(new RegExp(`${tenantId} {2}pool {2}disabled .*${host}`, 'u'));
    expect(await run('disable', '--tenant', tenantId)).toBe(0);
    expect(printed.at(-1)).toMatch(/already disabled; nothing changed/u);

    const enabled = await run('enable', '--tenant', tenantId, '--by', 'ops');

    expect(enabled).toBe(0);
    expect((await browser.request('/api/admin/me')).status).toBe(200);
    expect((await ingest(host, key)).status).toBe(200);
    expect((await notices()).find((result) => result.tenantId === tenantId)?.summary).not.toHaveProperty(
      'clinicDisabled',
    );
    const trail = await auditActions(tenantId);
    expect(trail).toContainEqual(['clinic.disabled', { type: 'operator', id: 'ops' }]);
    expect(trail).toContainEqual(['clinic.enabled', { type: 'operator', id: 'ops' }]);
    expect(trail).toContainEqual(['api_key.rejected', { type: 'anonymous' }]);
  });
});
