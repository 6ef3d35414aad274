import type { ComposedMail, MailLanguage, MailMessage } from './mail';

/*
 * The texts of every mail the portal sends, in Swedish and English, each as plain text and as HTML. A mail says only
 * what its message holds (the recipient's name, the clinic, the link and how long it works): no address, no personal
 * number, no document, no amount (SECURITY.md). Both versions come from one model per kind and language, so the plain
 * text and the HTML can never say different things.
 */

/** What one mail says, before it becomes plain text or HTML. Every string is plain text. */
interface MailContent {
  readonly subject: string;
  readonly greeting: string;
  /** Why the recipient gets this mail, and what the portal is for. */
  readonly introduction: readonly string[];
  /** The sentence before the link; in HTML followed by a button, in plain text by the link on its own line. */
  readonly actionLead: string;
  readonly buttonLabel: string;
  /** Says that the link below the button is the same, for clients that do not show buttons. */
  readonly buttonFallback: string;
  /** How long the link works, and what to do otherwise. */
  readonly afterAction: readonly string[];
  readonly signature: readonly string[];
  readonly footer: string;
}

/** The words that vary with the language but not with the kind of mail. */
interface Phrases {
  readonly greeting: (name: string) => string;
  readonly validity: (minutes: number) => string;
  readonly buttonFallback: string;
  readonly regards: string;
  readonly portal: string;
  readonly footer: string;
}

const PHRASES: Readonly<Record<MailLanguage, Phrases>> = {
  sv: {
    greeting: (name) => `Hej ${name}!`,
    validity: (minutes) => `Länken fungerar i ${duration(minutes, 'sv')} och kan bara användas en gång.`,
    buttonFallback: 'Fungerar inte knappen? Kopiera länken till webbläsarens adressfält:',
    regards: 'Med vänliga hälsningar',
    portal: 'Företagsportalen',
    footer: 'Mejlet har skickats automatiskt och går inte att svara på.',
  },
  en: {
    greeting: (name) => `Hello ${name},`,
    validity: (minutes) => `The link works for ${duration(minutes, 'en')} and can be used only once.`,
    buttonFallback: "If the button doesn't work, copy the link into your browser's address bar:",
    regards: 'Kind regards',
    portal: 'The company portal',
    footer: 'This message was sent automatically; replies are not read.',
  },
};

/** The subject, plain text and HTML of one mail in the recipient's language. */
export function composeMail(message: MailMessage, language: MailLanguage): ComposedMail {
  if (!/^https?:\/\//iu.test(message.link)) {
    throw new Error('A mail link must be an http(s) URL.');
  }
  if (message.kind === 'new-documents') {
    if (!Number.isInteger(message.documentCount) || message.documentCount < 1) {
      throw new Error('A new-documents mail tells of a whole, positive number of documents.');
    }
  } else if (!Number.isInteger(message.validMinutes) || message.validMinutes < 1) {
    throw new Error('A mail link must work for a whole, positive number of minutes.');
  }
  const content = contentOf(message, language);
  return {
    subject: content.subject,
    text: plainText(content, message.link),
    html: html(content, message.link, language),
  };
}

function contentOf(message: MailMessage, language: MailLanguage): MailContent {
  const phrases = PHRASES[language];
  // Names come from clinics' records: a stray line break must not split a sentence, or the subject header.
  const name = oneLine(message.recipientName);
  const clinic = oneLine(message.clinicName);
  const common = {
    greeting: phrases.greeting(name),
    buttonFallback: phrases.buttonFallback,
    footer: phrases.footer,
    signature: [phrases.regards, clinic],
  };
  const sv = language === 'sv';
  if (message.kind === 'new-documents') {
    const company = oneLine(message.companyName);
    const count = message.documentCount;
    const what = sv
      ? count === 1
        ? 'ett nytt fakturaunderlag'
        : `${count} nya fakturaunderlag`
      : count === 1
        ? 'a new invoice specification'
        : `${count} new invoice specifications`;
    return {
      ...common,
      subject: sv ? `Nya fakturaunderlag för ${company}` : `New invoice specifications for ${company}`,
      introduction: [
        sv
          ? `${clinic} har publicerat ${what} för ${company} i företagsportalen.`
          : `${clinic} has published ${what} for ${company} in the company portal.`,
      ],
      actionLead: sv ? 'Logga in för att se och hämta dem:' : 'Log in to see and download them:',
      buttonLabel: sv ? 'Öppna företagsportalen' : 'Open the company portal',
      afterAction: [
        sv
          ? 'Du får det här mejlet för att du har valt att få besked om nya fakturaunderlag. Du kan stänga av det under Min profil i portalen.'
          : 'You receive this email because you chose to be told about new invoice specifications. You can turn it off under My profile in the portal.',
      ],
    };
  }
  const validity = phrases.validity(message.validMinutes);
  switch (message.kind) {
    case 'contact-invitation':
      return {
        ...common,
        subject: sv ? `Inbjudan till företagsportalen hos ${clinic}` : `Invitation to the company portal of ${clinic}`,
        introduction: [
          sv
            ? `${clinic} har bjudit in dig till företagsportalen, där du hämtar fakturaunderlagen för ditt företag.`
            : `${clinic} has invited you to its company portal, where you download the invoice specifications for your company.`,
        ],
        actionLead: sv ? 'Välj ett lösenord för att komma igång:' : 'Choose a password to get started:',
        buttonLabel: sv ? 'Välj lösenord' : 'Choose password',
        afterAction: [
          sv
            ? `${validity} Har den hunnit sluta fungera kan du be ${clinic} om en ny inbjudan.`
            : `${validity} If it has stopped working, ask ${clinic} for a new invitation.`,
        ],
      };
    case 'password-reset':
      return {
        ...common,
        subject: sv ? 'Välj ett nytt lösenord till företagsportalen' : 'Choose a new password for the company portal',
        introduction: [
          sv
            ? `Vi har fått en begäran om ett nytt lösenord till ditt konto i företagsportalen hos ${clinic}.`
            : `We have received a request for a new password for your account in the company portal of ${clinic}.`,
        ],
        actionLead: sv ? 'Välj ditt nya lösenord här:' : 'Choose your new password here:',
        buttonLabel: sv ? 'Välj nytt lösenord' : 'Choose new password',
        afterAction: [
          validity,
          sv
            ? 'Om du inte har bett om ett nytt lösenord kan du bortse från det här mejlet; ditt nuvarande lösenord fortsätter att gälla.'
            : 'If you did not ask for a new password, you can ignore this email; your current password remains valid.',
        ],
      };
    case 'admin-invitation':
      return {
        ...common,
        subject: sv
          ? `Inbjudan till företagsportalen som administratör för ${clinic}`
          : `Invitation to the company portal as an administrator of ${clinic}`,
        introduction: [
          sv
            ? `Du har bjudits in som administratör för ${clinic} i företagsportalen, där kliniken publicerar fakturaunderlag för sina kundföretag och bestämmer vem som får se dem.`
            : `You have been invited as an administrator of ${clinic} in the company portal, where the clinic publishes invoice specifications for its customer companies and decides who may see them.`,
          sv
            ? 'När du loggar in första gången ställer du också in tvåstegsverifiering med en autentiseringsapp i mobilen, till exempel Microsoft Authenticator eller Google Authenticator. Ha mobilen till hands.'
            : 'When you log in for the first time, you will also set up two-step verification with an authenticator app on your phone, such as Microsoft Authenticator or Google Authenticator. Keep your phone at hand.',
        ],
        actionLead: sv ? 'Välj ett lösenord för att komma igång:' : 'Choose a password to get started:',
        buttonLabel: sv ? 'Välj lösenord' : 'Choose password',
        afterAction: [
          sv
            ? `${validity} Har den hunnit sluta fungera kan du be den som bjöd in dig om en ny inbjudan.`
            : `${validity} If it has stopped working, ask the person who invited you for a new invitation.`,
        ],
        // From the platform rather than from the clinic: the recipient is the one who speaks for the clinic.
        signature: [phrases.regards, phrases.portal],
      };
  }
}

