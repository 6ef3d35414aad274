/**
 * Typed client for the portal API on the same origin under /api. Every call rejects with an {@link ApiError} carrying
 * the HTTP status and the stable error code from the `{ error: { code, message } }` body.
 */

import type {
  ArchiveLinkResponse,
  BankIdMessage,
  BankIdProgressResponse,
  BankIdStartResponse,
  DocumentPageResponse,
  DocumentSummary,
  DocumentYearsResponse,
  DownloadLinkResponse,
  DownloadReceiptSummary,
  PasswordResetRequestedResponse,
  PasswordSetResponse,
  PreferencesResponse,
  ProfileResponse,
  SessionListResponse,
  SessionsRevokedResponse,
  TenantResponse,
} from '../../functions/http/api-contract';

/*
 * The response shapes come from the server's own contract (type-only imports: nothing of the server is bundled),
 * so the two cannot drift apart unnoticed.
 */
export type Tenant = TenantResponse;
/** Who is logged in and which customer companies they may act for. */
export type Session = ProfileResponse;
export type CustomerSummary = ProfileResponse['customers'][number];
export type DownloadReceipt = DownloadReceiptSummary;
export type { DocumentSummary };
export type DocumentPage = DocumentPageResponse;
export type DocumentYears = DocumentYearsResponse;
export type DownloadLink = DownloadLinkResponse;
export type ArchiveLink = ArchiveLinkResponse;
/** How a BankID login is started: a QR code for the app on another device, or the app on this device. */
export type BankIdMethod = 'qr' | 'autostart';
export type BankIdStart = BankIdStartResponse;
export type BankIdProgress = BankIdProgressResponse;
export type { BankIdMessage };
export type PasswordResetRequested = PasswordResetRequestedResponse;
export type PasswordSet = PasswordSetResponse;
export type Preferences = PreferencesResponse;
export type SessionSummary = SessionListResponse['sessions'][number];

/** Error codes the UI reacts to; the server may send others. */
export type KnownErrorCode =
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'validation_failed'
  | 'rate_limited'
  | 'not_found'
  | 'bankid_unavailable'
  | 'network_error'
  | 'invalid_response';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: KnownErrorCode | (string & {}),
    message: string,
    /** The error body's `details` (e.g. every reason a new password was rejected for). */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }

  /** The session is missing or has ended: the user has to log in again. */
  get isUnauthenticated(): boolean {
    return this.status === 401 && this.code !== 'invalid_credentials';
  }
}

export interface RequestOptions {
  /** Lets the request outlive the page (e.g. telling the server that a login was abandoned as the page closes). */
  readonly keepalive?: boolean;
}

export interface ListDocumentsOptions {
  readonly limit?: number;
  readonly cursor?: string;
  /** Invoice year, e.g. 2024. */
  readonly year?: number;
  /** Invoice month, YYYY-MM. */
  readonly period?: string;
  readonly status?: 'new' | 'downloaded';
  readonly sort?: 'newest' | 'oldest';
  /** Exact invoice number. */
  readonly invoiceNumber?: string;
}

