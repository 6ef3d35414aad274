import type { AuditAction } from './audit-actions';
import type { TenantBranding } from './branding';
import { ForbiddenError } from './errors';
import { DOCUMENT_TYPES, type DocumentType } from './invoice-basis';
import type { LoginMethods } from './login-methods';
import type { StoredLogo } from './logo';
import type { SessionTimeoutSetting } from './session-policy';

/** A clinic (SaaS tenant). Its settings grow with the admin issue. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly orgNumber: string;
  readonly addressLines: readonly string[];
  readonly supportText?: string;
  /**
   * Printed on rendered documents and shown in the portal's header; checked when uploaded (./logo.ts). The record
   * names it; the bytes are in the branding store (TenantScope.branding), too big for this item.
   */
  readonly logo?: StoredLogo;
  /** Colours and contact details (./branding.ts); the neutral theme applies when absent. */
  readonly branding?: TenantBranding;
  /** The clinic's own session timeouts, within bounds (./session-policy.ts); the defaults apply when absent. */
  readonly sessionTimeouts?: SessionTimeoutSetting;
  /** How contacts may log in (./login-methods.ts); both BankID and password when absent. */
  readonly loginMethods?: LoginMethods;
  /**
   * The publishing rule a customer gets when the practice system creates it; `automatic` when absent. Existing
   * customers keep their own (Customer.publishing).
   */
  readonly defaultPublishing?: PublishingRule;
  /**
   * The portal's public address (scheme and host, e.g. `https://halsan.foretagsportal.se`), set when the clinic is
   * provisioned. Mails sent in answer to a request link to the request's own origin; mails sent by a background job
   * (notifications of new documents) have no request, and link here.
   */
  readonly portalOrigin?: string;
  /**
   * The operator's name for the clinic (`halsan-vast`), unique among clinics and the first label of its local host
   * (`halsan-vast.localhost`). Set when the clinic is provisioned with `npm run tenant -- create`: a re-run finds
   * its own half-made clinic by it (functions/use-cases/provision-clinic.ts). Absent for clinics made otherwise.
   */
  readonly slug?: string;
  /** When the clinic was provisioned (ISO instant); absent for clinics made otherwise. */
  readonly createdAt?: string;
  /**
   * `disabled` (by the operator): the clinic's portal, admin pages and ingest API refuse every request and the
   * notification sender passes it by; its data stays as it is, and `enable` brings everything back. Active when absent.
   */
  readonly status?: ClinicStatus;
  /** When the status last changed (ISO instant). */
  readonly statusChangedAt?: string;
}

export type ClinicStatus = 'active' | 'disabled';

export function clinicStatusOf(tenant: Pick<Tenant, 'status'>): ClinicStatus {
  return tenant.status ?? 'active';
}

/**
 * A request to a clinic the operator disabled: 403 `clinic_disabled`, the same answer for every request (portal,
 * admin pages, ingest), so nobody is told more than that the portal is not available.
 */
