import { describe, expect, it } from 'vitest';
import {
  BANKID_USER_MESSAGES,
  type BankIdMessageId,
  userMessageFor,
  userMessageForError,
} from '../../../functions/domain/bankid-messages';

describe("BankID's recommended user messages", () => {
  it('are the texts BankID publishes, word for word (the ones ../shared/BANKID.md quotes, and a few more)', () => {
    expect(BANKID_USER_MESSAGES.RFA1.sv).toBe('Starta BankID-appen.');
    expect(BANKID_USER_MESSAGES.RFA13.sv).toBe('Försöker starta BankID-appen.');
    expect(BANKID_USER_MESSAGES.RFA9.sv).toBe(
      'Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under.',
    );
    expect(BANKID_USER_MESSAGES.RFA6).toEqual({ id: 'RFA6', sv: 'Åtgärden avbröts.', en: 'The action was cancelled.' });
    expect(BANKID_USER_MESSAGES.RFA22.en).toBe('Something went wrong. Please try again.');
  });

  it('have a Swedish and an English text each, filed under their own id', () => {
    for (const [id, message] of Object.entries(BANKID_USER_MESSAGES)) {
      expect(message.id).toBe(id);
      expect(message.sv).toMatch(/^\S.*[.?]$/u);
      expect(message.en).toMatch(/^\S.*[.?]$/u);
    }
  });
});

describe('userMessageFor a pending order', () => {
  it.each<[string | undefined, 'qr' | 'autostart', BankIdMessageId]>([
    ['outstandingTransaction', 'qr', 'RFA1'],
    ['noClient', 'qr', 'RFA1'],
    ['outstandingTransaction', 'autostart', 'RFA13'],
    ['noClient', 'autostart', 'RFA13'],
    ['started', 'autostart', 'RFA15B'],
    ['started', 'qr', 'RFA15B'],
    ['userSign', 'qr', 'RFA9'],
    ['userSign', 'autostart', 'RFA9'],
    ['userMrtd', 'qr', 'RFA23'],
    ['userCallConfirm', 'qr', 'RFA21'],
    ['aHintCodeBankIdAddsLater', 'qr', 'RFA21'],
    [undefined, 'autostart', 'RFA21'],
  ])('%s, started by %s → %s', (hintCode, startedBy, id) => {
    expect(userMessageFor({ status: 'pending', hintCode, startedBy }).id).toBe(id);
  });

  it('names the card reader (RFA15A) only on a computer', () => {
    expect(
      userMessageFor({ status: 'pending', hintCode: 'started', startedBy: 'autostart', device: 'computer' }).id,
    ).toBe('RFA15A');
    expect(
      userMessageFor({ status: 'pending', hintCode: 'started', startedBy: 'autostart', device: 'mobile' }).id,
    ).toBe('RFA15B');
  });
});

describe('userMessageFor a failed order', () => {
  it.each<[string, 'qr' | 'autostart', BankIdMessageId]>([
    ['expiredTransaction', 'qr', 'RFA8'],
    ['certificateErr', 'autostart', 'RFA16'],
    ['userCancel', 'qr', 'RFA6'],
    ['cancelled', 'qr', 'RFA3'],
    ['startFailed', 'qr', 'RFA17B'],
    ['startFailed', 'autostart', 'RFA17A'],
    ['transactionRiskBlocked', 'qr', 'RFA22'],
    ['aHintCodeBankIdAddsLater', 'autostart', 'RFA22'],
  ])('%s, started by %s → %s', (hintCode, startedBy, id) => {
    expect(userMessageFor({ status: 'failed', hintCode, startedBy }).id).toBe(id);
  });
});

describe('userMessageForError', () => {
  it.each<[string, BankIdMessageId]>([
    ['alreadyInProgress', 'RFA4'],
    ['requestTimeout', 'RFA5'],
    ['maintenance', 'RFA5'],
    ['internalError', 'RFA5'],
    ['tooManyRequests', 'RFA5'],
    ['invalidParameters', 'RFA22'],
    ['unauthorized', 'RFA22'],
    ['notFound', 'RFA22'],
    ['unknown', 'RFA22'],
    ['somethingNew', 'RFA22'],
  ])('%s → %s', (errorCode, id) => {
    expect(userMessageForError(errorCode).id).toBe(id);
  });
});
