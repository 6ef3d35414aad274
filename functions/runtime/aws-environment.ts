/*
 * The Lambda environment, in a module of its own: every function's wiring reads it, and importing it brings in no
 * adapter (./aws.ts would bring the portal API's).
 */

/** The Lambda environment the API stack sets (lib/stacks/api-stack.ts). */
export interface AwsEnvironment {
  readonly AWS_REGION?: string | undefined;
  readonly TABLE_NAME?: string | undefined;
  readonly DOCUMENTS_BUCKET?: string | undefined;
  readonly AUDIT_ANCHOR_BUCKET?: string | undefined;
  /** Clinics on dedicated resources and where their data lives (functions/runtime/storage-routing.ts); `[]`: none. */
  readonly SILO_CLINICS?: string | undefined;
  readonly SESSION_SECRET_ARN?: string | undefined;
  readonly RENDER_QUEUE_URL?: string | undefined;
  /** The render queue's maxReceiveCount: the worker treats that delivery as the last. */
  readonly RENDER_MAX_RECEIVES?: string | undefined;
  /** The BankID RP credentials: JSON `{ pkcs12Base64, passphrase, caCertificatePem }`. Unset: no BankID (503). */
  readonly BANKID_SECRET_ARN?: string | undefined;
  /**
   * The key that seals administrators' TOTP secrets: the SHA-256 of its SecretString is the AES-256 key. Generated
   * by the data stack; never in the table.
   */
  readonly ADMIN_SECRETS_KEY_ARN?: string | undefined;
  /** The personal-number pepper (its SecretString's UTF-8 bytes, at least 32). Needed with BANKID_SECRET_ARN. */
  readonly PERSONAL_NUMBER_PEPPER_ARN?: string | undefined;
  /** `test` or `production` (BankID's environments). Needed with BANKID_SECRET_ARN. */
  readonly BANKID_ENVIRONMENT?: string | undefined;
  /**
   * For tests and staging only (e.g. the BankID simulator); the stacks never set it. An https URL used instead of
   * BANKID_ENVIRONMENT's base URL; the client still trusts only the CA in the BankID secret.
   */
  readonly BANKID_BASE_URL?: string | undefined;
  /** The verified SES sender address invitations and password resets come from. */
  readonly MAIL_FROM_ADDRESS?: string | undefined;
  /** The SES configuration set recording bounces and complaints (optional). */
  readonly MAIL_CONFIGURATION_SET?: string | undefined;
  /** The secret CloudFront sends in `x-origin-verify`; the API and ingest functions serve nothing without it. */
  readonly ORIGIN_SECRET_ARN?: string | undefined;
  /**
   * The tenant role (lib/stacks/api-stack.ts): every tenant's data is read and written with credentials of this
   * role, tagged with the tenant. Required by every function; the wiring refuses to start without it.
   */
  readonly TENANT_DATA_ROLE_ARN?: string | undefined;
}

export function required(env: AwsEnvironment, name: keyof AwsEnvironment): string {
  const value = env[name];
  if (!value) throw new Error(`The Lambda environment variable ${name} is not set.`);
  return value;
}
