/**
 * Ports: what the use cases need from the outside world. Adapters in functions/adapters/ implement them; the
 * wiring in functions/runtime/ picks the adapters. Every tenant-scoped port is bound to ONE tenant when it is
 * created (see {@link TenantScopeFactory}), so use-case code cannot even express a cross-tenant read.
 */
import type { DocumentStatus, DownloadReceipt, InvoiceDocument, Withdrawal } from './document';
import type {
  ApiKey,
  AuditEvent,
  BankIdIdentity,
  Contact,
  Customer,
  Membership,
  PasswordIdentity,
  Session,
  Tenant,
} from './identity';
import type { InvoiceBasis } from './invoice-basis';
import type { AccountFailures, IpThrottledAction, IpWindow } from './login-throttling';

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
  /** The contact a BankID login resolves to, by the keyed hash of the personal number (never the number itself). */
  findBankIdIdentity(personalNumberKey: string): Promise<BankIdIdentity | undefined>;
  /** Links a personal number (by its keyed hash) to a contact; ConflictError if it belongs to another contact. */
  putBankIdIdentity(identity: BankIdIdentity): Promise<void>;
  /** Usernames are compared case-insensitively; the adapter normalises them. */
  findPasswordIdentity(username: string): Promise<PasswordIdentity | undefined>;
  putPasswordIdentity(identity: PasswordIdentity): Promise<void>;
  getMembership(contactId: string, customerId: string): Promise<Membership | undefined>;
  listMemberships(contactId: string): Promise<readonly Membership[]>;
  putMembership(membership: Membership): Promise<void>;
}

/** The PDF facts recorded when a document becomes ready. */
export interface ReadyPdf {
  readonly contentSha256: string;
  readonly sizeBytes: number;
  readonly pageCount: number;
  /** When it became available to the customer (ISO instant). */
  readonly sentAt: string;
}

export interface CompletedVersion {
  /** The document, now ready. Its visibility is `superseded` if a newer version was already current. */
  readonly document: InvoiceDocument;
  /** The previous current version, now superseded by this one. */
  readonly superseded?: InvoiceDocument;
}

/**
 * Documents of one clinic, with the life cycle of ingest: a version is *received* (claimed, not visible), then
 * *completed* (ready; it becomes the current version of its invoice number and supersedes the previous one, in
 * one transaction), or *failed*. Every transition is conditional on the state it starts from, so a retried or
 * concurrent step can never move a document backwards or publish it twice.
 */
