import type { AuditAction } from '../domain/audit-actions';
import type { ChainBreak } from '../domain/audit-trail';
import type { Theme } from '../domain/branding';
import type { DocumentType } from '../domain/invoice-basis';

/**
 * The JSON shapes of the administrators' API (`/api/admin/…`), shared with the admin pages (frontend/src/admin/) as
 * types, like ./api-contract.ts is for the contacts' API.
 */

/**
 * What an administrator may do: `admin` everything, `read-only` see everything and change nothing but their own
 * account (every other write answers 403 `read_only`).
 */
export type AdminRoleName = 'admin' | 'read-only';

/** The administrator logged in, and their clinic. */
export interface AdminProfileResponse {
  readonly admin: { readonly id: string; readonly name: string; readonly email: string; readonly role: AdminRoleName };
  readonly clinic: { readonly name: string };
}

/**
 * `POST /api/admin/auth/login`: the password was right; the login goes on with a code (`totp_required`) or, the first
 * time, by adding an authenticator (`enrolment_required`). Never a session.
 */
export type AdminPasswordStepResponse =
  | { readonly status: 'totp_required'; readonly challengeId: string; readonly expiresAt: string }
  | {
      readonly status: 'enrolment_required';
      readonly challengeId: string;
      readonly expiresAt: string;
      readonly enrolment: {
        /** `otpauth://totp/…`: what the QR code holds. */
        readonly otpauthUri: string;
        /** The same secret in base32, for typing it into the app. */
        readonly secret: string;
      };
    };

/** `POST /api/admin/auth/enrol`: logged in; the recovery codes are shown this once. */
export interface AdminEnrolmentResponse extends AdminProfileResponse {
  readonly recoveryCodes: readonly string[];
}

/** `POST /api/admin/me/recovery-codes`: new recovery codes (the old ones no longer work), shown this once. */
export interface AdminRecoveryCodesResponse {
  readonly recoveryCodes: readonly string[];
}

/** One customer company in the clinic's list (`GET /api/admin/customers`, by name). */
export interface AdminCustomerSummary {
  readonly id: string;
  readonly name: string;
  readonly customerNumber: string;
  readonly orgNumber: string;
  /** Whether the company's contacts can log in to see its documents. */
  readonly portalAccess: boolean;
  /** New invoice bases are shown when ready (`automatic`) or wait for the clinic's approval (`approval`). */
  readonly publishing: 'automatic' | 'approval';
  /** The document types the company's contacts are shown (at least one; every type unless the clinic chose). */
  readonly shownDocumentTypes: readonly DocumentType[];
}

/** `PATCH /api/admin/customers/{customerId}`: the clinic's choices; give at least one. */
export interface AdminCustomerChoicesRequest {
  readonly portalAccess?: boolean;
  readonly publishing?: 'automatic' | 'approval';
  /** At least one type (400 for none: turning portal access off is how to show nothing). */
  readonly shownDocumentTypes?: readonly DocumentType[];
}

export interface AdminCustomerListResponse {
  readonly customers: readonly AdminCustomerSummary[];
}

/** What contacts see of a document: shown, waiting for the clinic's approval, hidden, or final states. */
export type AdminDocumentVisibility = 'published' | 'held' | 'hidden' | 'withdrawn' | 'superseded';

/** One document of a customer as the clinic sees it (`GET /api/admin/customers/{customerId}/documents`). */
export interface AdminDocumentSummary {
  readonly id: string;
  readonly invoiceNumber: string;
  readonly version: number;
  readonly invoiceDate: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly description: string;
  /** Total including VAT, in öre. */
  readonly amount: number;
  readonly documentType: DocumentType;
  /** False when the customer's contacts are not shown documents of this type (the clinic's choice per customer). */
  readonly typeShownToContacts: boolean;
  /** received | rendering | awaiting_upload | ready | failed */
  readonly status: string;
  readonly visibility: AdminDocumentVisibility;
  /** Whether contacts see it now: ready, published and of a type shown to them. */
  readonly visibleToContacts: boolean;
  readonly sentAt?: string;
  /** SHA-256 of the PDF, once it is ready. */
  readonly contentSha256?: string;
  readonly firstDownload?: { readonly at: string; readonly contactName: string };
  readonly lastDownload?: { readonly at: string; readonly contactName: string };
  readonly withdrawal?: { readonly at: string; readonly reason: string };
}