export class ClinicDisabledError extends ForbiddenError {
  constructor() {
    super('clinic_disabled', 'Portalen är inte tillgänglig. (This portal is not available.)');
  }
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
  /**
   * Whether a new invoice basis is shown to the company's contacts as soon as it is ready (`automatic`, also when
   * absent) or waits for the clinic's approval (`approval`: it arrives `held`). The clinic's choice, like access.
   */
  readonly publishing?: PublishingRule;
  /**
   * The document types the company's contacts are shown (the clinic's choice; every type when absent). At least one:
   * showing none would be the same as no portal access, which is {@link portalAccess}'s job. Admins see every type.
   */
  readonly shownDocumentTypes?: readonly DocumentType[];
  /** When the practice system created the customer and last changed its facts (ISO instants); absent for customers made otherwise. */
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

export type PublishingRule = 'automatic' | 'approval';

/** What the clinic decides about a customer (the practice system owns the rest of the record). */
export type CustomerChoices = Partial<Pick<Customer, 'portalAccess' | 'publishing' | 'shownDocumentTypes'>>;

/** The document types the customer's contacts are shown, in the order of DOCUMENT_TYPES (all when not chosen). */
export function shownDocumentTypes(customer: Pick<Customer, 'shownDocumentTypes'>): readonly DocumentType[] {
  const chosen = customer.shownDocumentTypes;
  return chosen === undefined ? DOCUMENT_TYPES : DOCUMENT_TYPES.filter((type) => chosen.includes(type));
}

export type ContactStatus = 'active' | 'deactivated';

/** A person at one or more customer companies who may log in. */
export interface Contact {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly status: ContactStatus;
  /** Absent until the contact first changes a preference: {@link contactPreferences} supplies the defaults. */
  readonly notifyOnNewDocument?: boolean;
  readonly language?: Language;
  /** `YYYYMMDD-****` when the contact logs in with BankID (the number itself is never stored): what admins see. */
  readonly maskedPersonalNumber?: string;
  /**
   * The keyed hash of the personal number: the key of the contact's BankID identity, kept so that an administrator
   * can replace or remove the number without knowing the old one. Never the number; never shown.
   */
  readonly personalNumberKey?: string;
}

/** The languages of the portal (and, later, of the mails it sends). */
export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What a contact chooses for themselves. */
export interface ContactPreferences {
  /** An e-mail (a link, never the document) when a new invoice basis is published for one of their companies. */
  readonly notifyOnNewDocument: boolean;
  readonly language: Language;
}

/**
 * The defaults. Notifications are on: the portal replaces invoice bases sent by post, and a contact the clinic set up
 * to receive them would otherwise never learn that one arrived; the mail is a service message with a link only, and
 * one click in the profile turns it off. Swedish is the portal's first language.
 */
export const DEFAULT_CONTACT_PREFERENCES: ContactPreferences = { notifyOnNewDocument: true, language: 'sv' };

/** A change of some preferences; the ones left out (or undefined) stay as they are. */
export type PreferencesChange = { readonly [K in keyof ContactPreferences]?: ContactPreferences[K] | undefined };

export function contactPreferences(contact: Contact): ContactPreferences {
  return {
    notifyOnNewDocument: contact.notifyOnNewDocument ?? DEFAULT_CONTACT_PREFERENCES.notifyOnNewDocument,
    language: contact.language ?? DEFAULT_CONTACT_PREFERENCES.language,
  };
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

/**
 * A BankID login identity: the keyed hash of the personal number (HMAC with a secret pepper, so the table never
 * holds the number) and the masked form admins see.
 */
export interface BankIdIdentity {
  readonly personalNumberKey: string;
  readonly contactId: string;
  /** e.g. `19900101-****`: enough for an admin to recognise, useless to anyone else. */
  readonly maskedPersonalNumber: string;
}

/**
 * Whether a BankID identity is the contact's current personal number: the key the contact holds, or — for a contact
 * from before contacts held it — the same mask. A number replaced or removed by an administrator logs in nobody,
 * even if its identity item were still there.
 */
export function isCurrentBankIdIdentity(
  contact: Pick<Contact, 'personalNumberKey' | 'maskedPersonalNumber'>,
  identity: BankIdIdentity,
): boolean {
  return contact.personalNumberKey === undefined
    ? contact.maskedPersonalNumber === identity.maskedPersonalNumber
    : contact.personalNumberKey === identity.personalNumberKey;
}

/** Who logs in: a contact person (the portal) or a clinic administrator (the admin pages). */
export type SessionKind = 'contact' | 'admin';

/**
 * A server-side session record: what makes logout and deactivation effective immediately. Contact and admin
 * sessions have the same shape and live in their subject's own partition (docs/data-model.md).
 */
export interface Session {
  readonly id: string;
  /** The contact's or the administrator's id (which of the two: the repository the session is kept in). */
  readonly subjectId: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  /** The absolute timeout: the session ends at this instant however active it is. */
  readonly expiresAt: string;
  /** The idle timeout in force for this session, fixed when it began (the clinic's setting then). */
  readonly idleTimeoutMs: number;
  readonly revoked: boolean;
}

/** Whether a session still lets its holder in at `now`: not revoked, within its idle and its absolute timeout. */
export function isSessionLive(session: Session, now: Date): boolean {
  const idleFor = now.getTime() - Date.parse(session.lastSeenAt);
  return !session.revoked && idleFor <= session.idleTimeoutMs && now.getTime() < Date.parse(session.expiresAt);
}

/** Who did something, for the audit trail. */
export type Actor =
  | { readonly type: 'contact'; readonly id: string }
  /** A clinic administrator (./clinic-admin.ts). */
  | { readonly type: 'admin'; readonly id: string }
  | { readonly type: 'anonymous' }
  | { readonly type: 'system'; readonly id: string }
  /** The practice system, by the id of the API key it used (never the key itself). */
  | { readonly type: 'api-key'; readonly id: string }
  /** A person running an operator command (the API-key CLI), by the name they gave. */
  | { readonly type: 'operator'; readonly id: string };

/** One append-only audit event. Never holds document contents or personal numbers. */
export interface AuditEvent {
  readonly id: string;
  readonly at: string;
  readonly action: AuditAction;
  readonly actor: Actor;
  readonly customerId?: string;
  readonly documentId?: string;
  readonly sourceIp?: string;
  readonly outcome: 'success' | 'failure';
  /**
   * Facts about the event (a version number, a withdrawal reason, a key id, which fields an edit changed). No
   * personal data — no names, addresses or personal numbers, not even masked: the trail is append-only and
   * hash-chained, so nothing in it could be erased later (GDPR art. 17); people appear by id, and the admin pages
   * name them from their current records.
   */
  readonly details?: Readonly<Record<string, string | number>>;
}

/**
 * A per-clinic key with which the practice system calls the ingest API. Only the SHA-256 of its secret is stored;
 * the key itself is shown once, when it is created.
 */
export interface ApiKey {
  readonly id: string;
  /** A human label ("CGM J4 produktion"). */
  readonly name: string;
  /** The recognisable start of the key (`fpk_…`), for lists; reveals nothing usable. */
  readonly displayPrefix: string;
  /** SHA-256 (hex) of the whole key. A key has 256 random bits, so a fast hash is enough (no password stretching). */
  readonly secretSha256: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly revokedAt?: string;
  /** Set when the key is rotated: the old key keeps working until then, so the integration can switch over. */
  readonly expiresAt?: string;
  /** The key that replaced this one on rotation. */
  readonly replacedBy?: string;
  readonly lastUsedAt?: string;
}

/** Use of an API key is recorded at most this often: a busy integration must not turn every call into a write. */
export const API_KEY_USE_RESOLUTION_MS = 60_000;
