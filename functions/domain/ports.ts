/**
 * Ports: what the use cases need from the outside world. Adapters in functions/adapters/ implement them; the
 * wiring in functions/runtime/ picks the adapters. Every tenant-scoped port is bound to ONE tenant when it is
 * created (see {@link TenantScopeFactory}), so use-case code cannot even express a cross-tenant read.
 */

import type { ArchiveFile } from './archive';
import type { AuditAnchor, AuditQuery, ChainHead, SealedAuditEvent } from './audit-trail';
import type { AdminLoginChallenge, AdminPasswordIdentity, AdminRole, AdminStatus, ClinicAdmin } from './clinic-admin';
import type { DocumentStatus, DownloadReceipt, InvoiceDocument, Withdrawal } from './document';
import type { DocumentListFilter, ListOrder } from './document-list';
import type {
  ApiKey,
  AuditEvent,
  BankIdIdentity,
  Contact,
  Customer,
  CustomerChoices,
  Membership,
  PasswordIdentity,
  PreferencesChange,
  Session,
  SessionKind,
  Tenant,
} from './identity';
import type { DocumentType, InvoiceBasis } from './invoice-basis';
import type { AccountFailures, IpThrottledAction, IpWindow } from './login-throttling';
import type { StoredLogo } from './logo';
import type { OutgoingMail } from './mail';
import type { NoticeBatch, NoticeDelivery, PublicationNotice } from './notifications';

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

export interface VisibleDocumentsQuery extends PageRequest, DocumentListFilter {
  readonly order?: ListOrder;
}

/**
 * A customer as the contacts' document reads need it: which customer, and which document types its contacts are
 * shown. Passing the customer (not just its id) is what keeps the type rule from being forgotten on any path.
 */
export type ContactsCustomer = Pick<Customer, 'id' | 'shownDocumentTypes'>;

/** The admin's list of every document of a customer, optionally narrowed. */
export interface AllDocumentsQuery extends PageRequest {
  readonly notDownloaded?: boolean | undefined;
  readonly documentType?: DocumentType | undefined;
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
  /** Every customer of the clinic, by name (the clinic's admin pages). */
  list(): Promise<readonly Customer[]>;
  /**
   * Changes the clinic's choices about the customer (portal access, publishing rule, document types shown), leaving the rest of the record
   * as it is (the practice system's concurrent update of the facts is not lost); returns the customer as changed.
   * NotFoundError if there is none.
   */
  updateChoices(customerId: string, choices: CustomerChoices): Promise<Customer>;
}

export interface ContactRepository {
  get(contactId: string): Promise<Contact | undefined>;
  put(contact: Contact): Promise<void>;
  /**
   * Changes only the given preferences, leaving the rest of the record as it is (an admin's concurrent change of the
   * name is not lost); returns the contact as changed. NotFoundError if there is no such contact.
   */
  updatePreferences(contactId: string, change: PreferencesChange): Promise<Contact>;
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
  /** The memberships of one customer company: who its contacts are (the clinic's admin pages). */
  listOfCustomer(customerId: string): Promise<readonly Membership[]>;
  /**
   * An administrator's edit of a contact, all in one transaction: the profile becomes `after` (conditional on it still
   * being `before`, so a concurrent edit is not overwritten), the password login moves to the new e-mail address
   * when it changes (same password; the new address must be nobody's login), the BankID identity moves with the
   * personal number (the old one is deleted, the new one must be nobody else's) and the memberships are added and
   * removed. ConflictError (code `email_in_use`, `personal_number_in_use` or plain for a concurrent change) with
   * nothing written if any part fails. A change of more than {@link MAX_CONTACT_EDIT_ITEMS} items is refused.
   */
  update(change: ContactChange): Promise<void>;
}

/** What {@link ContactRepository.update} writes; the use case has checked everything it can before. */
export interface ContactChange {
  readonly before: Contact;
  readonly after: Contact;
  /** The contact's password login under `before.email`, if they have one: it moves to `after.email` with them. */
  readonly passwordIdentity?: PasswordIdentity | undefined;
  /** The BankID identity to create (a new or replaced personal number); the old one, if any, is deleted. */
  readonly bankIdIdentity?: BankIdIdentity | undefined;
  readonly addMemberships: readonly Membership[];
  readonly removeMemberships: readonly Membership[];
}

