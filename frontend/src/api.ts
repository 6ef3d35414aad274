/**
 * Typed client for the portal API on the same origin under /api. Every call rejects with an {@link ApiError} carrying
 * the HTTP status and the stable error code from the `{ error: { code, message } }` body.
 */

import type { ExtractSchema } from 'hono/types';
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
import type { PortalApp } from '../../functions/http/create-app';

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
  /** The platform operator has closed the clinic's portal (npm run tenant -- disable). */
  | 'clinic_disabled'
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
  getTenant: (): Promise<Tenant> => call('GET', '/api/tenant'),

  /** The current session, or `null` when nobody is logged in. */
  async getSession(): Promise<Session | null> {
    try {
      return await call('GET', '/api/me');
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthenticated) {
        return null;
      }
      throw error;
    }
  },

  login: (username: string, password: string): Promise<Session> =>
    call('POST', '/api/auth/login', { body: { username, password } }),

  logout: (): Promise<void> => noContent(call('POST', '/api/auth/logout')),

  /** Mails a reset link if the address has an account; the answer is the same either way. */
  requestPasswordReset: (email: string): Promise<PasswordResetRequested> =>
    call('POST', '/api/auth/password-reset', { body: { email } }),

  /** Sets the password with the token from a mailed link; answers with the username to log in with. */
  setPassword: (token: string, newPassword: string): Promise<PasswordSet> =>
    call('POST', '/api/auth/set-password', { body: { token, newPassword } }),

  /** The logged-in contact's own account: the profile page. */
  me: {
    /** 400 `wrong_current_password` or `password_rejected` (with every reason); 409 `no_password` for BankID only. */
    changePassword: (currentPassword: string, newPassword: string): Promise<void> =>
      noContent(call('POST', '/api/me/password', { body: { currentPassword, newPassword } })),
    /** Only the fields given change. */
    updatePreferences: (change: Partial<Preferences>): Promise<Preferences> =>
      call('PATCH', '/api/me/preferences', { body: change }),
    listSessions: async (): Promise<readonly SessionSummary[]> => (await call('GET', '/api/me/sessions')).sessions,
    endSession: (sessionId: string): Promise<void> =>
      noContent(call('DELETE', '/api/me/sessions/:sessionId', { params: { sessionId } })),
    endOtherSessions: (): Promise<SessionsRevokedResponse> => call('POST', '/api/me/sessions/revoke-others'),
    /** Ends this session too (the cookie is deleted): afterwards only the login page is left. */
    endAllSessions: (): Promise<SessionsRevokedResponse> => call('POST', '/api/me/sessions/revoke-all'),
  },

  /** BankID login: start an order, poll it every `pollAfterMs` while pending, or cancel it. */
  bankId: {
    start: (method: BankIdMethod): Promise<BankIdStart> => call('POST', '/api/auth/bankid', { body: { method } }),
    /** On `complete` the server has set the session cookie; `profile` is what the password login answers. */
    /** `returnNonce`: only on the page the BankID app sent the user back to (it completes a login on this device). */
    collect: (loginId: string, returnNonce?: string): Promise<BankIdProgress> =>
      call('POST', '/api/auth/bankid/:loginId/collect', {
        params: { loginId },
        ...(returnNonce === undefined ? {} : { body: { returnNonce } }),
      }),
    cancel: (loginId: string, options: RequestOptions = {}): Promise<void> =>
      noContent(call('POST', '/api/auth/bankid/:loginId/cancel', { params: { loginId } }, options)),
  },

  listDocuments(customerId: string, options: ListDocumentsOptions = {}): Promise<DocumentPage> {
    const query: Record<string, string> = { limit: String(options.limit ?? 50) };
    for (const name of ['cursor', 'year', 'period', 'status', 'sort', 'invoiceNumber'] as const) {
      const value = options[name];
      if (value !== undefined) {
        query[name] = String(value);
      }
    }
    return call('GET', '/api/customers/:customerId/documents', { params: { customerId }, query });
  },

  /** The invoice years that have documents, newest first. */
  listDocumentYears: (customerId: string): Promise<DocumentYears> =>
    call('GET', '/api/customers/:customerId/document-years', { params: { customerId } }),

  /** `inline` opens the PDF in the browser's viewer instead of saving it; both count as a download. */
  requestDownload: (
    customerId: string,
    documentId: string,
    disposition: 'attachment' | 'inline' = 'attachment',
  ): Promise<DownloadLink> =>
    call('POST', '/api/customers/:customerId/documents/:documentId/download', {
      params: { customerId, documentId },
      ...(disposition === 'inline' ? { query: { disposition } } : {}),
    }),

  /** A ZIP of a year's or a selection's documents, built on the server; answers with a link valid ≤ 60 s. */
  requestArchive: (
    customerId: string,
    selection: { readonly year: number } | { readonly documentIds: readonly string[] },
  ): Promise<ArchiveLink> =>
    call('POST', '/api/customers/:customerId/document-archives', { params: { customerId }, body: selection }),
};