export const api = {
  getTenant: (): Promise<Tenant> => request<Tenant>('GET', '/api/tenant'),

  /** The current session, or `null` when nobody is logged in. */
  async getSession(): Promise<Session | null> {
    try {
      return await request<Session>('GET', '/api/me');
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthenticated) {
        return null;
      }
      throw error;
    }
  },

  login: (username: string, password: string): Promise<Session> =>
    request<Session>('POST', '/api/auth/login', { username, password }),

  logout: (): Promise<void> => request<void>('POST', '/api/auth/logout'),

  /** Mails a reset link if the address has an account; the answer is the same either way. */
  requestPasswordReset: (email: string): Promise<PasswordResetRequested> =>
    request<PasswordResetRequested>('POST', '/api/auth/password-reset', { email }),

  /** Sets the password with the token from a mailed link; answers with the username to log in with. */
  setPassword: (token: string, newPassword: string): Promise<PasswordSet> =>
    request<PasswordSet>('POST', '/api/auth/set-password', { token, newPassword }),

  /** The logged-in contact's own account: the profile page. */
  me: {
    /** 400 `wrong_current_password` or `password_rejected` (with every reason); 409 `no_password` for BankID only. */
    changePassword: (currentPassword: string, newPassword: string): Promise<void> =>
      request<void>('POST', '/api/me/password', { currentPassword, newPassword }),
    /** Only the fields given change. */
    updatePreferences: (change: Partial<Preferences>): Promise<Preferences> =>
      request<Preferences>('PATCH', '/api/me/preferences', change),
    listSessions: async (): Promise<readonly SessionSummary[]> =>
      (await request<SessionListResponse>('GET', '/api/me/sessions')).sessions,
    endSession: (sessionId: string): Promise<void> =>
      request<void>('DELETE', `/api/me/sessions/${encodeURIComponent(sessionId)}`),
    endOtherSessions: (): Promise<SessionsRevokedResponse> =>
      request<SessionsRevokedResponse>('POST', '/api/me/sessions/revoke-others'),
    /** Ends this session too (the cookie is deleted): afterwards only the login page is left. */
    endAllSessions: (): Promise<SessionsRevokedResponse> =>
      request<SessionsRevokedResponse>('POST', '/api/me/sessions/revoke-all'),
  },

  /** BankID login: start an order, poll it every `pollAfterMs` while pending, or cancel it. */
  bankId: {
    start: (method: BankIdMethod): Promise<BankIdStart> => request<BankIdStart>('POST', '/api/auth/bankid', { method }),
    /** On `complete` the server has set the session cookie; `profile` is what the password login answers. */
    /** `returnNonce`: only on the page the BankID app sent the user back to (it completes a login on this device). */
    collect: (loginId: string, returnNonce?: string): Promise<BankIdProgress> =>
      request<BankIdProgress>(
        'POST',
        `/api/auth/bankid/${encodeURIComponent(loginId)}/collect`,
        returnNonce === undefined ? undefined : { returnNonce },
      ),
    cancel: (loginId: string, options: RequestOptions = {}): Promise<void> =>
      request<void>('POST', `/api/auth/bankid/${encodeURIComponent(loginId)}/cancel`, undefined, options),
  },

  listDocuments(customerId: string, options: ListDocumentsOptions = {}): Promise<DocumentPage> {
    const query = new URLSearchParams({ limit: String(options.limit ?? 50) });
    for (const name of ['cursor', 'year', 'period', 'status', 'sort', 'invoiceNumber'] as const) {
      const value = options[name];
      if (value !== undefined) {
        query.set(name, String(value));
      }
    }
    return request<DocumentPage>('GET', `/api/customers/${encodeURIComponent(customerId)}/documents?${query}`);
  },

  /** The invoice years that have documents, newest first. */
  listDocumentYears: (customerId: string): Promise<DocumentYears> =>
    request<DocumentYears>('GET', `/api/customers/${encodeURIComponent(customerId)}/document-years`),

  /** `inline` opens the PDF in the browser's viewer instead of saving it; both count as a download. */
  requestDownload: (
    customerId: string,
    documentId: string,
    disposition: 'attachment' | 'inline' = 'attachment',
  ): Promise<DownloadLink> =>
    request<DownloadLink>(
      'POST',
      `/api/customers/${encodeURIComponent(customerId)}/documents/${encodeURIComponent(documentId)}/download${
        disposition === 'inline' ? '?disposition=inline' : ''
      }`,
    ),

  /** A ZIP of a year's or a selection's documents, built on the server; answers with a link valid ≤ 60 s. */
  requestArchive: (
    customerId: string,
    selection: { readonly year: number } | { readonly documentIds: readonly string[] },
  ): Promise<ArchiveLink> =>
    request<ArchiveLink>('POST', `/api/customers/${encodeURIComponent(customerId)}/document-archives`, selection),
};

/** One JSON call to the API on this origin; the admin pages' client (frontend/src/admin/api.ts) uses it too. */
export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (options.keepalive) {
    init.keepalive = true;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : 'Network error');
  }

  if (response.status === 204) {
    return undefined as T;
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = errorBody(payload);
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? response.statusText,
      error?.details,
    );
  }
  if (payload === undefined) {
    throw new ApiError(response.status, 'invalid_response', 'The response was not JSON');
  }
  return payload as T;
}

function errorBody(
  payload: unknown,
): { code: string; message: string; details?: Readonly<Record<string, unknown>> } | undefined {
  if (typeof payload !== 'object' || payload === null || !('error' in payload)) {
    return undefined;
  }
  const error: unknown = payload.error;
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
  const details =
    'details' in error && typeof error.details === 'object' && error.details !== null
      ? (error.details as Readonly<Record<string, unknown>>)
      : undefined;
  if (code === undefined) {
    return undefined;
  }
  return details === undefined ? { code, message } : { code, message, details };
}