/** "60 minuter", "2 timmar", "1 dag": the largest whole unit, so a long validity does not read as 1440 minutes. */
function duration(minutes: number, language: MailLanguage): string {
  const sv = language === 'sv';
  const MINUTES_PER_DAY = 24 * 60;
  if (minutes % MINUTES_PER_DAY === 0) {
    const days = minutes / MINUTES_PER_DAY;
    return sv ? `${days} ${days === 1 ? 'dag' : 'dagar'}` : `${days} ${days === 1 ? 'day' : 'days'}`;
  }
  // An hour reads more naturally as 60 minutes in both languages; two hours and more in hours.
  if (minutes % 60 === 0 && minutes >= 120) {
    const hours = minutes / 60;
    return sv ? `${hours} timmar` : `${hours} hours`;
  }
  return sv
    ? `${minutes} ${minutes === 1 ? 'minut' : 'minuter'}`
    : `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

function oneLine(text: string): string {
  return text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

/** Paragraphs apart by a blank line; the link alone on its line, so every mail client makes it clickable whole. */
function plainText(content: MailContent, link: string): string {
  return `${[
    content.greeting,
    ...content.introduction,
    `${content.actionLead}\n${link}`,
    ...content.afterAction,
    content.signature.join('\n'),
    // The standard signature separator (RFC 3676): clients show what follows as a footer.
    `-- \n${content.footer}`,
  ].join('\n\n')}\n`;
}

/** Escapes text for HTML element content and (double-quoted) attribute values. */
function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const INK = '#1c2430';
const MUTED = '#5a6675';
const ACCENT = '#1f4e79';

/**
 * Mail clients strip stylesheets and scripts, so the layout is layout tables (role="presentation", for screen
 * readers) with inline styles. The link is there twice: as the button, and as text for clients that hide buttons.
 */
function html(content: MailContent, link: string, language: MailLanguage): string {
  const href = escapeHtml(link);
  const paragraph = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  return [
    '<!doctype html>',
    `<html lang="${language}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${escapeHtml(content.subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background-color:#f4f6f9">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f6f9">',
    '<tr><td align="center" style="padding:24px 12px">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:#ffffff;border:1px solid #d9dee5;border-radius:8px">',
    `<tr><td style="padding:32px;${FONT};font-size:16px;line-height:1.5;color:${INK}">`,
    paragraph(content.greeting),
    ...content.introduction.map(paragraph),
    paragraph(content.actionLead),
    '<p style="margin:24px 0">',
    `<a href="${href}" style="display:inline-block;padding:12px 24px;background-color:${ACCENT};color:#ffffff;text-decoration:none;font-weight:600;border-radius:6px">${escapeHtml(content.buttonLabel)}</a>`,
    '</p>',
    `<p style="margin:0 0 16px;font-size:14px;color:${MUTED}">${escapeHtml(content.buttonFallback)}<br>`,
    `<a href="${href}" style="color:${ACCENT};word-break:break-all">${href}</a></p>`,
    ...content.afterAction.map(paragraph),
    `<p style="margin:24px 0 0">${content.signature.map(escapeHtml).join('<br>')}</p>`,
    '</td></tr>',
    '</table>',
    `<p style="margin:16px 0 0;${FONT};font-size:12px;line-height:1.5;color:${MUTED}">${escapeHtml(content.footer)}</p>`,
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
