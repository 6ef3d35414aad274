/**
 * The JSON shapes the contact-facing API answers with. Route handlers build them (typed against these
 * interfaces), and the frontend imports them as types (frontend/src/api.ts), so a change on one side that the
 * other does not follow fails the typecheck instead of a user's browser.
 */

import type { ClinicContactDetails, Theme } from '../domain/branding';
import type { LoginMethods } from '../domain/login-methods';

/** `{ error: { code, message, details? } }`: every error response. */
export interface ErrorResponse {
  readonly error: { readonly code: string; readonly message: string; readonly details?: Record<string, unknown> };
}

/** `GET /api/tenant`: the clinic serving this host, shown before login. */
export interface TenantResponse {
  readonly name: string;
  readonly supportText?: string;
  /**
   * The colours to draw the portal with (functions/domain/branding.ts): derived from the clinic's own so that every
   * pair meets WCAG 2.1 AA, never the raw ones; the neutral theme for a clinic without colours.
   */
  readonly theme: Theme;
  /** How to reach the clinic, for the footer; absent when the clinic gave none. */
  readonly contact?: ClinicContactDetails;
  /** Same-origin and versioned by a hash of the image (`/api/tenant/logo/<hash>`); absent without a logo. */
  readonly logoUrl?: string;
  /** How contacts may log in here (the clinic's choice); the login page shows only these. */
  readonly loginMethods: LoginMethods;
}

export interface ContactSummary {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

export interface CustomerSummary {
  readonly id: string;
  readonly name: string;
}

/** `POST /api/auth/login` and `GET /api/me`: who is logged in and which companies they may act for. */
export interface ProfileResponse {
  readonly contact: ContactSummary;
  readonly customers: readonly CustomerSummary[];
  readonly preferences: PreferencesResponse;
}

/** The portal's languages; also the language mails to the contact will use. */
export type LanguageCode = 'sv' | 'en';

/**
 * A contact's own choices; in `GET /api/me`, and the answer of `PATCH /api/me/preferences`, which takes any of the
 * fields (at least one) and leaves the others as they are.
 */
export interface PreferencesResponse {
  /** An e-mail with a link when a new invoice basis is published for one of the contact's companies. */
  readonly notifyOnNewDocument: boolean;
  readonly language: LanguageCode;
}

/** One live session of the logged-in contact. Devices and addresses are not recorded, so none are shown. */
export interface SessionSummary {
  /** Opaque; only for `DELETE /api/me/sessions/{sessionId}`. */
  readonly id: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  /** When it ends at the latest, however active it is. */
  readonly expiresAt: string;
  /** The session this request came through ("this device"). */
  readonly current: boolean;
}

/** `GET /api/me/sessions`: the current session first, then the others, most recently active first. */
export interface SessionListResponse {
  readonly sessions: readonly SessionSummary[];
}

/**
 * `POST /api/me/sessions/revoke-others` and `POST /api/me/sessions/revoke-all`: how many sessions ended. After
 * `revoke-all` the session cookie is deleted too.
 */
export interface SessionsRevokedResponse {
  readonly revokedSessions: number;
}

/** Who in the company fetched the document last (by name; other contacts' ids are not shown). */
export interface DownloadReceiptSummary {
  readonly at: string;
  readonly contactName: string;
}

/** One row of `GET /api/customers/{customerId}/documents`. */
export interface DocumentSummary {
  readonly id: string;
  readonly invoiceNumber: string;
  /** YYYY-MM-DD */
  readonly invoiceDate: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly description: string;
  /** Total including VAT, in öre. */
  readonly amount: number;
  readonly vatAmount: number;
  readonly currency: 'SEK';
  readonly documentType: string;
  /** When the document was published to the customer (ISO instant). */
  readonly sentAt: string;
  readonly downloaded: boolean;
  readonly lastDownload?: DownloadReceiptSummary;
}

/**
 * `GET /api/customers/{customerId}/documents`, query (all optional): `year` (YYYY) and/or `period` (YYYY-MM, the
 * invoice month) by invoice date; `status` (`new` | `downloaded`); `invoiceNumber` (exact; the one current
 * version, across all years unless other filters are given); `sort` (`newest` | `oldest`, by invoice date);
 * `limit` (1–100, default 50); `cursor`. A bad value is a 400 naming the parameter in `details.fields`.
 */
export interface DocumentPageResponse {
  readonly items: readonly DocumentSummary[];
  /**
   * Pass back as `cursor`, with the same filters and sort, for the next page (a cursor of another filter is a
   * 400); absent on the last page. With `status`, a page may hold fewer than `limit` rows (even none) and still
   * have a next cursor: one request reads a bounded part of the list.
   */
  readonly nextCursor?: string;
}

/** `GET /api/customers/{customerId}/document-years`: the invoice years that have documents, newest first. */
export interface DocumentYearsResponse {
  readonly years: readonly number[];
}

/** `POST /api/customers/{customerId}/documents/{documentId}/download`: a link valid ≤ 60 s. */
export interface DownloadLinkResponse {
  readonly url: string;
  readonly fileName: string;
  readonly expiresAt: string;
}

/**
 * `POST /api/customers/{customerId}/document-archives` with `{ "year": 2024 }` or `{ "documentIds": [...] }`: a
 * ZIP of the documents plus `manifest.json` (name, size and SHA-256 of every file), behind a link valid ≤ 60 s.
 */
export interface ArchiveLinkResponse extends DownloadLinkResponse {
  readonly documentCount: number;
  readonly sizeBytes: number;
}

/** A BankID message as BankID recommends it (RFA1…RFA23), in both languages; the frontend shows one. */
export interface BankIdMessage {
  readonly id: string;
  readonly sv: string;
  readonly en: string;
}

/** POST /api/auth/bankid */
export interface BankIdStartResponse {
  readonly loginId: string;
  readonly autoStartToken?: string;
  readonly qrData?: string;
  readonly message: BankIdMessage;
  readonly pollAfterMs: number;
}

export { BANKID_RETURN_PATH } from '../domain/bankid';

/** POST /api/auth/bankid/{loginId}/collect, body `{ returnNonce? }` (the nonce from the return URL, if any). */
export type BankIdProgressResponse =
  | { readonly status: 'pending'; readonly message: BankIdMessage; readonly qrData?: string }
  /**
   * A login on this device was approved in the app, but it completes only where the app sends the user back
   * (the return URL, with its nonce): a tab without the nonce — or somebody else's browser — waits here.
   */
  | { readonly status: 'awaiting_return' }
  | { readonly status: 'failed'; readonly message: BankIdMessage }
  | { readonly status: 'no_access' }
  | { readonly status: 'complete'; readonly profile: ProfileResponse };

/** `POST /api/auth/password-reset`: always 202 with this body, whether or not the address has an account. */
export interface PasswordResetRequestedResponse {
  /** How long a mailed link works, in minutes (the page says so). */
  readonly validMinutes: number;
}

/** `POST /api/auth/set-password`: the password is set; the login page is prefilled with the username. */
export interface PasswordSetResponse {
  readonly username: string;
}