/*
 * The routes, read from the server's own Hono app type (functions/http/create-app.ts): every path template, its
 * methods, its path parameters and what it answers. A call to a path or method the server does not serve, a
 * parameter it does not take or a response read as something it is not fails the typecheck, not a user's browser.
 */
type Routes = ExtractSchema<PortalApp>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** A path template of the API and a method it serves, e.g. `'/api/me/sessions/:sessionId'` and `'DELETE'`. */
type RoutePath<M extends Method> = {
  [P in keyof Routes & string]: `$${Lowercase<M>}` extends keyof Routes[P] ? P : never;
}[keyof Routes & string];
type Endpoint<M extends Method, P extends RoutePath<M>> = Routes[P][`$${Lowercase<M>}` & keyof Routes[P]];
/** The route's answer as the client receives it (`null` for 204); errors arrive as {@link ApiError} instead. */
type ResponseOf<M extends Method, P extends RoutePath<M>> =
  Endpoint<M, P> extends { readonly output: infer O } ? O : never;
type ParamsOf<M extends Method, P extends RoutePath<M>> =
  Endpoint<M, P> extends {
    readonly input: { readonly param: infer Params };
  }
    ? { readonly params: Params }
    : { readonly params?: never };

/**
 * What goes with a call besides its path: the path's parameters (required where it has some), query and body (sent
 * as JSON, or as it is for a Blob).
 */
type CallInput<M extends Method, P extends RoutePath<M>> = ParamsOf<M, P> & {
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
};

/** A route with path parameters needs its input; one without may be called with none. */
type CallArguments<M extends Method, P extends RoutePath<M>> =
  Endpoint<M, P> extends {
    readonly input: { readonly param: unknown };
  }
    ? [input: CallInput<M, P>, options?: RequestOptions]
    : [input?: CallInput<M, P>, options?: RequestOptions];

/**
 * One call to the API on this origin, by the route's path template: `:name` segments are filled from `params`
 * (URL-encoded). The admin pages' client (frontend/src/admin/api.ts) uses it too.
 */
export function call<M extends Method, P extends RoutePath<M>>(
  method: M,
  path: P,
  ...[input, options]: CallArguments<M, P>
): Promise<ResponseOf<M, P>> {
  // Path parameters are strings in every route (Hono's own typing of `:name`).
  const params = (input?.params ?? {}) as Readonly<Record<string, string>>;
  const filled = path.replace(/:(\w+)/gu, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for the path parameter ${name} of ${path}`);
    return encodeURIComponent(value);
  });
  const query = input?.query && Object.keys(input.query).length > 0 ? `?${new URLSearchParams(input.query)}` : '';
  return request(method, `${filled}${query}`, input?.body, options);
}

/** For routes that answer 204: the caller wants to know that it worked, not the `null` body. */
async function noContent(answer: Promise<null>): Promise<void> {
  await answer;
}

async function request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (options.keepalive) {
    init.keepalive = true;
  }
  if (body instanceof Blob) {
    // A file goes as it is, under its own type (the logo upload); the server checks what it really is.
    headers['Content-Type'] = body.type;
    init.body = body;
  } else if (body !== undefined) {
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
