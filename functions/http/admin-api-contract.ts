/**
 * The JSON shapes of the administrators' API (`/api/admin/…`), shared with the admin pages (frontend/src/admin/) as
 * types, like ./api-contract.ts is for the contacts' API.
 */

/** The administrator logged in, and their clinic. */
export interface AdminProfileResponse {
  readonly admin: { readonly id: string; readonly name: string; readonly email: string };
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
