/**
 * Typed client for the administrators' API (`/api/admin/…`, functions/http/routes/admin-auth-routes.ts), on the
 * portal API's request function and error type (../api.ts).
 */
import type {
  AdminApiKeyIssuedResponse,
  AdminApiKeySummary,
  AdminAuditPageResponse,
  AdminAuditVerificationResponse,
  AdminContactSummary,
  AdminContactUpdateRequest,
  AdminCustomerChoicesRequest,
  AdminCustomerSummary,
  AdminDocumentNoticesResponse,
  AdminDocumentPageResponse,
  AdminDocumentSummary,
  AdminEnrolmentResponse,
  AdminPasswordStepResponse,
  AdminProfileResponse,
  AdminRoleName,
  AdminSettingsResponse,
  AdminUserInvitedResponse,
  AdminUserSessionsEndedResponse,
  AdminUserSummary,
} from '../../../functions/http/admin-api-contract';
import type { PasswordSetResponse, TenantResponse } from '../../../functions/http/api-contract';
import { ApiError, call } from '../api';

export type AdminProfile = AdminProfileResponse;
export type PasswordStep = AdminPasswordStepResponse;
export type Enrolment = Extract<PasswordStep, { status: 'enrolment_required' }>['enrolment'];
export type EnrolledProfile = AdminEnrolmentResponse;
export type CustomerSummary = AdminCustomerSummary;
export type ContactSummary = AdminContactSummary;
export type AuditPage = AdminAuditPageResponse;
export type ApiKeySummary = AdminApiKeySummary;
export type Settings = AdminSettingsResponse;
export type IssuedApiKey = AdminApiKeyIssuedResponse;
export type AuditEventSummary = AdminAuditPageResponse['items'][number];
export type AuditVerification = AdminAuditVerificationResponse;
export type AdminUser = AdminUserSummary;
export type AdminRole = AdminRoleName;

/** The audit trail's filters, as the page and the CSV export take them (all optional). */
export interface AuditFilter {
  readonly from?: string;
  readonly to?: string;
  readonly action?: string;
  readonly customer?: string;
}

/** The filter as query parameters, empty ones left out. */
export function auditQuery(filter: AuditFilter): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined && value !== ''));
}
export type DocumentSummary = AdminDocumentSummary;
export type DocumentPage = AdminDocumentPageResponse;
export type DocumentNotices = AdminDocumentNoticesResponse;
export { ApiError };

