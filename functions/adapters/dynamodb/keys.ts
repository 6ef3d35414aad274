/**
 * Every DynamoDB key of the portal is built here and nowhere else (docs/data-model.md describes them).
 *
 * Isolation is part of the key: every tenant partition key starts with `T#<tenantId>#` (or is exactly
 * `T#<tenantId>`), and tenant ids are fixed-length UUIDs, so one tenant's keys can never be a prefix of another's.
 * Key parts coming from requests are checked to contain no `#`, so an id can never reach into another key space.
 * The one platform-level key space is the host directory (`DIRECTORY#…`), which maps a host name to a tenant id
 * and holds no tenant data.
 *
 * The tenant role's IAM policy (`dynamodb:LeadingKeys` = `T#<tenant>` or `T#<tenant>#*`) and the client-side tenant
 * key guard (functions/adapters/security/tenant-key-guard.ts) rely on exactly this shape, for table and index
 * partition keys alike: a new tenant key must start with `tenant(tenantId)` followed by nothing or `#`.
 */

import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { SessionKind } from '../../domain/identity';
import type { IpThrottledAction } from '../../domain/login-throttling';
import type { PasswordLinkSubject } from '../../domain/ports';

export interface ItemKey {
  readonly PK: string;
  readonly SK: string;
}

const KEY_PART = /^[^#\s]+$/u;

function part(name: string, value: string): string {
  if (!KEY_PART.test(value)) throw new Error(`Invalid ${name} for a key: must be non-empty without '#' or spaces.`);
  return value;
}

/** Chain indexes are zero-padded so that links sort in chain order (a trillion events per clinic). */
const AUDIT_INDEX_DIGITS = 12;

/** Versions are zero-padded so that a version's claims sort in version order. */
const VERSION_DIGITS = 6;

function versionPart(version: number): string {
  if (!Number.isInteger(version) || version < 1 || version >= 10 ** VERSION_DIGITS) {
    throw new Error(`Invalid version for a key: must be a whole number from 1 to ${10 ** VERSION_DIGITS - 1}.`);
  }
  return String(version).padStart(VERSION_DIGITS, '0');
}

/**
 * Client-chosen strings (idempotency keys) may hold any character, so they enter a key only as their SHA-256:
 * always a valid, fixed-length key part that cannot reach into another key space.
 */
function hashedPart(name: string, value: string): string {
  if (value.length === 0) throw new Error(`Invalid ${name} for a key: must be non-empty.`);
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

const tenant = (tenantId: string) => `T#${part('tenant id', tenantId)}`;
const contactPartition = (tenantId: string, contactId: string) =>
  `${tenant(tenantId)}#CONTACT#${part('contact id', contactId)}`;
const adminPartition = (tenantId: string, adminId: string) => `${tenant(tenantId)}#ADMIN#${part('admin id', adminId)}`;
const customerPartition = (tenantId: string, customerId: string) =>
  `${tenant(tenantId)}#C#${part('customer id', customerId)}`;

/** Usernames are case-insensitive; spaces inside are kept out by the key rule. */
export const normaliseUsername = (username: string) => username.trim().toLowerCase();

/**
 * The network an address is throttled as: an IPv4 address as it is, an IPv6 address as its /64 (one subscriber
 * usually holds a whole /64, so counting single IPv6 addresses would not limit anybody), an IPv4-mapped IPv6
 * address as the IPv4 address it maps. Anything that is not an IP address is refused: the address comes from the
 * runtime, never from a client header, so a malformed one is a wiring error.
 */
export function throttledNetwork(ip: string): string {
  const address = ip.trim().toLowerCase().replace(/%.*$/u, '');
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) throw new Error('Invalid IP address for a key.');
  const groups = ipv6Groups(address);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped)
    return groups
      .slice(6)
      .flatMap((group) => [group >> 8, group & 0xff])
      .join('.');
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail turned into two groups). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/u.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (side: string) => (side === '' ? [] : side.split(':').map((group) => Number.parseInt(group, 16)));
  const before = parse(head);
  const after = tail === undefined ? [] : parse(tail);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