/** Newest invoice date first; pass `nextCursor` back as `cursor` for the next page. */
export interface AdminDocumentPageResponse {
  readonly customer: AdminCustomerSummary;
  readonly items: readonly AdminDocumentSummary[];
  readonly nextCursor?: string;
}

/** `GET …/documents/{documentId}/downloads`: who in the company fetched it, newest first. */
export interface AdminDocumentDownloadsResponse {
  readonly downloads: readonly { readonly at: string; readonly contactName: string }[];
}

/** One recipient's notice of a batch: where it stands (functions/domain/notifications.ts DeliveryState). */
export interface AdminNoticeDelivery {
  readonly contactId: string;
  /** Empty if the contact no longer exists. */
  readonly contactName: string;
  readonly state: 'pending' | 'sending' | 'retry' | 'sent' | 'failed' | 'unconfirmed' | 'skipped';
  readonly attempts: number;
  readonly updatedAt?: string;
  readonly reason?: string;
}

/** A mail batch that told of the document: its first publication, or a resend an administrator asked for. */
export interface AdminNoticeBatch {
  readonly id: string;
  readonly reason: 'published' | 'resent';
  readonly createdAt: string;
  readonly closedAt?: string;
  /** How many documents the batch's mail told of (this one among them). */
  readonly documentCount: number;
  readonly deliveries: readonly AdminNoticeDelivery[];
}

/** `GET /api/admin/customers/:c/documents/:d/notifications`: who was told of the document, and how it went. */
export interface AdminDocumentNoticesResponse {
  /** Queued, waiting for its batch (the quiet period after a run of publications). */
  readonly waiting: boolean;
  readonly batches: readonly AdminNoticeBatch[];
}

/** A contact person of a customer company, as the clinic sees them. Never the personal number, only its mask. */
export interface AdminContactSummary {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly status: 'active' | 'deactivated';
  /** `YYYYMMDD-****` when the contact can log in with BankID. */
  readonly maskedPersonalNumber?: string;
  /** Every customer company the contact belongs to (this clinic's), by name. */
  readonly customers: readonly { readonly id: string; readonly name: string }[];
}

/**
 * `PATCH /api/admin/contacts/{contactId}`: what changes (left out: unchanged). `personalNumber: null` removes the
 * BankID login; `customerIds` is the whole new set of the contact's companies (at least one). Answers with the
 * contact as changed.
 */
export interface AdminContactUpdateRequest {
  readonly name?: string;
  readonly email?: string;
  readonly personalNumber?: string | null;
  readonly customerIds?: readonly string[];
}

/** `GET /api/admin/customers/{customerId}/contacts`, by name. */
export interface AdminContactListResponse {
  readonly contacts: readonly AdminContactSummary[];
}

/** `POST /api/admin/contacts/{contactId}/invitation`: a single-use set-password link was mailed. */
export interface AdminInvitationResponse {
  readonly sentTo: string;
  readonly expiresAt: string;
}

/** One event of the clinic's audit trail (`GET /api/admin/audit`). */
export interface AdminAuditEventSummary {
  readonly id: string;
  /** ISO instant, UTC. */
  readonly at: string;
  readonly action: AuditAction;
  readonly outcome: 'success' | 'failure';
  /** Who: its type, its id, and its name where the portal knows it (a contact, an administrator). */
  readonly actor: { readonly type: string; readonly id?: string; readonly name?: string };
  readonly customerId?: string;
  readonly customerName?: string;
  readonly documentId?: string;
  /** The invoice number of the document concerned, while the document exists. */
  readonly invoiceNumber?: string;
  /** The person the event concerns besides its actor (a contact deactivated, a notice's recipient), while they exist. */
  readonly subjectName?: string;
  readonly sourceIp?: string;
  readonly details?: Readonly<Record<string, string | number>>;
}

/**
 * `GET /api/admin/audit?from=YYYY-MM-DD&to=YYYY-MM-DD` (both days inclusive, at most a year; default the last 30
 * days) with optional `action`, `actor`, `customer`, `document`, `cursor`; newest first. `GET /api/admin/audit.csv`
 * takes the same filters and answers the whole span as a CSV file.
 */
export interface AdminAuditPageResponse {
  readonly items: readonly AdminAuditEventSummary[];
  readonly nextCursor?: string;
}

