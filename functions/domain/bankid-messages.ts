/**
 * BankID's recommended user messages ("RFA" texts) in Swedish and English, and which one to show for a collect
 * result or an error answer (../shared/BANKID.md, "Guidance"). Users recognise these texts from every other
 * service, and they reveal nothing about the portal, so the portal shows them instead of its own wording; the
 * `details` of a BankID error never reach the user.
 *
 * The texts are BankID's current list (developers.bankid.com, "UI resources → User messages"), which could not be
 * read directly here. They are copied from two independent public transcriptions of that page that agree word for
 * word: gomsim/go-bankid (2025, Swedish and English) and a TypeScript module citing the page as fetched on
 * 2026-10-03 (Swedish); the English texts of RFA13 and RFA15–RFA23 also agree with
 * ActiveLogin.Authentication's latest BankIdUserMessageLocalizer. Two deviations, both obvious typos on BankID's
 * page and marked below: RFA15B's "gitligt" and RFA23's "you ID document".
 *
 * Not in the list: RFA7 and RFA10–RFA12 never existed; RFA14 (the order was started by entering a personal number,
 * without a start token) and RFA18 were withdrawn by BankID when secure start made QR code or autostart mandatory,
 * so no portal order can need them. RFA24–RFA30 (face recognition and step-up hints) are newer than this port's
 * hint codes; those codes fall back to RFA21/RFA22 like any hint code we do not know.
 */

export type BankIdMessageId =
  | 'RFA1'
  | 'RFA2'
  | 'RFA3'
  | 'RFA4'
  | 'RFA5'
  | 'RFA6'
  | 'RFA8'
  | 'RFA9'
  | 'RFA13'
  | 'RFA15A'
  | 'RFA15B'
  | 'RFA16'
  | 'RFA17A'
  | 'RFA17B'
  | 'RFA19'
  | 'RFA20'
  | 'RFA21'
  | 'RFA22'
  | 'RFA23';

export interface BankIdUserMessage {
  readonly id: BankIdMessageId;
  readonly sv: string;
  readonly en: string;
}

export const BANKID_USER_MESSAGES: { readonly [Id in BankIdMessageId]: BankIdUserMessage } = {
  RFA1: { id: 'RFA1', sv: 'Starta BankID-appen.', en: 'Start your BankID app.' },
  RFA2: {
    id: 'RFA2',
    sv: 'Du verkar inte ha BankID-appen. Installera den och skaffa ett BankID.',
    en: "You don't seem to have the BankID app. Install the app and get a BankID.",
  },
  RFA3: { id: 'RFA3', sv: 'Åtgärden avbröts. Försök igen.', en: 'The action was cancelled. Please try again.' },
  RFA4: {
    id: 'RFA4',
    sv: 'En identifiering eller underskrift pågår redan för ditt personnummer. Försök igen.',
    en: 'An identification or signature is already in progress for your personal identity number. Please try again.',
  },
  RFA5: { id: 'RFA5', sv: 'Något gick fel. Försök igen.', en: 'Something went wrong. Please try again.' },
  RFA6: { id: 'RFA6', sv: 'Åtgärden avbröts.', en: 'The action was cancelled.' },
  RFA8: {
    id: 'RFA8',
    sv: 'BankID-appen svarar inte. Kontrollera att den är startad och att du har internetanslutning. Försök sedan igen.',
    en: 'The BankID app is not responding. Please check that it’s started and that you have internet access. Try again.',
  },
  RFA9: {
    id: 'RFA9',
    sv: 'Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under.',
    en: 'Enter your security code in the BankID app and select Identify or Sign.',
  },
  RFA13: { id: 'RFA13', sv: 'Försöker starta BankID-appen.', en: 'Trying to start your BankID app.' },
  RFA15A: {
    id: 'RFA15A',
    sv: 'Söker efter BankID. Säkerställ att du har ett giltigt BankID på den här datorn. Om du har ett BankID på kort, sätt in kortet i kortläsaren.',
    en: 'Searching for BankID. Make sure you have a valid BankID on this computer. If you have a BankID on card, please insert the card into your card reader.',
  },
  RFA15B: {
    id: 'RFA15B',
    // BankID's page spells "gitligt"; corrected to "giltigt" (as in RFA15A), the only change to the Swedish texts.
    sv: 'Söker efter BankID. Säkerställ att du har ett giltigt BankID på den här enheten.',
    en: 'Searching for BankID. Make sure you have a valid BankID on this device.',
  },
  RFA16: {
    id: 'RFA16',
    sv: 'Ditt BankID är för gammalt eller spärrat. Använd ett annat BankID eller skaffa ett nytt hos din bank.',
    en: 'Your BankID is blocked or too old. Please use another BankID or get a new one from your bank.',
  },
  RFA17A: {
    id: 'RFA17A',
    sv: 'Du verkar inte ha BankID-appen/programmet. Installera den och skaffa ett BankID hos din bank.',
    en: "You don't seem to have the BankID app/program. Please install it and get a BankID from your bank.",
  },
  RFA17B: {
    id: 'RFA17B',
    sv: 'Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden.',
    en: 'Failed to scan the QR code. Start the BankID app and scan the QR code.',
  },
  RFA19: {
    id: 'RFA19',
    sv: 'Vill du använda BankID på den här datorn eller ett Mobilt BankID?',
    en: 'Would you like to use BankID on this computer, or a Mobile BankID?',
  },
  RFA20: {
    id: 'RFA20',
    sv: 'Vill du använda BankID på den här enheten eller på en annan enhet?',
    en: 'Do you want to use BankID on this device or another device?',
  },
  RFA21: {
    id: 'RFA21',
    sv: 'En identifiering eller underskrift pågår.',
    en: 'An identification or signing is in progress.',
  },
  RFA22: { id: 'RFA22', sv: 'Något gick fel. Försök igen.', en: 'Something went wrong. Please try again.' },
  RFA23: {
    id: 'RFA23',
    sv: 'Fotografera och läs av din ID-handling med BankID-appen.',
    // BankID's page says "you ID document"; corrected to "your".
    en: 'Take a photo of, and scan, your ID document with the BankID app.',
  },
};