/** DynamoDB's limit on the items of one transaction: the bound of a contact edit (profile, logins, memberships). */
export const MAX_CONTACT_EDIT_ITEMS = 100;

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
  /**
   * Documents the customer's contacts are shown (isShownToContacts: visible, of a type shown to them), by invoice date (newest first unless asked otherwise), narrowed by the filter. Served
   * by a sparse index: invisible ones are not in it. The cursor is bound to the customer, filter and order
   * (ValidationError for one from another list). A filtered page may hold fewer than `limit` documents and still
   * have a next cursor: one request reads a bounded number of index entries, however few of them match.
   */
  listVisible(customer: ContactsCustomer, query: VisibleDocumentsQuery): Promise<Page<InvoiceDocument>>;
  /** The invoice years that have documents shown to the customer's contacts, newest first. */
  visibleYears(customer: ContactsCustomer): Promise<readonly number[]>;
  /** The current (ready, newest) version with this invoice number. */
  findByInvoiceNumber(customerId: string, invoiceNumber: string): Promise<InvoiceDocument | undefined>;
  recordDownload(customerId: string, documentId: string, receipt: DownloadReceipt): Promise<void>;
  /**
   * Every document of the customer in any state and visibility, newest invoice date first (the admin's view);
   * `notDownloaded` keeps only those nobody has downloaded, `documentType` only those of one type (a page may then
   * hold fewer than `limit` and still have a next cursor, as in listVisible).
   */
  listAll(customerId: string, query: AllDocumentsQuery): Promise<Page<InvoiceDocument>>;
  /**
   * The clinic's choice: show the document to contacts (`published`) or not (`hidden`; a `held` one waits for
   * approval). Contacts' list follows at once (the sparse index entry is written or removed with it). Withdrawn and
   * superseded documents are final: ConflictError. NotFoundError if there is no such document.
   */
  setVisibility(customerId: string, documentId: string, visibility: 'published' | 'hidden'): Promise<InvoiceDocument>;
  /** Who downloaded the document and when, newest first (the newest 100). */
  listDownloads(customerId: string, documentId: string): Promise<readonly DownloadReceipt[]>;
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
  /** `attachment` (the default) saves the file; `inline` opens it in the browser's own viewer, same file name. */
  readonly disposition?: 'attachment' | 'inline';
}

export interface DocumentStore {
  put(customerId: string, documentId: string, pdf: Uint8Array): Promise<StoredObject>;
  get(customerId: string, documentId: string): Promise<Uint8Array | undefined>;
  /** A URL that downloads exactly this one object (as an attachment unless asked inline), for `expiresInSeconds`. */
  presignDownload(customerId: string, documentId: string, options: PresignOptions): Promise<string>;
}

/**
 * The clinic's branding images (its logo), under `tenants/<t>/branding/`: a logo may be larger than a DynamoDB item
 * can hold. Content-addressed by the SHA-256 of the bytes, so a new logo never overwrites the one the tenant record
 * still names, and the record switches from one to the other in a single write.
 */
export interface BrandingStore {
  /** Stores the logo under its SHA-256 (hex), which the caller computed; storing the same bytes again is harmless. */
  putLogo(sha256: string, bytes: Uint8Array, mimeType: StoredLogo['mimeType']): Promise<void>;
  /** The logo's bytes, or undefined if there is no such object. */
  getLogo(sha256: string): Promise<Uint8Array | undefined>;
  /** Deletes a logo no longer in use; nothing happens if it is gone already. */
  deleteLogo(sha256: string): Promise<void>;
}

/**
 * Temporary ZIP archives of published PDFs ("download many"), under the tenant's archive prefix, deleted by an S3
 * lifecycle rule after a day. Built by streaming: no archive is ever held in memory.
 */
