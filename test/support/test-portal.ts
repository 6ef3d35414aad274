import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { FileMailSink } from '../../functions/adapters/mail/file-mail-sink';
import type { InProcessRenderQueue } from '../../functions/adapters/queue/in-process-render-queue';
import type { ScryptCost } from '../../functions/adapters/security/scrypt-password-hasher';
import type { OperatorData } from '../../functions/cli/operator-scope';
import type { InvoiceDocument } from '../../functions/domain/document';
import type { Contact, Customer } from '../../functions/domain/identity';
import type { Logger } from '../../functions/domain/logging';
import { maskPersonalNumber } from '../../functions/domain/personal-number';
import type { InvoiceRenderer, TenantScope } from '../../functions/domain/ports';
import type { AppDeps } from '../../functions/http/app-types';
import { createApp, type PortalApp } from '../../functions/http/create-app';
import { createIngestApp, type IngestApp } from '../../functions/http/ingest/create-ingest-app';
import type { IngestAppDeps } from '../../functions/http/ingest/ingest-env';
import type { BankIdSimulator } from '../../functions/local/bankid-simulator/start-bankid-simulator';
import { S3_EMULATOR_CREDENTIALS } from '../../functions/local/services/s3-emulator';
import { localRuntime } from '../../functions/runtime/local';
import type { SiloClinic } from '../../functions/runtime/storage-routing';
import { TestClock } from './test-clock';

/** scrypt at N = 2^10: the same code path as production, cheap enough to log in hundreds of times per run. */
export const TEST_PASSWORD_COST = { log2N: 10, r: 8, p: 1 } as const;