/** `POST /api/admin/audit/verification`: new events chained, then the whole chain checked. */
export interface AdminAuditVerificationResponse {
  readonly intact: boolean;
  readonly verified: number;
  readonly chainedNow: number;
  /**
   * The index of the latest anchored event the chain passed through: events 1 to it are pinned in write-once storage
   * (the audit sealer anchors every 5 minutes). Absent before the first anchor.
   */
  readonly anchoredUpTo?: number;
  /** The first event that does not fit, when the trail was tampered with. */
  readonly broken?: { readonly index: number; readonly eventId?: string; readonly reason: ChainBreak };
}

/** `POST /api/admin/customers/{customerId}/documents/publish-held`: how many held documents were published. */
export interface AdminPublishHeldResponse {
  readonly published: number;
}

/** One ingest API key of the clinic (`GET /api/admin/api-keys`): never the key itself, only how to recognise it. */
export interface AdminApiKeySummary {
  readonly id: string;
  readonly name: string;
  /** The start of the key text (`fpk_…`), to tell keys apart. */
  readonly displayPrefix: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastUsedAt?: string;
  /** `active`; `expiring` after a rotation (works until `expiresAt`); `expired`; `revoked`. */
  readonly state: 'active' | 'expiring' | 'expired' | 'revoked';
  readonly expiresAt?: string;
  readonly revokedAt?: string;
}

export interface AdminApiKeyListResponse {
  readonly keys: readonly AdminApiKeySummary[];
}

/** A new key (created or the replacement of a rotation): `secret` is shown this once and never again. */
export interface AdminApiKeyIssuedResponse {
  readonly key: AdminApiKeySummary;
  readonly secret: string;
}

/**
 * `GET /api/admin/settings`, and the answer of `PUT /api/admin/settings`, which takes any of `name`, `supportText`,
 * `branding`, `sessionTimeouts`, `loginMethods`, `defaultPublishing` (a field left out stays; `null` clears an
 * optional one); also the answer of `PUT /api/admin/settings/logo` (the body is the PNG or JPEG itself) and
 * `DELETE /api/admin/settings/logo`.
 */
export interface AdminSettingsResponse {
  readonly name: string;
  readonly supportText?: string;
  readonly branding?: {
    readonly primaryColor?: string;
    readonly accentColor?: string;
    readonly contact?: { readonly phone?: string; readonly email?: string; readonly openingHours?: string };
  };
  readonly sessionTimeouts?: { readonly idleMinutes?: number; readonly absoluteHours?: number };
  /** The colours contacts see, derived from the clinic's so that every pair meets WCAG 2.1 AA. */
  readonly theme: Theme;
  /** The primary colour was too light or dark to use as it is; the portal shows an adjusted one. */
  readonly primaryAdjusted: boolean;
  /** The logo as the portal serves it (`url`, same-origin), absent without one. */
  readonly logo?: {
    readonly url: string;
    readonly mimeType: 'image/png' | 'image/jpeg';
    readonly sizeBytes: number;
    readonly width: number;
    readonly height: number;
  };
  /** How contacts may log in; at least one is on. */
  readonly loginMethods: { readonly bankId: boolean; readonly password: boolean };
  /** The publishing rule a customer gets when the practice system creates it. */
  readonly defaultPublishing: 'automatic' | 'approval';
}

/** One administrator of the clinic (`GET /api/admin/admins`). Never a hash or a secret: the authenticator's state only. */
export interface AdminUserSummary {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: AdminRoleName;
  readonly status: 'active' | 'deactivated';
  /** `none`: enrols at the next login (new, or reset); `pending`: enrolment begun; `enrolled`. */
  readonly totp: 'none' | 'pending' | 'enrolled';
  readonly createdAt: string;
  /** Whether this is the administrator asking (who cannot change their own role or status here). */
  readonly self: boolean;
}

/** `GET /api/admin/admins`, by name. */
export interface AdminUserListResponse {
  readonly admins: readonly AdminUserSummary[];
}

/** `POST /api/admin/admins`: the new administrator, and the invitation mailed to them. */
export interface AdminUserInvitedResponse {
  readonly admin: AdminUserSummary;
  readonly invitation: AdminInvitationResponse;
}

/** `POST /api/admin/admins/{adminId}/deactivate` and `…/totp-reset`: the administrator, and how many sessions ended. */
export interface AdminUserSessionsEndedResponse {
  readonly admin: AdminUserSummary;
  readonly revokedSessions: number;
}