export interface CollectMessageInput {
  readonly status: 'pending' | 'failed';
  readonly hintCode?: string | undefined;
  /** How the user was sent to the app: a QR code scanned on another device, or autostart on this device. */
  readonly startedBy: 'qr' | 'autostart';
  /**
   * The kind of device the user's browser runs on, when known. It only chooses between the A text (a computer,
   * where a BankID may be on a card) and the B text (any other device) of RFA15; unknown gives the B text, which
   * is true for every device.
   */
  readonly device?: 'computer' | 'mobile' | undefined;
}

const M = BANKID_USER_MESSAGES;

/** The message to show for a pending or failed collect result, as BankID's guidance maps hint codes. */
export function userMessageFor(input: CollectMessageInput): BankIdUserMessage {
  return input.status === 'pending' ? pendingMessage(input) : failedMessage(input);
}

function pendingMessage({ hintCode, startedBy, device }: CollectMessageInput): BankIdUserMessage {
  switch (hintCode) {
    case 'outstandingTransaction':
    case 'noClient':
      return startedBy === 'autostart' ? M.RFA13 : M.RFA1;
    case 'started':
      // Every portal order starts with a token (QR code or autostart), so this is RFA15, never the withdrawn RFA14.
      return device === 'computer' ? M.RFA15A : M.RFA15B;
    case 'userSign':
      return M.RFA9;
    case 'userMrtd':
      return M.RFA23;
    default:
      // Also userCallConfirm (phone orders, which the portal does not make) and every code BankID adds later.
      return M.RFA21;
  }
}

function failedMessage({ hintCode, startedBy }: CollectMessageInput): BankIdUserMessage {
  switch (hintCode) {
    case 'expiredTransaction':
      return M.RFA8;
    case 'certificateErr':
      return M.RFA16;
    case 'userCancel':
      return M.RFA6;
    case 'cancelled':
      return M.RFA3;
    case 'startFailed':
      return startedBy === 'autostart' ? M.RFA17A : M.RFA17B;
    default:
      // BankID names no RFA text for userDeclinedCall, notSupportedByUserApp or transactionRiskBlocked in the
      // sources available here; like any unknown code they get RFA22.
      return M.RFA22;
  }
}

/** The message to show when BankID answered an RP call with an error (`BankIdError.errorCode`). */
export function userMessageForError(errorCode: string): BankIdUserMessage {
  switch (errorCode) {
    case 'alreadyInProgress':
      return M.RFA4;
    case 'requestTimeout':
    case 'internalError':
    case 'maintenance':
    // Not named by BankID's guidance: a temporary refusal like the three above, so the same "try again".
    case 'tooManyRequests':
      return M.RFA5;
    default:
      // invalidParameters, unauthorized, notFound, … are faults of the portal, not something the user can fix.
      return M.RFA22;
  }
}