/** A minimal valid one-page PDF, unique per call, so byte-for-byte comparisons mean something. */
export function tinyPdf(label = randomUUID()): Uint8Array {
  const content = `BT /F1 12 Tf 72 720 Td (${label}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

export interface TestPortal {
  readonly deps: AppDeps;
  readonly app: PortalApp;
  /** The ingest API on the same emulators and clock. */
  readonly ingestApp: IngestApp;
  /** What `ingestApp` was built from. */
  readonly ingestDeps: IngestAppDeps;
  /** The in-process render worker's queue: `await renderQueue.idle()` waits until rendering is done. */
  readonly renderQueue: InProcessRenderQueue;
  readonly clock: TestClock;
  /** Every mail the portal sent (the real local mail sink, in a temporary folder of this portal's own). */
  readonly mailSink: FileMailSink;
  /** The clinics this portal keeps on tables and buckets of their own (none unless the test made some). */
  readonly silos: readonly SiloClinic[];
}

/**
 * The real apps on the real emulators (started by the integration project's global setup), with a test clock.
 * `renderer` replaces the PDF renderer (fault-injection tests wrap the real one).
 */
export function createTestPortal(
  options: {
    readonly renderer?: InvoiceRenderer;
    readonly bankIdSimulator?: BankIdSimulator;
    /** Password hashing cost; the cheap TEST_PASSWORD_COST unless a test needs hashing to dominate (timing tests). */
    readonly passwordCost?: ScryptCost;
    /**
     * A table of the emulator's other than the shared one (made by the test with ensureTable): for code that visits
     * every clinic of its table, which in the shared one would reach other test files' clinics.
     */
    readonly tableName?: string;
    /** Where the portal logs; the local default (WARN lines to stderr) unless a test reads the lines. */
    readonly log?: Logger;
    /** Clinics on a table and bucket of their own (made by the test), as SILO_CLINICS names them in AWS. */
    readonly silos?: readonly SiloClinic[];
  } = {},
): TestPortal {
  const emulators = inject('emulators');
  const clock = new TestClock();
  const runtime = localRuntime({
    dynamoDbEndpoint: emulators.dynamoEndpoint,
    tableName: options.tableName ?? emulators.tableName,
    s3Endpoint: emulators.s3Endpoint,
    s3Credentials: S3_EMULATOR_CREDENTIALS,
    documentsBucket: emulators.bucket,
    auditAnchorBucket: emulators.auditAnchorBucket,
    sessionSeed: randomBytes(32),
    adminSecretsKey: randomBytes(32),
    mailDirectory: mkdtempSync(join(tmpdir(), 'portal-test-mail-')),
    passwordCost: options.passwordCost ?? TEST_PASSWORD_COST,
    clock,
    renderRetryDelayMs: 0,
    ...(options.renderer ? { renderer: options.renderer } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.silos ? { silos: options.silos } : {}),
    ...(options.bankIdSimulator
      ? {
          bankId: {
            endpoint: {
              baseUrl: options.bankIdSimulator.baseUrl,
              caCertificatePem: options.bankIdSimulator.caCertificatePem,
              ...options.bankIdSimulator.rpCertificate,
            },
            personalNumberPepper: randomBytes(32),
          },
        }
      : {}),
  });
  return {
    deps: runtime.portal,
    app: createApp(runtime.portal),
    ingestApp: createIngestApp(runtime.ingest),
    ingestDeps: runtime.ingest,
    renderQueue: runtime.renderQueue,
    clock,
    mailSink: runtime.mailSink,
    silos: options.silos ?? [],
  };
}

export interface ClinicContact {
  readonly contact: Contact;
  readonly username: string;
  readonly password: string;
}

/** One clinic with two customers and a contact for each; every id is random, so tests never collide. */
export interface ClinicFixture {
  readonly tenantId: string;
  readonly host: string;
  readonly origin: string;
  readonly scope: TenantScope;
  readonly customer: Customer;
  readonly otherCustomer: Customer;
  readonly contact: ClinicContact;
  readonly otherCustomersContact: ClinicContact;
  addDocument(
    customer: Customer,
    overrides?: Partial<InvoiceDocument>,
  ): Promise<{ document: InvoiceDocument; pdf: Uint8Array }>;
  addContact(customers: readonly Customer[], status?: Contact['status']): Promise<ClinicContact>;
  /** An active contact without a password login: one who logs in with BankID only, or is yet to be invited. */
  addContactWithoutPassword(name: string, customers?: readonly Customer[]): Promise<Contact>;
}

/** `tenantId`: a silo clinic's configured id (the portal's `silos`); by default a new one. */
export async function createClinic(
  portal: TestPortal,
  name = 'Testkliniken AB',
  tenantId: string = randomUUID(),
): Promise<ClinicFixture> {
  const { deps } = portal;
  const host = `clinic-${tenantId.slice(0, 8)}.portal.test`;
  const scope = deps.scopeFor(tenantId);
  await scope.tenant.put({ name, orgNumber: '556000-0001', addressLines: ['Storgatan 1', '111 22 Stockholm'] });
  await deps.directory.registerHost(host, tenantId);

  const makeCustomer = async (customerName: string): Promise<Customer> => {
    const customer: Customer = {
      id: randomUUID(),
      customerNumber: `K${randomUUID().slice(0, 8)}`,
      name: customerName,
      orgNumber: '556677-8899',
      addressLines: ['Box 1'],
      portalAccess: true,
    };
    await scope.customers.put(customer);
    return customer;
  };
  const customer = await makeCustomer('Åkeriet i Väst AB');
  const otherCustomer = await makeCustomer('Öresunds Städ AB');

  const putContact = async (contact: Contact, customers: readonly Customer[]) => {
    await scope.contacts.put(contact);
    for (const member of customers) {
      await scope.contacts.putMembership({ contactId: contact.id, customerId: member.id, customerName: member.name });
    }
  };
  const addContact = async (customers: readonly Customer[], status: Contact['status'] = 'active') => {
    const id = randomUUID();
    const username = `kontakt-${id.slice(0, 8)}@example.se`;
    const password = `ett-långt-lösenord-${id.slice(0, 6)}`;
    const contact: Contact = { id, name: `Anna Åberg ${id.slice(0, 4)}`, email: username, status };
    await putContact(contact, customers);
    await scope.contacts.putPasswordIdentity({
      username,
      contactId: id,
      passwordHash: await deps.hasher.hash(password),
    });
    return { contact, username, password };
  };
  const addContactWithoutPassword = async (contactName: string, customers: readonly Customer[] = []) => {
    const id = randomUUID();
    const contact: Contact = {
      id,
      name: contactName,
      email: `utan-losenord-${id.slice(0, 8)}@example.se`,
      status: 'active',
    };
    await putContact(contact, customers);
    return contact;
  };

  let invoiceCounter = 0;
  /**
   * Goes through the ingest life cycle: received, then completed (ready and current), unless the overrides ask for
   * another status; then it is only received, with that status.
   */
  const addDocument = async (forCustomer: Customer, overrides: Partial<InvoiceDocument> = {}) => {
    invoiceCounter += 1;
    const id = randomUUID();
    const pdf = tinyPdf(id);
    const stored = await scope.documentStore.put(forCustomer.id, id, pdf);
    const received: InvoiceDocument = {
      id,
      customerId: forCustomer.id,
      invoiceNumber: `F-${invoiceCounter}-${id.slice(0, 4)}`,
      invoiceDate: `2024-01-${String(invoiceCounter).padStart(2, '0')}`,
      periodFrom: '2024-01-01',
      periodTo: '2024-01-31',
      description: 'Fakturering januari',
      amount: 125_000,
      vatAmount: 25_000,
      currency: 'SEK',
      documentType: 'fakturaunderlag',
      source: 'rendered',
      status: 'received',
      visibility: 'published',
      version: 1,
      receivedAt: '2024-01-31T06:00:00.000Z',
      payloadSha256: createHash('sha256').update(id).digest('hex'),
      ...overrides,
    };
    if (overrides.status !== undefined && overrides.status !== 'ready') {
      await scope.documents.receive(received);
      return { document: received, pdf };
    }
    await scope.documents.receive({ ...received, status: 'received' });
    const { document } = await scope.documents.completeVersion(forCustomer.id, received.id, {
      sentAt: overrides.sentAt ?? '2024-01-31T07:00:00.000Z',
      contentSha256: overrides.contentSha256 ?? stored.sha256,
      sizeBytes: overrides.sizeBytes ?? stored.sizeBytes,
      pageCount: overrides.pageCount ?? 1,
    });
    return { document, pdf };
  };

  return {
    tenantId,
    host,
    origin: `https://${host}`,
    scope,
    customer,
    otherCustomer,
    contact: await addContact([customer]),
    otherCustomersContact: await addContact([otherCustomer]),
    addDocument,
    addContact,
    addContactWithoutPassword,
  };
}

