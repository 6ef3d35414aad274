/** A clinic (SaaS tenant). Branding and settings grow with the admin issue. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly orgNumber: string;
  readonly addressLines: readonly string[];
  readonly supportText?: string;
}

/** A customer company of a clinic. */
export interface Customer {
  readonly id: string;
  readonly customerNumber: string;
  readonly name: string;
  readonly orgNumber: string;
  readonly addressLines: readonly string[];
  readonly reference?: string;
  readonly portalAccess: boolean;
}

export type ContactStatus = 'active' | 'deactivated';

/** A person at one or more customer companies who may log in. */
export interface Contact {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly status: ContactStatus;
}

/** The contact's link to a customer company; a contact may belong to several. */
export interface Membership {
  readonly contactId: string;
  readonly customerId: string;
  readonly customerName: string;
}

/** A login identity namespaced by method, resolving to a contact. BankID identities come with the auth issue. */
export interface PasswordIdentity {
  readonly username: string;
  readonly contactId: string;
  readonly passwordHash: string;
}

/** A server-side session record: what makes logout and deactivation effective immediately. */
export interface Session {
  readonly id: string;
  readonly contactId: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly revoked: boolean;
}

/** Who did something, for the audit trail. */
export type Actor =
  | { readonly type: 'contact'; readonly id: string }
  | { readonly type: 'anonymous' }
  | { readonly type: 'system'; readonly id: string };

/** One append-only audit event. Never holds document contents or personal numbers. */
export interface AuditEvent {
  readonly id: string;
  readonly at: string;
  readonly action: string;
  readonly actor: Actor;
  readonly customerId?: string;
  readonly documentId?: string;
  readonly sourceIp?: string;
  readonly outcome: 'success' | 'failure';
}
