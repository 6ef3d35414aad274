/**
 * Typed client for the administrators' API (`/api/admin/…`, functions/http/routes/admin-auth-routes.ts), on the
 * portal API's request function and error type (../api.ts).
 */
import type {
  AdminEnrolmentResponse,
  AdminPasswordStepResponse,
  AdminProfileResponse,
} from '../../../functions/http/admin-api-contract';
import type { PasswordSetResponse, TenantResponse } from '../../../functions/http/api-contract';
import { ApiError, request } from '../api';

export type AdminProfile = AdminProfileResponse;
export type PasswordStep = AdminPasswordStepResponse;
export type Enrolment = Extract<PasswordStep, { status: 'enrolment_required' }>['enrolment'];
export type EnrolledProfile = AdminEnrolmentResponse;
export { ApiError };

export const adminApi = {
  /** The clinic serving this host (its name for the header), before login. */
  getTenant: (): Promise<TenantResponse> => request<TenantResponse>('GET', '/api/tenant'),

  /** The administrator logged in, or `null` when nobody is. */
  async getSession(): Promise<AdminProfile | null> {
    try {
      return await request<AdminProfile>('GET', '/api/admin/me');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        return null;
      }
      throw error;
    }
  },

  passwordStep: (username: string, password: string): Promise<PasswordStep> =>
    request<PasswordStep>('POST', '/api/admin/auth/login', { username, password }),

  verifyCode: (challengeId: string, code: string): Promise<AdminProfile> =>
    request<AdminProfile>('POST', '/api/admin/auth/verify', { challengeId, code }),

  verifyRecoveryCode: (challengeId: string, recoveryCode: string): Promise<AdminProfile> =>
    request<AdminProfile>('POST', '/api/admin/auth/verify', { challengeId, recoveryCode }),

  enrol: (challengeId: string, code: string): Promise<EnrolledProfile> =>
    request<EnrolledProfile>('POST', '/api/admin/auth/enrol', { challengeId, code }),

  setPassword: (token: string, newPassword: string): Promise<PasswordSetResponse> =>
    request<PasswordSetResponse>('POST', '/api/admin/auth/set-password', { token, newPassword }),

  logout: (): Promise<void> => request<void>('POST', '/api/admin/auth/logout'),
};
