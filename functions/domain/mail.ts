/**
 * What the portal sends by e-mail. A message is data (which mail, to whom, with which link); the texts live in
 * ./mail-templates.ts, in Swedish and English, as plain text and HTML. Mail never carries personal data beyond the
 * recipient's name (SECURITY.md): no personal numbers, no document contents, no amounts.
 */

export type MailLanguage = 'sv' | 'en';

/** A single-use link mail: set a first password, or a new one. */
interface LinkMail {
  readonly recipientName: string;
  /** The clinic the mail is sent on behalf of (the sender's display name, and named in the text). */
  readonly clinicName: string;
  /** The whole link; its secret part is in the fragment, so it never reaches a server log or a Referer header. */
  readonly link: string;
  /** How long the link works, in minutes (said in the mail). */
  readonly validMinutes: number;
}

export type MailMessage =
  /** A contact person is invited to the portal and sets a first password. */
  | ({ readonly kind: 'contact-invitation' } & LinkMail)
  /** Someone asked for a new password for this address. */
  | ({ readonly kind: 'password-reset' } & LinkMail)
  /** A clinic administrator is invited (by the operator's provisioning command or another admin). */
  | ({ readonly kind: 'admin-invitation' } & LinkMail)
  /** New invoice bases were published for a company the contact belongs to (./notifications.ts). */
  | ({ readonly kind: 'new-documents' } & NewDocumentsMail);

/**
 * "There are 3 new invoice bases for Exempel AB": the company's name and a count, never a document's contents, an
 * amount, an invoice number or an employee's name. The link is the portal's address, which holds no secret.
 */
interface NewDocumentsMail {
  readonly recipientName: string;
  readonly clinicName: string;
  /** The customer company the documents belong to (the contact may belong to several). */
  readonly companyName: string;
  readonly documentCount: number;
  readonly link: string;
}

export interface ComposedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface MailRecipient {
  readonly name: string;
  readonly address: string;
}

/** A composed mail, ready for the mailer. */
export interface OutgoingMail extends ComposedMail {
  readonly to: MailRecipient;
  /** The display name of the sender (the clinic); the address is the platform's, configured per deployment. */
  readonly fromName: string;
  /** Which kind of mail this is: a tag for the mail service's statistics, and what the local mail sink lists. */
  readonly kind: MailMessage['kind'];
}

/**
 * The mail service answered that it did not take the message (refused, throttled, the sink could not store it):
 * nothing was sent, so sending it again is safe. Any other failure of {@link Mailer.send} — a timeout, a lost
 * connection, a 5xx — leaves it unknown whether the mail went out; a sender that must never send twice does not
 * retry those.
 */
export class MailRefusedError extends Error {
  override readonly name = 'MailRefusedError';

  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
  }
}
