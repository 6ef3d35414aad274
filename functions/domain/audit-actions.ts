/**
 * Every kind of audit event the portal writes. One list, so that a new kind cannot be written without being named
 * here, and the admin pages' catalogue (frontend/src/i18n/admin-sv.ts, typed by {@link AuditAction}) cannot miss a
 * name for it: the typechecker refuses both.
 */
export const AUDIT_ACTIONS = [
  'login.password',
  'login.bankid',
  'session.revoked',
  'password.set',
  'password.changed',
  'password.reset_requested',
  'admin.login.password',
  'admin.login.totp',
  'admin.totp.enrolled',
  'admin.recovery_code.used',
  'admin.recovery_codes.regenerated',
  'admin.created',
  'admin.invited',
  'admin.deactivated',
  'admin.role_changed',
  'admin.totp.reset',
  'document.received',
  'document.ready',
  'document.published',
  'document.superseded',
  'document.withdrawn',
  'document.render_failed',
  'document.visibility_changed',
  'document.downloaded',
  'customer.created',
  'customer.updated',
  'customer.access_granted',
  'customer.access_revoked',
  'customer.publishing_changed',
  'customer.document_types_changed',
  'contact.created',
  'contact.updated',
  'contact.invited',
  'contact.deactivated',
  'api_key.created',
  'api_key.rotated',
  'api_key.revoked',
  'api_key.rejected',
  'settings.changed',
  'notification.sent',
  'notification.failed',
  'notification.unconfirmed',
  'notification.skipped',
  'notification.resend_requested',
  'audit.exported',
  'clinic.provisioned',
  'clinic.disabled',
  'clinic.enabled',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
