/**
 * Ports: what the use cases need from the outside world. Adapters in functions/adapters/ implement them; the
 * wiring in functions/runtime/ picks the adapters. Every tenant-scoped port is bound to ONE tenant when it is
 * created (see {@link TenantScopeFactory}), so use-case code cannot even express a cross-tenant read.
 */
import type { DownloadReceipt, InvoiceDocument } from './document';
import type { AuditEvent, Contact, Customer, Membership, PasswordIdentity, Session, Tenant } from './identity';
import type { InvoiceBasis } from './invoice-basis';

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A random, unguessable, fixed-length id (UUID v4). */
  newId(): string;
}

export interface PageRequest {
  readonly limit: number;
  /** Opaque cursor from a previous page; adapters validate it and never trust it for anything but position. */
  readonly cursor?: string | undefined;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

export interface TenantRepository {
  get(): Promise<Tenant | undefined>;
  put(tenant: Omit<Tenant, 'id'>): Promise<void>;
}

export interface CustomerRepository {
  get(customerId: string): Promise<Customer | undefined>;
  findByCustomerNumber(customerNumber: string): Promise<Customer | undefined>;
  /** Creates or replaces the customer; the customer number stays unique within the clinic. */
  put(customer: Customer): Promise<void>;
}

export interface ContactRepository {
  get(contactId: string): Promise<Contact | undefined>;
  put(contact: Contact): Promise<void>;
  /** Usernames are compared case-insensitively; the adapter normalises them. */
  findPasswordIdentity(username: string): Promise<PasswordIdentity | undefined>;
  putPasswordIdentity(identity: PasswordIdentity): Promise<void>;
  getMembership(contactId: string, customerId: string): Promise<Membership | undefined>;
  listMemberships(contactId: string): Promise<readonly Membership[]>;
  putMembership(membership: Membership): Promise<void>;
}

export interface DocumentRepository {
  /** Stores a new document; fails with ConflictError if the id exists. */
  create(document: InvoiceDocument): Promise<void>;
  get(customerId: string, documentId: string): Promise<InvoiceDocument | undefined>;
  /** Documents contacts may see, newest invoice date first. Served by a sparse index: invisible ones are not in it. */
  listVisible(customerId: string, page: PageRequest): Promise<Page<InvoiceDocument>>;
  /** Finds the current version with this invoice number (the seed's and ingest's idempotency anchor). */
  findByInvoiceNumber(customerId: string, invoiceNumber: string): Promise<InvoiceDocument | undefined>;
  recordDownload(customerId: string, documentId: string, receipt: DownloadReceipt): Promise<void>;
}

export interface StoredObject {
  readonly sha256: string;
  readonly sizeBytes: number;
}

export interface PresignOptions {
  /** Server-chosen file name for Content-Disposition. */
  readonly fileName: string;
  /** At most 60 s (SECURITY.md); adapters refuse more. */
  readonly expiresInSeconds: number;
}

export interface DocumentStore {
  put(customerId: string, documentId: string, pdf: Uint8Array): Promise<StoredObject>;
  get(customerId: string, documentId: string): Promise<Uint8Array | undefined>;
  /** A URL that downloads exactly this one object as an attachment, valid for `expiresInSeconds`. */
  presignDownload(customerId: string, documentId: string, options: PresignOptions): Promise<string>;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  get(contactId: string, sessionId: string): Promise<Session | undefined>;
  touch(contactId: string, sessionId: string, at: Date): Promise<void>;
  revoke(contactId: string, sessionId: string): Promise<void>;
}

export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
}

/** Everything a request may touch, bound to one tenant. */
export interface TenantScope {
  readonly tenantId: string;
  readonly tenant: TenantRepository;
  readonly customers: CustomerRepository;
  readonly contacts: ContactRepository;
  readonly documents: DocumentRepository;
  readonly documentStore: DocumentStore;
  readonly sessions: SessionRepository;
  readonly audit: AuditLog;
}

export type TenantScopeFactory = (tenantId: string) => TenantScope;

/** Maps the public host name a request arrived on to the clinic it belongs to (platform-level, not tenant data). */
export interface TenantDirectory {
  resolveHost(host: string): Promise<string | undefined>;
  registerHost(host: string, tenantId: string): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, storedHash: string): Promise<boolean>;
  /** Spends the time of a real verification, so unknown usernames cannot be told apart by timing. */
  verifyDummy(password: string): Promise<void>;
}

export interface SessionClaims {
  readonly tenantId: string;
  readonly contactId: string;
  readonly sessionId: string;
}

export interface SessionTokens {
  issue(claims: SessionClaims, expiresAt: Date): Promise<string>;
  /** Returns the claims of a valid token, or undefined for any invalid one (expired, forged, wrong alg…). */
  verify(token: string): Promise<SessionClaims | undefined>;
}

export interface InvoiceRenderer {
  render(basis: InvoiceBasis): Promise<Uint8Array>;
}