export interface ArchiveStore {
  /**
   * Streams the PDFs (in order) and a `manifest.json` into one ZIP object, checking each PDF against its recorded
   * SHA-256 and size as it passes: ArchiveIntegrityError (and no archive) if one differs or is missing.
   */
  create(
    customerId: string,
    archiveId: string,
    files: readonly ArchiveFile[],
    options: { readonly createdAt: Date },
  ): Promise<{ readonly sizeBytes: number }>;
  /** A URL that downloads exactly this archive as an attachment, valid for `expiresInSeconds`. */
  presignDownload(customerId: string, archiveId: string, options: PresignOptions): Promise<string>;
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

/**
 * Server-side sessions of one kind of subject: `TenantScope.sessions` holds the contacts', `adminSessions` the
 * administrators' (the same adapter, another partition). `subjectId` is the contact's or administrator's id.
 */
export interface SessionRepository {
  create(session: Session): Promise<void>;
  get(subjectId: string, sessionId: string): Promise<Session | undefined>;
  touch(subjectId: string, sessionId: string, at: Date): Promise<void>;
  revoke(subjectId: string, sessionId: string): Promise<void>;
  /**
   * The subject's sessions that are live at `now` (see isSessionLive: not revoked, within both timeouts), oldest first.
   * Expired records linger until TTL removes them; they are left out here.
   */
  listLive(subjectId: string, now: Date): Promise<readonly Session[]>;
  /**
   * Revokes every live session of the subject except `keepSessionId` (after a password change: other devices must
   * log in again). Returns how many it revoked; already revoked ones are left alone and not counted.
   */
  revokeAllExcept(subjectId: string, keepSessionId: string): Promise<number>;
  /** Revokes every live session of the subject (after a password reset or deactivation); returns how many. */
  revokeAll(subjectId: string): Promise<number>;
}

/**
 * The clinic's administrators and their login names (functions/domain/clinic-admin.ts). Login names live in their
 * own namespace, apart from the contacts' password identities.
 */
export interface ClinicAdminRepository {
  get(adminId: string): Promise<ClinicAdmin | undefined>;
  /** Every administrator of the clinic, active or not (a clinic has a handful). */
  list(): Promise<readonly ClinicAdmin[]>;
  /**
   * Stores a new administrator together with their login name (the e-mail address, without a password yet), in one
   * transaction: ConflictError (`admin_exists`) if an administrator of this clinic already has that address.
   */
  create(admin: ClinicAdmin): Promise<void>;
  /** Login names are compared case-insensitively; the adapter normalises them. */
  findPasswordIdentity(username: string): Promise<AdminPasswordIdentity | undefined>;
  /** Sets the password of an existing login name; ConflictError if the name belongs to another administrator. */
  setPasswordHash(username: string, adminId: string, passwordHash: string): Promise<void>;
  /** ConflictError if there is no such administrator, or if `guard` does not hold. */
  setStatus(adminId: string, status: AdminStatus, guard?: AdminWriteGuard): Promise<ClinicAdmin>;
  /** ConflictError if there is no such administrator, or if `guard` does not hold. */
  setRole(adminId: string, role: AdminRole, guard?: AdminWriteGuard): Promise<ClinicAdmin>;
  /**
   * Forgets the authenticator and every recovery code: the next login enrols a new one (the state `none`).
   * ConflictError if there is no such administrator, or if `guard` does not hold.
   */
  resetTotp(adminId: string, guard?: AdminWriteGuard): Promise<ClinicAdmin>;
  /**
   * Hands out a secret for enrolment: the authenticator becomes `pending` with this sealed secret, unless it is
   * already enrolled (ConflictError: an enrolled authenticator is never replaced by a login).
   */
  startTotpEnrolment(adminId: string, sealedSecret: string, at: Date): Promise<void>;
  /**
   * Completes enrolment with the step of the first valid code and the hashes of the first recovery codes, provided
   * the authenticator is still pending with exactly this sealed secret; ConflictError otherwise.
   */
  completeTotpEnrolment(
    adminId: string,
    enrolment: {
      readonly sealedSecret: string;
      readonly acceptedStep: number;
      readonly recoveryCodeHashes: readonly string[];
      readonly at: Date;
    },
  ): Promise<void>;
  /**
   * Records that a code of `step` was accepted, provided no code of this step or a later one was accepted before
   * (the replay guard, one conditional write): false if one was.
   */
  acceptTotpStep(adminId: string, step: number): Promise<boolean>;
  /** Uses up one recovery code by its hash, atomically: false if it is not (or no longer) among the unused ones. */
  useRecoveryCode(adminId: string, codeHash: string): Promise<boolean>;
  /** Replaces every recovery code (the old ones stop working); only for an enrolled authenticator. */
  replaceRecoveryCodes(adminId: string, codeHashes: readonly string[]): Promise<void>;
}

/**
 * A change of one administrator's account by another happens only while the acting administrator is still an active
 * `admin` — checked in the same transaction as the write, so two administrators who demote or deactivate each other
 * at the same moment cannot both succeed (and leave the clinic without an administrator who may change things).
 */
export interface AdminWriteGuard {
  readonly actingAdminId: string;
}

/** Second-factor challenges of administrators' logins, by id; each lives until `expiresAt` (TTL). */
export interface AdminLoginChallengeRepository {
  create(challenge: AdminLoginChallenge): Promise<void>;
  /** The challenge, if it exists and has not expired at `now`. */
  get(challengeId: string, now: Date): Promise<AdminLoginChallenge | undefined>;
  /** Counts a wrong code on a live challenge; returns the new count, or undefined if the challenge is gone. */
  recordFailure(challengeId: string, now: Date): Promise<number | undefined>;
  /**
   * Deletes the challenge if it is still live at `now` and belongs to `adminId`: true for exactly one caller, so a
   * challenge completes at most one login.
   */
  consume(challengeId: string, adminId: string, now: Date): Promise<boolean>;
  delete(challengeId: string): Promise<void>;
}

/** Whose password a set-password link sets: a contact person's, or a clinic administrator's. */
export interface PasswordLinkSubject {
  readonly kind: 'contact' | 'admin';
  readonly id: string;
}

/**
 * A single-use link that sets a password: sent by mail as an invitation or on a reset request. Only the SHA-256 of
 * its 256-bit secret is stored; it works for at most 60 minutes (SECURITY.md).
 */
export interface PasswordLink {
  readonly subject: PasswordLinkSubject;
  readonly purpose: 'invitation' | 'reset';
  readonly secretSha256: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/**
 * Each subject has at most one live link: storing a new one replaces (and so invalidates) the previous one. A link
 * is consumed atomically, so two uses of the same link cannot both succeed.
 */
export interface PasswordLinkRepository {
  /** Stores the subject's link, replacing any earlier one. */
  put(link: PasswordLink): Promise<void>;
  /**
   * Deletes and returns the subject's link if its secret hash matches and it has not expired at `now`; undefined
   * otherwise (no link, another secret, expired, or already used), with nothing changed.
   */
  consume(subject: PasswordLinkSubject, secretSha256: string, now: Date): Promise<PasswordLink | undefined>;
  /**
   * The subject's link, if it has one (to check a link without consuming it). It may have ended: adapters read no
   * clock, so the caller compares `expiresAt` with its own `now`.
   */
  get(subject: PasswordLinkSubject): Promise<PasswordLink | undefined>;
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
  /**
   * Same-device start only: BankID completed the order before the user came back through the return URL. What it
   * proved waits here — the contact it resolved to, or none (no access) — never the personal number itself.
   */
  readonly awaitingReturn?: { readonly contactId?: string };
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

/**
 * Sends mail (SES v2 in AWS; locally a mail sink that keeps each message as a file for the developer's dev page).
 * Platform-level, not per clinic: the sender's display name says which clinic a mail comes from.
 */
export interface Mailer {
  /**
   * Resolves once the mail service has accepted the message. Rejects with MailRefusedError (./mail.ts) when the service
   * said it did not take it (nothing was sent); with any other error when that is unknown (a timeout, a 5xx).
   */
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * The clinic's audit trail: append-only, and tamper-evident through a hash chain (./audit-trail.ts) that events join
 * shortly after they are appended (sealAuditTrail in functions/use-cases/audit-trail.ts).
 */
export interface AuditLog {
  /** ConflictError if an event with this id and time exists already: history is never overwritten. */
  append(event: AuditEvent): Promise<void>;
  /**
   * Events between `query.from` and `query.to`, newest first, narrowed by the query's other fields, a page at a time.
   * A filtered page may hold fewer than `limit` events and still have a next cursor (a request reads a bounded
   * number). ValidationError for a span longer than a year, or a cursor of another query.
   */
  list(query: AuditQuery, page: PageRequest): Promise<Page<AuditEvent>>;
  /** Up to `limit` events that are not in the chain yet, oldest first. */
  unsealed(limit: number): Promise<readonly AuditEvent[]>;
  /** Where the chain ends (EMPTY_CHAIN before the first link). */
  chainHead(): Promise<ChainHead>;
  /**
   * Chains the events (links computed after `head`, in order) atomically, and moves the head to the last. ConflictError
   * and nothing written if the head is no longer `head` or an event is already chained (another sealer won).
   * At most {@link AUDIT_SEAL_BATCH} links at once.
   */
  seal(head: ChainHead, links: readonly SealedAuditEvent[]): Promise<void>;
  /**
   * Links in chain order from index `fromIndex`, each with its event as stored now (`event` undefined if the event
   * is gone); at most `limit`.
   */
  chain(
    fromIndex: number,
    limit: number,
  ): Promise<readonly { readonly link: SealedAuditEvent['link']; readonly event: AuditEvent | undefined }[]>;
}

/**
 * The clinic's audit anchors (./audit-trail.ts, {@link AuditAnchor}): write-once copies of chain heads, kept apart from
 * the table (in AWS an S3 bucket with Object Lock and a policy that refuses overwrites).
 */
export interface AuditAnchorStore {
  /** Records `anchor` unless its head is anchored already (then nothing changes); never overwrites. */
  put(anchor: AuditAnchor): Promise<void>;
  /** Whether this head (index and hash) is anchored. */
  has(head: ChainHead): Promise<boolean>;
  /** Every anchor, by index ascending. */
  all(): Promise<readonly ChainHead[]>;
}

/**
 * The queue of publication notices, their batches and deliveries (./notifications.ts explains the life of a notice).
 * Every step is conditional on the state it starts from, so two senders, a retried publication or a crashed run
 * can never put a document in two batches or hand one recipient's mail over twice.
 */
export interface NotificationOutbox {
  /** Queues the document's notice unless it has one already (queued, batched or sent): true if it was queued now. */
  enqueue(notice: Omit<PublicationNotice, 'batchId'>): Promise<boolean>;
  /** The document's notice, in whatever state, if it ever had one. */
  notice(customerId: string, documentId: string): Promise<PublicationNotice | undefined>;
  /** Up to `limit` notices not yet in a batch, oldest first. */
  pending(limit: number): Promise<readonly PublicationNotice[]>;
  /**
   * Stores the batch (open) and, for reason `published`, takes each of its documents' notices for it — atomically:
   * ConflictError and nothing written if one of them was taken meanwhile. At most NOTIFICATION_POLICY.maxDocumentsPerBatch.
   */
  formBatch(batch: NoticeBatch): Promise<void>;
  getBatch(batchId: string): Promise<NoticeBatch | undefined>;
  /** Up to `limit` batches that are not closed, oldest first. */
  openBatches(limit: number): Promise<readonly NoticeBatch[]>;
  /** The batches that told of a document (its first publication, and resends), newest first. */
  batchesOfDocument(customerId: string, documentId: string): Promise<readonly NoticeBatch[]>;
  /** Every delivery of the batch recorded so far (a recipient not yet tried has none). */
  deliveries(batchId: string): Promise<readonly NoticeDelivery[]>;
  /**
   * Claims a recipient's delivery for one attempt (state `sending`): only if it has no delivery yet, or it is due
   * for a retry (`retry` with `nextAttemptAt` ≤ the claim's time) and still has the attempts count the caller saw.
   * False if another sender holds it or it is final: then nothing is sent.
   */
  claimDelivery(
    claim: Pick<NoticeDelivery, 'batchId' | 'contactId' | 'attempts' | 'updatedAt' | 'leaseUntil'>,
  ): Promise<boolean>;
  /**
   * Records the outcome of a claimed attempt (`sent`, `retry`, `failed`, `skipped`), or gives up a stale claim as
   * `unconfirmed`: only if the delivery is still `sending` with this attempts count. False otherwise.
   */
  settleDelivery(delivery: NoticeDelivery): Promise<boolean>;
  /** Marks the batch closed (every delivery final); idempotent. */
  closeBatch(batchId: string, at: string): Promise<void>;
}

/** How many events one seal() chains at most (a DynamoDB transaction holds 100 writes: two per event, one head). */
export const AUDIT_SEAL_BATCH = 49;

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
  /**
   * Counts one reset mail to an account, in fixed windows like {@link countIp} (the window includes this one), so
   * that a mailbox cannot be flooded with reset links.
   */
  countResetMail(subject: PasswordLinkSubject, now: Date, windowSeconds: number): Promise<IpWindow>;
}

/** Everything a request may touch, bound to one tenant. */
export interface TenantScope {
  readonly tenantId: string;
  readonly tenant: TenantRepository;
  readonly customers: CustomerRepository;
  readonly contacts: ContactRepository;
  readonly documents: DocumentRepository;
  readonly documentStore: DocumentStore;
  readonly archiveStore: ArchiveStore;
  readonly branding: BrandingStore;
  readonly sessions: SessionRepository;
  readonly audit: AuditLog;
  readonly auditAnchors: AuditAnchorStore;
  readonly bankIdOrders: BankIdLoginOrderRepository;
  readonly ingestStore: IngestStore;
  readonly apiKeys: ApiKeyRepository;
  readonly idempotency: IdempotencyStore;
  readonly loginThrottle: LoginThrottle;
  readonly passwordLinks: PasswordLinkRepository;
  readonly admins: ClinicAdminRepository;
  readonly adminChallenges: AdminLoginChallengeRepository;
  /** Administrators' sessions: the same port as contacts' sessions, kept in the administrators' partitions. */
  readonly adminSessions: SessionRepository;
  /** Administrators' login throttling: the same rules, with account counters apart from the contacts'. */
  readonly adminLoginThrottle: LoginThrottle;
  readonly notifications: NotificationOutbox;
}

export type TenantScopeFactory = (tenantId: string) => TenantScope;

/** The part of a tenant's scope kept in the table: all that a job needing no bucket reaches (the notification sender). */
export type TenantTableScope = Omit<
  TenantScope,
  'documentStore' | 'archiveStore' | 'branding' | 'auditAnchors' | 'ingestStore'
>;

/** Maps the public host name a request arrived on to the clinic it belongs to (platform-level, not tenant data). */
export interface TenantDirectory {
  resolveHost(host: string): Promise<string | undefined>;
  registerHost(host: string, tenantId: string): Promise<void>;
  /** Every clinic that has a host, for platform jobs that visit each clinic in turn (the notification sender). */
  listTenants(): Promise<readonly string[]>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, storedHash: string): Promise<boolean>;
  /** Spends the time of a real verification, so unknown usernames cannot be told apart by timing. */
  verifyDummy(password: string): Promise<void>;
}

export interface SessionClaims {
  readonly tenantId: string;
  /** The contact's or the administrator's id. */
  readonly subjectId: string;
  readonly sessionId: string;
}

/**
 * Signed session tokens. Each kind of session is its own audience: a token issued for a contact never verifies as an
 * administrator's, and the other way round.
 */
export interface SessionTokens {
  issue(kind: SessionKind, claims: SessionClaims, expiresAt: Date): Promise<string>;
  /** The claims of a valid token of this kind, or undefined for any other (expired, forged, wrong alg or audience…). */
  verify(kind: SessionKind, token: string): Promise<SessionClaims | undefined>;
}

/**
 * Seals small secrets that the server must read again but the table must not reveal (administrators' TOTP secrets):
 * authenticated encryption under a key kept outside the table. `associatedData` binds a sealed value to its place
 * (e.g. clinic and administrator), so it cannot be copied to another record and opened there.
 */
export interface SecretCipher {
  seal(plaintext: Uint8Array, associatedData: string): Promise<string>;
  /** The plaintext; rejects if the sealed value was altered, sealed under another key or for other associated data. */
  open(sealed: string, associatedData: string): Promise<Uint8Array>;
}

/** RFC 6238 time-based one-time passwords (functions/domain/clinic-admin.ts TOTP_POLICY). */
export interface TotpAuthenticator {
  /** A new random secret of TOTP_POLICY.secretBytes. */
  newSecret(): Uint8Array;
  /** What an authenticator app is given: the `otpauth://` URI (for a QR code) and the secret in base32 (to type). */
  provisioning(secret: Uint8Array, account: { readonly issuer: string; readonly label: string }): TotpProvisioning;
  /** The time step at which `code` is valid within the accepted window around `now`, or undefined. */
  matchingStep(secret: Uint8Array, code: string, now: Date): number | undefined;
}

export interface TotpProvisioning {
  readonly uri: string;
  readonly base32Secret: string;
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