export interface DocumentRepository {
  /**
   * Records a newly received version: the document, the claim on (customer, invoice number, version) and the
   * id → customer locator, atomically. ConflictError if that version or id is already claimed.
   */
  receive(document: InvoiceDocument): Promise<void>;
  get(customerId: string, documentId: string): Promise<InvoiceDocument | undefined>;
  /** Finds a document by id alone (ingest status requests know only the id). */
  locate(documentId: string): Promise<InvoiceDocument | undefined>;
  /** The document that claimed this version of an invoice number, in any state. */
  findVersion(customerId: string, invoiceNumber: string, version: number): Promise<InvoiceDocument | undefined>;
  /**
   * Moves the status (e.g. received → rendering, rendering → failed with a reason). ConflictError unless the
   * current status is one of `from`. Never used to reach `ready`: that is {@link completeVersion}.
   */
  changeStatus(
    customerId: string,
    documentId: string,
    from: readonly DocumentStatus[],
    to: { readonly status: Exclude<DocumentStatus, 'ready'>; readonly failureReason?: string },
  ): Promise<InvoiceDocument>;
  /**
   * Marks the document ready with its PDF facts and makes it the current version of its invoice number,
   * superseding the previous current version — all in one transaction. If a newer version is already current, this
   * one becomes ready but superseded. Calling it again for a ready document returns it unchanged (idempotent).
   */
  completeVersion(customerId: string, documentId: string, pdf: ReadyPdf): Promise<CompletedVersion>;
  /** Hides the document for good and records why. Idempotent for an already withdrawn document. */
  withdraw(customerId: string, documentId: string, withdrawal: Withdrawal): Promise<InvoiceDocument>;
  /** Documents contacts may see, newest invoice date first. Served by a sparse index: invisible ones are not in it. */
  listVisible(customerId: string, page: PageRequest): Promise<Page<InvoiceDocument>>;
  /** The current (ready, newest) version with this invoice number. */
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

/** A presigned upload the practice system PUTs a ready-made PDF to. */
export interface PresignedUpload {
  readonly url: string;
  readonly method: 'PUT';
  /** Headers the upload must carry exactly as given (they are part of the signature). */
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}

/**
 * What the practice system handed in, kept apart from the published PDFs (under `tenants/<t>/ingest/`): the
 * structured data the render worker reads, and ready-made PDFs uploaded through presigned URLs.
 */
export interface IngestStore {
  /** Stores the canonical JSON of a received invoice basis (overwriting is harmless: same id, same content). */
  putPayload(documentId: string, json: Uint8Array): Promise<void>;
  getPayload(documentId: string): Promise<Uint8Array | undefined>;
  /** A URL that accepts exactly one PDF of exactly `sizeBytes` for this document, for `expiresInSeconds`. */
  presignPdfUpload(
    documentId: string,
    options: { readonly sizeBytes: number; readonly expiresInSeconds: number },
  ): Promise<PresignedUpload>;
  /** The uploaded PDF, or undefined if nothing was uploaded; refuses to read more than `maxBytes`. */
  getUploadedPdf(documentId: string, maxBytes: number): Promise<Uint8Array | undefined>;
  deleteUploadedPdf(documentId: string): Promise<void>;
}

export interface ApiKeyRepository {
  /** Stores a new key; ConflictError if the id exists. */
  create(key: ApiKey): Promise<void>;
  get(keyId: string): Promise<ApiKey | undefined>;
  /** Every key of the clinic, newest first (revoked ones included, for the record). */
  list(): Promise<readonly ApiKey[]>;
  /** Applies a change to a key; NotFoundError-free: ConflictError if the key does not exist. */
  update(keyId: string, change: Partial<Pick<ApiKey, 'revokedAt' | 'expiresAt' | 'replacedBy'>>): Promise<ApiKey>;
  /** Records use; cheap and best-effort (at most one write per key and minute). */
  touch(keyId: string, at: Date): Promise<void>;
}

/** A stored outcome of a request made with an `Idempotency-Key`. */
export interface IdempotencyRecord {
  readonly key: string;
  /** SHA-256 of method, path and body: the same key with another request is refused. */
  readonly requestSha256: string;
  readonly state: 'in_progress' | 'completed';
  readonly createdAt: string;
  readonly response?: StoredResponse;
}

export interface StoredResponse {
  readonly status: number;
  readonly body: string;
  /** The `Location` header, which a replay must carry too. */
  readonly location?: string;
}

export interface IdempotencyStore {
  /**
   * Claims the key for a new request, or returns the record that already holds it. The claim is a lease of
   * `leaseSeconds`: a request that dies without completing or releasing (a Lambda timeout) frees the key then,
   * instead of blocking its retries for the whole retention time.
   */
  begin(
    key: string,
    requestSha256: string,
    now: Date,
    leaseSeconds: number,
  ): Promise<{ readonly claimed: true } | { readonly claimed: false; readonly record: IdempotencyRecord }>;
  /** Stores the outcome, which then answers retries for `ttlSeconds`. */
  complete(key: string, response: StoredResponse, now: Date, ttlSeconds: number): Promise<void>;
  /** Releases the key after a failure, so that a retry runs the request again. */
  release(key: string): Promise<void>;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  get(contactId: string, sessionId: string): Promise<Session | undefined>;
  touch(contactId: string, sessionId: string, at: Date): Promise<void>;
  revoke(contactId: string, sessionId: string): Promise<void>;
  /**
   * Revokes every live session of the contact except `keepSessionId` (after a password change: other devices must
   * log in again). Returns how many it revoked; already revoked ones are left alone and not counted.
   */
  revokeAllExcept(contactId: string, keepSessionId: string): Promise<number>;
}

/**
 * A BankID login in progress, between the browser's polls (BANKID.md: in shared storage, never in Lambda memory).
 * Keyed by our own random login id, which is all the browser holds; the order's secrets stay here.
 */
export interface BankIdLoginOrder {
  readonly id: string;
  readonly orderRef: string;
  readonly autoStartToken: string;
  readonly qrStartToken: string;
  readonly qrStartSecret: string;
  /** When /auth answered: the animated QR's time base. */
  readonly startedAt: string;
  /** QR on another device, or autostart on this one (decides the user messages). */
  readonly method: 'qr' | 'autostart';
  /** Same-device start: the nonce in the returnUrl, verified when the user comes back. */
  readonly returnNonce?: string;
  /** The record is deleted by TTL after this (BankID forgets the order within minutes anyway). */
  readonly expiresAt: string;
}

export interface BankIdLoginOrderRepository {
  put(order: BankIdLoginOrder): Promise<void>;
  get(loginId: string): Promise<BankIdLoginOrder | undefined>;
  delete(loginId: string): Promise<void>;
}

/**
 * Keyed hashes of personal numbers (HMAC-SHA-256 with a secret pepper): what keys and logs may hold instead.
 * Asynchronous because the pepper may have to be fetched first (Secrets Manager in AWS).
 */
export interface PersonalNumberKeys {
  keyOf(personalNumber: string): Promise<string>;
}

export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
}

