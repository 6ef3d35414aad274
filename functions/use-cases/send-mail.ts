import type { MailLanguage, MailMessage, MailRecipient } from '../domain/mail';
import { composeMail } from '../domain/mail-templates';
import type { Mailer } from '../domain/ports';

/** Composes one of the portal's mails in the recipient's language and hands it to the mailer. */
export async function sendMail(
  mailer: Mailer,
  mail: { readonly to: MailRecipient; readonly language: MailLanguage; readonly message: MailMessage },
): Promise<void> {
  await mailer.send({
    ...composeMail(mail.message, mail.language),
    to: mail.to,
    fromName: mail.message.clinicName,
    kind: mail.message.kind,
  });
}
