/**
 * The JSON shapes the contact-facing API answers with. Route handlers build them (typed against these
 * interfaces), and the frontend imports them as types (frontend/src/api.ts), so a change on one side that the
 * other does not follow fails the typecheck instead of a user's browser.
 */

/** `{ error: { code, message, details? } }`: every error response. */
export interface ErrorResponse {
  readonly error: { readonly code: string; readonly message: string; readonly details?: Record<string, unknown> };
}

/** `GET /api/tenant`: the clinic serving this host, shown before login. */
export interface TenantResponse {
  readonly name: string;
  readonly supportText?: string;
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

export interface DocumentPageResponse {
  readonly items: readonly DocumentSummary[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

/** `POST /api/customers/{customerId}/documents/{documentId}/download`: a link valid ≤ 60 s. */
export interface DownloadLinkResponse {
  readonly url: string;
  readonly fileName: string;
  readonly expiresAt: string;
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