/**
 * The counters behind login throttling (the rules are in ./login-throttling.ts): consecutive failures per
 * username — known or not, so that both behave alike — and fixed-window counts per IP address. Bound to one clinic
 * like every tenant port; callers pass `now`, adapters never read a clock.
 */
export interface LoginThrottle {
  /** The username's live counter (a lock included), or undefined if it has none or it was forgotten. */
  getAccount(username: string, now: Date): Promise<AccountFailures | undefined>;
  /**
   * Counts one more failure, provided the counter is still the one the caller saw (`seen`; undefined for none),
   * so that parallel attempts cannot all pass through one open gate: ConflictError if it changed meanwhile. A
   * counter is forgotten `forgetAfterSeconds` after its last failure.
   */
  recordAccountFailure(
    username: string,
    now: Date,
    options: { readonly seen: AccountFailures | undefined; readonly forgetAfterSeconds: number },
  ): Promise<AccountFailures>;
  /** Locks the account for good: the counter becomes `locked` and is never forgotten. */
  lockAccount(username: string, now: Date): Promise<AccountFailures>;
  /** A successful login: the failures are forgotten. A lock is kept (a locked account is never checked). */
  resetAccount(username: string): Promise<void>;
  /** Clears the counter, a lock included: for an administrator, or after a completed password reset. */
  unlockAccount(username: string): Promise<void>;
  /** The address's current window for an action, or undefined if it has none (or it ended). */
  getIpWindow(ip: string, action: IpThrottledAction, now: Date): Promise<IpWindow | undefined>;
  /** Counts one event of an address, starting a new window of `windowSeconds` if none is running. */
  countIp(ip: string, action: IpThrottledAction, now: Date, windowSeconds: number): Promise<IpWindow>;
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
  readonly bankIdOrders: BankIdLoginOrderRepository;
  readonly ingestStore: IngestStore;
  readonly apiKeys: ApiKeyRepository;
  readonly idempotency: IdempotencyStore;
  readonly loginThrottle: LoginThrottle;
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

export interface RenderedPdf {
  readonly pdf: Uint8Array;
  readonly pageCount: number;
}

export interface InvoiceRenderer {
  /** Same basis, same bytes: no clock, no randomness (the content hash stays stable). */
  render(basis: InvoiceBasis): Promise<RenderedPdf>;
}

/** Checks that bytes are a PDF a contact can open: the magic bytes, a parseable structure, not encrypted. */
export interface PdfInspector {
  /** The page count of a valid PDF; UnprocessableError naming the problem otherwise. */
  inspect(pdf: Uint8Array): Promise<{ readonly pageCount: number }>;
}

/** Identifies one document to render (or finish) asynchronously. */
export interface RenderJob {
  readonly tenantId: string;
  readonly customerId: string;
  readonly documentId: string;
}

/**
 * Hands a received document to the render worker. In AWS an SQS queue with retries and a dead-letter queue; locally
 * the same worker use case run in-process. Delivery is at least once: the worker is idempotent.
 */
export interface RenderQueue {
  enqueue(job: RenderJob): Promise<void>;
}