/**
 * Gives the contact a BankID login for the personal number, as an administrator's add or edit does: the contact
 * holds its number's key (and mask), and the identity must match it to log in.
 */
export async function linkBankId(
  portal: TestPortal,
  clinic: Pick<ClinicFixture, 'scope'>,
  contact: Contact,
  personalNumber: string,
): Promise<void> {
  const keys = portal.deps.bankId?.personalNumberKeys;
  if (!keys) throw new Error('The test portal has no BankID: create it with a bankIdSimulator.');
  const linked = {
    personalNumberKey: await keys.keyOf(personalNumber),
    maskedPersonalNumber: maskPersonalNumber(personalNumber),
  };
  await clinic.scope.contacts.put({ ...contact, ...linked });
  await clinic.scope.contacts.putBankIdIdentity({ ...linked, contactId: contact.id });
}

/** Builds requests the way a browser on the clinic's host would send them. */
export function clientFor(portal: TestPortal, clinic: Pick<ClinicFixture, 'host' | 'origin'>) {
  let cookie: string | undefined;
  const request = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie && !headers.has('Cookie')) headers.set('Cookie', cookie);
    if (init.method && init.method !== 'GET' && !headers.has('Origin')) headers.set('Origin', clinic.origin);
    return portal.app.request(`https://${clinic.host}${path}`, { ...init, headers });
  };
  return {
    request,
    get cookie() {
      return cookie;
    },
    set cookie(value: string | undefined) {
      cookie = value;
    },
    async login(credentials: { username: string; password: string }) {
      const response = await request('/api/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(credentials),
      });
      const setCookie = response.headers.get('Set-Cookie');
      if (response.status !== 200 || !setCookie) throw new Error(`Login failed with ${response.status}`);
      cookie = setCookie.split(';')[0];
      return response;
    },
  };
}

/** What the operator commands act on when a test runs them: this test portal's emulators and mail sink. */
export function operatorDataFor(portal: TestPortal): OperatorData {
  return {
    scopeFor: portal.deps.scopeFor,
    directory: portal.deps.directory,
    where: 'the test emulators',
    mailer: () => portal.mailSink,
    silos: portal.silos,
  };
}