export const keys = {
  tenant: (tenantId: string): ItemKey => ({ PK: tenant(tenantId), SK: 'TENANT' }),

  customer: (tenantId: string, customerId: string): ItemKey => ({
    PK: tenant(tenantId),
    SK: `CUSTOMER#${part('customer id', customerId)}`,
  }),
  customerPrefix: 'CUSTOMER#',
  /** Uniqueness item: one customer per customer number within a clinic. */
  customerNumber: (tenantId: string, customerNumber: string): ItemKey => ({
    PK: tenant(tenantId),
    SK: `CUSTNO#${part('customer number', customerNumber)}`,
  }),

  contact: (tenantId: string, contactId: string): ItemKey => ({
    PK: contactPartition(tenantId, contactId),
    SK: 'PROFILE',
  }),
  membership: (tenantId: string, contactId: string, customerId: string): ItemKey => ({
    PK: contactPartition(tenantId, contactId),
    SK: `MEMBER#${part('customer id', customerId)}`,
  }),
  membershipPrefix: 'MEMBER#',
  /** GSI1 of a membership: the contacts of one customer. */
  customerContactsIndex: (tenantId: string, customerId: string, contactId: string) => ({
    GSI1PK: customerContactsPartition(tenantId, customerId),
    GSI1SK: part('contact id', contactId),
  }),
  passwordIdentity: (tenantId: string, username: string): ItemKey => ({
    PK: `${tenant(tenantId)}#LOGIN#password#${part('username', normaliseUsername(username))}`,
    SK: 'IDENTITY',
  }),
  /** Keyed by the HMAC of the personal number: the number itself never reaches the table. */
  bankIdIdentity: (tenantId: string, personalNumberKey: string): ItemKey => ({
    PK: `${tenant(tenantId)}#LOGIN#bankid#${part('personal number key', personalNumberKey)}`,
    SK: 'IDENTITY',
  }),
  /** A BankID login between polls, by our random login id; deleted by TTL. */
  bankIdOrder: (tenantId: string, loginId: string): ItemKey => ({
    PK: `${tenant(tenantId)}#BANKID#${part('login id', loginId)}`,
    SK: 'ORDER',
  }),
  session: (tenantId: string, contactId: string, sessionId: string): ItemKey => ({
    PK: contactPartition(tenantId, contactId),
    SK: `SESSION#${part('session id', sessionId)}`,
  }),
  sessionPrefix: 'SESSION#',

  /** A clinic administrator; their sessions share the partition, as a contact's do. */
  admin: (tenantId: string, adminId: string): ItemKey => ({ PK: adminPartition(tenantId, adminId), SK: 'PROFILE' }),
  adminSession: (tenantId: string, adminId: string, sessionId: string): ItemKey => ({
    PK: adminPartition(tenantId, adminId),
    SK: `SESSION#${part('session id', sessionId)}`,
  }),
  /** GSI1 of an administrator's profile: the clinic's administrators (a clinic has a handful). */
  adminsIndex: (tenantId: string, adminId: string) => ({
    GSI1PK: `${tenant(tenantId)}#ADMINS`,
    GSI1SK: part('admin id', adminId),
  }),
  /** An administrator's login name: its own namespace, so an admin and a contact may share an e-mail address. */
  adminPasswordIdentity: (tenantId: string, username: string): ItemKey => ({
    PK: `${tenant(tenantId)}#LOGIN#admin-password#${part('username', normaliseUsername(username))}`,
    SK: 'IDENTITY',
  }),
  /** The second step of an administrator's login, by its random id; deleted by TTL. */
  adminLoginChallenge: (tenantId: string, challengeId: string): ItemKey => ({
    PK: `${tenant(tenantId)}#ADMIN-CHALLENGE#${part('challenge id', challengeId)}`,
    SK: 'CHALLENGE',
  }),

  document: (tenantId: string, customerId: string, documentId: string): ItemKey => ({
    PK: customerPartition(tenantId, customerId),
    SK: `DOC#${part('document id', documentId)}`,
  }),
  /** Sparse GSI1 entry: present only while contacts may see the document, sorted by invoice date. */
  visibleDocumentsIndex: (tenantId: string, customerId: string, invoiceDate: string, documentId: string) => ({
    GSI1PK: visibleDocumentsPartition(tenantId, customerId),
    GSI1SK: `${part('invoice date', invoiceDate)}#${part('document id', documentId)}`,
  }),
  /** GSI2 entry: every document of a customer (all states), for the clinic's admin view. */
  allDocumentsIndex: (tenantId: string, customerId: string, invoiceDate: string, documentId: string) => ({
    GSI2PK: allDocumentsPartition(tenantId, customerId),
    GSI2SK: `${part('invoice date', invoiceDate)}#${part('document id', documentId)}`,
  }),
  /** Pointer to the current version of an invoice number (versions and idempotent seeding/ingest). */
  invoiceNumber: (tenantId: string, customerId: string, invoiceNumber: string): ItemKey => ({
    PK: customerPartition(tenantId, customerId),
    SK: `INVNO#${part('invoice number', invoiceNumber)}`,
  }),
  /**
   * Claim on one version of an invoice number: written once, when the version is received, so a version can never
   * be received twice. Holds the id of the document that claimed it.
   */
  versionClaim: (tenantId: string, customerId: string, invoiceNumber: string, version: number): ItemKey => ({
    PK: customerPartition(tenantId, customerId),
    SK: `INVNO#${part('invoice number', invoiceNumber)}#V#${versionPart(version)}`,
  }),
  /** Document id → customer: ingest status requests know only the document id. */
  documentLocator: (tenantId: string, documentId: string): ItemKey => ({
    PK: `${tenant(tenantId)}#DOCID#${part('document id', documentId)}`,
    SK: 'LOCATOR',
  }),
  downloadReceipt: (
    tenantId: string,
    customerId: string,
    documentId: string,
    at: string,
    contactId: string,
  ): ItemKey => ({
    PK: customerPartition(tenantId, customerId),
    SK: `${keys.downloadReceiptsPrefix(documentId)}${part('time', at)}#${part('contact id', contactId)}`,
  }),
  /** The sort-key prefix of every receipt of one document (in the customer's partition). */
  downloadReceiptsPrefix: (documentId: string): string => `RCPT#${part('document id', documentId)}#`,

  /** An ingest API key; the key itself is never stored, only its hash. */
  apiKey: (tenantId: string, keyId: string): ItemKey => ({
    PK: tenant(tenantId),
    SK: `APIKEY#${part('key id', keyId)}`,
  }),
  apiKeyPrefix: 'APIKEY#',
  /** The outcome of an ingest request made with an `Idempotency-Key`, keyed by the hash of the client's key. */
  idempotencyRecord: (tenantId: string, clientKey: string): ItemKey => ({
    PK: `${tenant(tenantId)}#IDEMPOTENCY#${hashedPart('idempotency key', clientKey)}`,
    SK: 'RECORD',
  }),

  /**
   * Consecutive failed logins of one username (normalised like the identity, and kept whether or not the username
   * exists, so that unknown usernames are throttled exactly like real ones). Administrators' login names are
   * counted apart (`admin-account`): failing as a contact never delays or locks the administrator of that address.
   */
  throttleAccount: (tenantId: string, username: string, kind: SessionKind = 'contact'): ItemKey => ({
    PK: `${tenant(tenantId)}#THROTTLE#${kind === 'admin' ? 'admin-account' : 'account'}#${part('username', normaliseUsername(username))}`,
    SK: 'COUNTER',
  }),
  /** The reset mails sent to one account (a contact or an administrator) in the current window. */
  throttleResetMail: (tenantId: string, subject: PasswordLinkSubject): ItemKey => ({
    PK: `${tenant(tenantId)}#THROTTLE#${part('subject kind', subject.kind)}#${part('subject id', subject.id)}`,
    SK: 'COUNTER#reset_mail',
  }),
  /** One address's (network's, see {@link throttledNetwork}) count of one action in the current window. */
  throttleIp: (tenantId: string, ip: string, action: IpThrottledAction): ItemKey => ({
    PK: `${tenant(tenantId)}#THROTTLE#ip#${part('IP address', throttledNetwork(ip))}`,
    SK: `COUNTER#${part('throttled action', action)}`,
  }),

  /**
   * The one live set-password link of an account (a contact or an administrator): a new link overwrites the item,
   * which is how a newer link invalidates the older one. Holds the SHA-256 of the link's secret, never the secret.
   */
  passwordLink: (tenantId: string, subject: PasswordLinkSubject): ItemKey => ({
    PK: `${tenant(tenantId)}#PWLINK#${part('subject kind', subject.kind)}#${part('subject id', subject.id)}`,
    SK: 'LINK',
  }),

  /** Audit events, one partition per tenant and month so that a busy clinic spreads its writes over time. */
  auditEvent: (tenantId: string, at: string, eventId: string): ItemKey => ({
    PK: `${tenant(tenantId)}#AUDIT#${part('month', at.slice(0, 7))}`,
    SK: `${part('time', at)}#${part('event id', eventId)}`,
  }),

  /** Sparse GSI1 entry of an audit event until it is in the hash chain: what the sealer reads, oldest first. */
  auditUnsealedIndex: (tenantId: string, at: string, eventId: string) => ({
    GSI1PK: `${tenant(tenantId)}#AUDIT#UNSEALED`,
    GSI1SK: `${part('time', at)}#${part('event id', eventId)}`,
  }),
  /** Where the clinic's audit chain ends (index and hash of the last link). */
  auditChainHead: (tenantId: string): ItemKey => ({ PK: `${tenant(tenantId)}#AUDIT#CHAIN`, SK: 'HEAD' }),
  /** One link of the chain, in chain order: points at its event and holds the hashes. */
  auditChainLink: (tenantId: string, index: number): ItemKey => ({
    PK: `${tenant(tenantId)}#AUDIT#CHAIN`,
    SK: `LINK#${String(index).padStart(AUDIT_INDEX_DIGITS, '0')}`,
  }),

  /** A document's publication notice (./domain/notifications.ts), beside the document in the customer's partition. */
  publicationNotice: (tenantId: string, customerId: string, documentId: string): ItemKey => ({
    PK: customerPartition(tenantId, customerId),
    SK: `NOTICE#${part('document id', documentId)}`,
  }),
  /** Sparse GSI1 entry of a notice while no batch has taken it: what the sender reads, oldest first. */
  pendingNoticeIndex: (tenantId: string, queuedAt: string, customerId: string, documentId: string) => ({
    GSI1PK: pendingNoticesPartition(tenantId),
    GSI1SK: `${part('time', queuedAt)}#${part('customer id', customerId)}#${part('document id', documentId)}`,
  }),
  /** A notice batch; its deliveries share the partition (`TO#<contact id>`), so one Query reads the whole batch. */
  noticeBatch: (tenantId: string, batchId: string): ItemKey => ({
    PK: `${tenant(tenantId)}#NOTICE#BATCH#${part('batch id', batchId)}`,
    SK: 'BATCH',
  }),
  noticeDelivery: (tenantId: string, batchId: string, contactId: string): ItemKey => ({
    PK: `${tenant(tenantId)}#NOTICE#BATCH#${part('batch id', batchId)}`,
    SK: `${keys.noticeDeliveryPrefix}${part('contact id', contactId)}`,
  }),
  noticeDeliveryPrefix: 'TO#',
  /** Sparse GSI1 entry of a batch until every delivery is final: what the sender comes back to. */
  openBatchIndex: (tenantId: string, createdAt: string, batchId: string) => ({
    GSI1PK: openBatchesPartition(tenantId),
    GSI1SK: `${part('time', createdAt)}#${part('batch id', batchId)}`,
  }),

  directoryHost: (host: string): ItemKey => ({
    PK: `DIRECTORY#HOST#${part('host', host.toLowerCase())}`,
    SK: 'TENANT',
  }),
  /** One item per clinic with a host, in one platform partition: the list platform jobs visit. */
  directoryTenant: (tenantId: string): ItemKey => ({
    PK: DIRECTORY_TENANTS_PARTITION,
    SK: part('tenant id', tenantId),
  }),
} as const;

/** The platform partition that lists every clinic (see keys.directoryTenant). */
export const DIRECTORY_TENANTS_PARTITION = 'DIRECTORY#TENANTS';

export function pendingNoticesPartition(tenantId: string): string {
  return `${tenant(tenantId)}#NOTICE#PENDING`;
}

export function openBatchesPartition(tenantId: string): string {
  return `${tenant(tenantId)}#NOTICE#OPEN`;
}

/** GSI1 partition of a customer's memberships: its contacts. */
export function customerContactsPartition(tenantId: string, customerId: string): string {
  return `${customerPartition(tenantId, customerId)}#CONTACTS`;
}

export function allDocumentsPartition(tenantId: string, customerId: string): string {
  return `${customerPartition(tenantId, customerId)}#DOCS`;
}

export function visibleDocumentsPartition(tenantId: string, customerId: string): string {
  return `${customerPartition(tenantId, customerId)}#VISIBLE`;
}
