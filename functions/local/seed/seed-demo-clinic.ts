import { totpSecretFromBase32 } from '../../adapters/security/otpauth-totp';
import type { Actor, Customer } from '../../domain/identity';
import type { ImageAsset } from '../../domain/invoice-basis';
import { maskPersonalNumber } from '../../domain/personal-number';
import type {
  Clock,
  IdGenerator,
  InvoiceRenderer,
  PasswordHasher,
  PersonalNumberKeys,
  RenderJob,
  SecretCipher,
  TenantDirectory,
  TenantScope,
  TenantScopeFactory,
} from '../../domain/ports';
import { totpSealContext } from '../../use-cases/admin-login';
import { readClinicLogo, storeLogo } from '../../use-cases/clinic-logo';
import { receiveInvoiceBasis, submissionFor } from '../../use-cases/ingest/receive-invoice-basis';
import { renderDocument } from '../../use-cases/ingest/render-document';
import { recoveryCodeHash } from '../../use-cases/recovery-codes';
import type { DemoAdmin, DemoSeed } from './demo-data';

export interface SeedDeps {
  /** Where BankID is set up (the local simulator), the demo contacts get their BankID identities too. */
  readonly personalNumberKeys?: PersonalNumberKeys | undefined;
  readonly directory: TenantDirectory;
  readonly scopeFor: TenantScopeFactory;
  readonly hasher: PasswordHasher;
  /** Seals the demo administrator's TOTP secret, as the portal seals every administrator's. */
  readonly adminSecrets: SecretCipher;
  readonly renderer: InvoiceRenderer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface SeedResult {
  readonly tenantId: string;
  readonly documentsCreated: number;
}

/** The demo documents count as sent at 07:00 Swedish time on their invoice date, like a morning batch run. */
const sentAtFor = (invoiceDate: string) => new Date(`${invoiceDate}T07:00:00+01:00`);

const SEED_ACTOR: Actor = { type: 'system', id: 'demo-seed' };

/**
 * Seeds the demo clinic, idempotently: each step first looks for what it would create (the host in the
 * directory, customers by customer number, contacts by username, documents by invoice number), so re-running
 * after a restart or an interrupted first run completes the seed without duplicating anything.
 */
export async function seedDemoClinic(deps: SeedDeps, seed: DemoSeed, hosts: readonly string[]): Promise<SeedResult> {
  const [primaryHost] = hosts;
  if (!primaryHost) throw new Error('The demo clinic needs at least one host name.');
  const tenantId = (await deps.directory.resolveHost(primaryHost)) ?? deps.ids.newId();
  const scope = deps.scopeFor(tenantId);
  if (!(await scope.tenant.get())) await scope.tenant.put(seed.clinic);
  await seedDemoLogo(scope, seed.clinicLogo);
  for (const host of hosts) await deps.directory.registerHost(host, tenantId);

  const customers = new Map<string, Customer>();
  for (const customerSeed of seed.customers) {
    const customer = (await scope.customers.findByCustomerNumber(customerSeed.customerNumber)) ?? {
      ...customerSeed,
      id: deps.ids.newId(),
    };
    await scope.customers.put(customer);
    customers.set(customer.customerNumber, customer);
  }
  const customerNumbered = (customerNumber: string) => {
    const customer = customers.get(customerNumber);
    if (!customer) throw new Error(`The demo seed refers to an unknown customer number ${customerNumber}.`);
    return customer;
  };

  for (const contactSeed of seed.contacts) {
    const existing = await scope.contacts.findPasswordIdentity(contactSeed.username);
    const contactId = existing?.contactId ?? deps.ids.newId();
    // What the admin pages show of the personal number a BankID login is matched by (below), and that match's key.
    const bankId = deps.personalNumberKeys
      ? {
          personalNumberKey: await deps.personalNumberKeys.keyOf(contactSeed.personalNumber),
          maskedPersonalNumber: maskPersonalNumber(contactSeed.personalNumber),
        }
      : undefined;
    if (!existing) {
      await scope.contacts.put({
        id: contactId,
        name: contactSeed.name,
        email: contactSeed.email,
        status: 'active',
        ...bankId,
      });
    }
    for (const customerNumber of contactSeed.customerNumbers) {
      const customer = customerNumbered(customerNumber);
      await scope.contacts.putMembership({ contactId, customerId: customer.id, customerName: customer.name });
    }
    if (bankId) await scope.contacts.putBankIdIdentity({ ...bankId, contactId });
    // The identity is written last: it is what makes the contact able to log in, and what the next run looks for.
    if (!existing) {
      await scope.contacts.putPasswordIdentity({
        username: contactSeed.username,
        contactId,
        passwordHash: await deps.hasher.hash(contactSeed.password),
      });
    }
  }

  await seedDemoAdmin(deps, scope, seed.admin);

  // Documents take the same path as the practice system's: received, then rendered and published by the worker use
  // case — here run at once, in this process, with the clock set to the 2024 morning each was sent.
  let documentsCreated = 0;
  for (const basis of seed.invoiceBases) {
    // A document published by an earlier run (also one seeded before documents had versions) is left alone.
    const customer = customerNumbered(basis.customer.customerNumber);
    if (await scope.documents.findByInvoiceNumber(customer.id, basis.invoiceNumber)) continue;
    const clock = { now: () => sentAtFor(basis.invoiceDate) };
    const renderNow = {
      enqueue: async (job: RenderJob) => {
        await renderDocument({ scopeFor: deps.scopeFor, renderer: deps.renderer, clock, ids: deps.ids }, job, {
          finalAttempt: true,
        });
      },
    };
    const received = await receiveInvoiceBasis(
      { scope, queue: renderNow, clock, ids: deps.ids },
      SEED_ACTOR,
      submissionFor(basis),
    );
    if (!received.replayed) documentsCreated += 1;
  }
  return { tenantId, documentsCreated };
}

/**
 * The demo logo, stored as an administrator's upload is, unless the clinic has a logo that can be read. A record
 * written before logos moved to the branding store names its logo by base64 (no SHA-256): it gets the stored one.
 */
async function seedDemoLogo(scope: TenantScope, logo: ImageAsset): Promise<void> {
  const tenant = await scope.tenant.get();
  if (!tenant) return;
  const stored = /^[0-9a-f]{64}$/u.test(String(tenant.logo?.sha256)) && (await readClinicLogo(scope, tenant));
  if (stored) return;
  const { id: _id, ...rest } = tenant;
  await scope.tenant.put({
    ...rest,
    logo: await storeLogo(scope, Buffer.from(logo.base64, 'base64'), logo.mimeType),
  });
}

/**
 * The demo administrator, with the authenticator already enrolled (the demo's fixed secret, sealed like any other),
 * the demo recovery codes and the password last: it is what makes the administrator able to log in, and what the
 * next run looks for.
 */
async function seedDemoAdmin(deps: SeedDeps, scope: TenantScope, admin: DemoAdmin): Promise<void> {
  const identity = await scope.admins.findPasswordIdentity(admin.email);
  if (identity?.passwordHash) return;
  const adminId = identity?.adminId ?? deps.ids.newId();
  if (!identity) {
    const now = deps.clock.now().toISOString();
    const secret = totpSecretFromBase32(admin.totpSecretBase32);
    await scope.admins.create({
      id: adminId,
      name: admin.name,
      email: admin.email,
      status: 'active',
      createdAt: now,
      totp: {
        state: 'enrolled',
        sealedSecret: await deps.adminSecrets.seal(secret, totpSealContext(scope.tenantId, adminId)),
        enrolledAt: now,
      },
      recoveryCodeHashes: admin.recoveryCodes.map((code) => recoveryCodeHash(adminId, code) ?? ''),
    });
  }
  await scope.admins.setPasswordHash(admin.email, adminId, await deps.hasher.hash(admin.password));
}