export const adminApi = {
  /** The clinic serving this host (its name for the header), before login. */
  getTenant: (): Promise<TenantResponse> => call('GET', '/api/tenant'),

  /** The administrator logged in, or `null` when nobody is. */
  async getSession(): Promise<AdminProfile | null> {
    try {
      return await call('GET', '/api/admin/me');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        return null;
      }
      throw error;
    }
  },

  passwordStep: (username: string, password: string): Promise<PasswordStep> =>
    call('POST', '/api/admin/auth/login', { body: { username, password } }),

  verifyCode: (challengeId: string, code: string): Promise<AdminProfile> =>
    call('POST', '/api/admin/auth/verify', { body: { challengeId, code } }),

  verifyRecoveryCode: (challengeId: string, recoveryCode: string): Promise<AdminProfile> =>
    call('POST', '/api/admin/auth/verify', { body: { challengeId, recoveryCode } }),

  enrol: (challengeId: string, code: string): Promise<EnrolledProfile> =>
    call('POST', '/api/admin/auth/enrol', { body: { challengeId, code } }),

  setPassword: (token: string, newPassword: string): Promise<PasswordSetResponse> =>
    call('POST', '/api/admin/auth/set-password', { body: { token, newPassword } }),

  /** The clinic's customer companies, by name, with their portal access. */
  listCustomers: async (): Promise<readonly CustomerSummary[]> => (await call('GET', '/api/admin/customers')).customers,

  /** The clinic's choices about a customer: portal access, when new documents are shown, and which types. */
  changeCustomer: (customerId: string, choices: AdminCustomerChoicesRequest): Promise<CustomerSummary> =>
    call('PATCH', '/api/admin/customers/:customerId', { params: { customerId }, body: choices }),

  publishHeld: (customerId: string) =>
    call('POST', '/api/admin/customers/:customerId/documents/publish-held', { params: { customerId } }),

  /** The customer and a page of its documents in every state, newest first. */
  listDocuments: (
    customerId: string,
    options: {
      readonly cursor?: string;
      readonly notDownloaded?: boolean;
      readonly documentType?: DocumentSummary['documentType'];
    } = {},
  ): Promise<DocumentPage> =>
    call('GET', '/api/admin/customers/:customerId/documents', {
      params: { customerId },
      query: {
        ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
        ...(options.notDownloaded ? { notDownloaded: 'true' } : {}),
        ...(options.documentType === undefined ? {} : { documentType: options.documentType }),
      },
    }),

  setVisibility: (
    customerId: string,
    documentId: string,
    visibility: 'published' | 'hidden',
  ): Promise<DocumentSummary> =>
    call('PUT', '/api/admin/customers/:customerId/documents/:documentId/visibility', {
      params: { customerId, documentId },
      body: { visibility },
    }),

  /** Final: the document is gone from the contacts for good; the reason is kept. */
  withdraw: (customerId: string, documentId: string, reason: string): Promise<DocumentSummary> =>
    call('POST', '/api/admin/customers/:customerId/documents/:documentId/withdraw', {
      params: { customerId, documentId },
      body: { reason },
    }),

  listDownloads: async (customerId: string, documentId: string) =>
    (
      await call('GET', '/api/admin/customers/:customerId/documents/:documentId/downloads', {
        params: { customerId, documentId },
      })
    ).downloads,

  /** Who was told of the document by e-mail, batch by batch, and how each mail went. */
  listNotices: (customerId: string, documentId: string): Promise<DocumentNotices> =>
    call('GET', '/api/admin/customers/:customerId/documents/:documentId/notifications', {
      params: { customerId, documentId },
    }),

  /** Sends the notice again at once to the contacts who want it now; 409 when there is nothing to send. */
  resendNotice: (customerId: string, documentId: string): Promise<DocumentNotices> =>
    call('POST', '/api/admin/customers/:customerId/documents/:documentId/notifications', {
      params: { customerId, documentId },
    }),

  listContacts: async (customerId: string): Promise<readonly ContactSummary[]> =>
    (await call('GET', '/api/admin/customers/:customerId/contacts', { params: { customerId } })).contacts,

  /** 400 names the offending field; 409 `email_in_use` / `personal_number_in_use`. */
  addContact: (contact: {
    readonly customerId: string;
    readonly name: string;
    readonly email: string;
    readonly personalNumber?: string;
  }): Promise<ContactSummary> => call('POST', '/api/admin/contacts', { body: contact }),

  /**
   * Only what is given changes; `personalNumber: null` removes it, `customerIds` is the whole new set. 400 names the
   * offending field, 404 an unknown customer, 409 `email_in_use` / `personal_number_in_use`.
   */
  editContact: (contactId: string, change: AdminContactUpdateRequest): Promise<ContactSummary> =>
    call('PATCH', '/api/admin/contacts/:contactId', { params: { contactId }, body: change }),

  /** Mails a new set-password link (also again: the newest link is the only one that works). */
  inviteContact: (contactId: string) =>
    call('POST', '/api/admin/contacts/:contactId/invitation', { params: { contactId } }),

  deactivateContact: (contactId: string): Promise<ContactSummary> =>
    call('POST', '/api/admin/contacts/:contactId/deactivate', { params: { contactId } }),

  listAudit: (filter: AuditFilter, cursor?: string): Promise<AuditPage> =>
    call('GET', '/api/admin/audit', { query: { ...auditQuery(filter), ...(cursor ? { cursor } : {}) } }),

  /** Chains new events, then checks the whole chain. */
  verifyAudit: (): Promise<AuditVerification> => call('POST', '/api/admin/audit/verification'),

  listApiKeys: async (): Promise<readonly ApiKeySummary[]> => (await call('GET', '/api/admin/api-keys')).keys,
  createApiKey: (name: string): Promise<IssuedApiKey> => call('POST', '/api/admin/api-keys', { body: { name } }),
  /** A replacement key; the old one keeps working for 24 hours. */
  rotateApiKey: (keyId: string): Promise<IssuedApiKey> =>
    call('POST', '/api/admin/api-keys/:keyId/rotate', { params: { keyId } }),
  revokeApiKey: (keyId: string): Promise<ApiKeySummary> =>
    call('POST', '/api/admin/api-keys/:keyId/revoke', { params: { keyId } }),

  getSettings: (): Promise<Settings> => call('GET', '/api/admin/settings'),
  /** Fields left out stay; `null` clears an optional one. 400 names each offending field. */
  saveSettings: (change: Record<string, unknown>): Promise<Settings> =>
    call('PUT', '/api/admin/settings', { body: change }),

  /** The clinic's administrators, by name. */
  listAdmins: async (): Promise<readonly AdminUser[]> => (await call('GET', '/api/admin/admins')).admins,
  /** 400 names the offending field; 409 `admin_exists`. */
  inviteAdmin: (admin: {
    readonly name: string;
    readonly email: string;
    readonly role: AdminRole;
  }): Promise<AdminUserInvitedResponse> => call('POST', '/api/admin/admins', { body: admin }),
  reinviteAdmin: (adminId: string) => call('POST', '/api/admin/admins/:adminId/invitation', { params: { adminId } }),
  /** 409 `own_account` or `last_admin` when the guard rails refuse it. */
  changeAdminRole: (adminId: string, role: AdminRole): Promise<AdminUser> =>
    call('PUT', '/api/admin/admins/:adminId/role', { params: { adminId }, body: { role } }),
  deactivateAdmin: (adminId: string): Promise<AdminUserSessionsEndedResponse> =>
    call('POST', '/api/admin/admins/:adminId/deactivate', { params: { adminId } }),
  resetAdminTotp: (adminId: string): Promise<AdminUserSessionsEndedResponse> =>
    call('POST', '/api/admin/admins/:adminId/totp-reset', { params: { adminId } }),

  /** The file as it is, under its own type: 413, 415 or 400 name what is wrong with it. */
  uploadLogo: (file: Blob): Promise<Settings> => call('PUT', '/api/admin/settings/logo', { body: file }),

  removeLogo: (): Promise<Settings> => call('DELETE', '/api/admin/settings/logo'),

  logout: async (): Promise<void> => {
    await call('POST', '/api/admin/auth/logout');
  },
};
