import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from '../../../functions/domain/common-passwords';
import { checkPassword, PASSWORD_POLICY, type PasswordVerdict } from '../../../functions/domain/password-policy';

const codes = (verdict: PasswordVerdict) => (verdict.accepted ? [] : verdict.reasons.map((reason) => reason.code));
const USER = { usernames: ['anna.aberg@example.se'] };

describe('the password policy', () => {
  it('accepts a long passphrase without any composition rules', () => {
    expect(checkPassword('kaffe och kanelbulle på fredag', USER)).toEqual({ accepted: true });
    expect(checkPassword('alllowercaseletters', USER)).toEqual({ accepted: true });
  });

  it('requires 15 characters, counted as Unicode code points after NFC normalisation', () => {
    expect(codes(checkPassword('fjorton tecken'))).toEqual(['too_short']);
    expect(checkPassword('femton tecken!!')).toEqual({ accepted: true });
    // "å" typed decomposed (a + combining ring) is one character, so this is 14, not 15.
    const decomposed = 'blåbärssyltxyz'.normalize('NFD');
    expect(decomposed.length).toBeGreaterThanOrEqual(15);
    expect(codes(checkPassword(decomposed))).toEqual(['too_short']);
    // Emoji outside the BMP count once each, though each is two UTF-16 units.
    const fourteenEmoji = '🔒🔑🐻🦊🐺🦉🐝🌲🌊🍄🌵🐢🐙🦀';
    expect(fourteenEmoji.length).toBe(28);
    expect(codes(checkPassword(fourteenEmoji))).toEqual(['too_short']);
    expect(checkPassword(`${fourteenEmoji}🐳`)).toEqual({ accepted: true });
  });

  it('lowers the minimum to 8 with a second factor', () => {
    expect(checkPassword('åtta tkn', { secondFactor: true })).toEqual({ accepted: true });
    expect(checkPassword('sju tkn', { secondFactor: true })).toMatchObject({
      accepted: false,
      reasons: [{ code: 'too_short', min: 8 }],
    });
  });

  it('never trims or alters the password: spaces count', () => {
    expect(checkPassword('   kort lösen   ')).toEqual({ accepted: true });
    expect(codes(checkPassword('  kort lösen  '))).toEqual(['too_short']);
  });

  it('accepts 64 characters and more, up to 1024', () => {
    expect(checkPassword('Ett långt men lätt ihågkommet lösenord om båtar, hav och öar 2024')).toEqual({
      accepted: true,
    });
    expect(checkPassword('x1y2z3w4'.repeat(128))).toEqual({ accepted: true });
    expect('x1y2z3w4'.repeat(128)).toHaveLength(PASSWORD_POLICY.maxLength);
    expect(checkPassword(`${'x1y2z3w4'.repeat(128)}!`)).toMatchObject({
      accepted: false,
      reasons: [{ code: 'too_long', max: 1024 }],
    });
  });

  it('rejects common passwords from the shipped list, in any letter case', () => {
    for (const password of [
      'password12345678',
      'PASSWORD12345678',
      'Lösenordlösenord',
      'SommarSommar2024',
      'qwertyuiopasdfgh',
    ]) {
      expect(codes(checkPassword(password))).toEqual(['too_common']);
    }
  });

  it('rejects a password containing the username or the local part of the e-mail address, in any case', () => {
    expect(codes(checkPassword('mitt-Anna.Aberg-lösenord', USER))).toEqual(['contains_username']);
    expect(codes(checkPassword('xx-anna.aberg@example.se-xx', USER))).toEqual(['contains_username']);
    // Too short parts of a username are not context words.
    expect(checkPassword('ab långt nog lösenord', { usernames: ['ab@example.se'] })).toEqual({ accepted: true });
  });

  it('rejects one character repeated and simple sequences', () => {
    expect(codes(checkPassword('aaaaaaaaaaaaaaa'))).toEqual(['repeated_character']);
    expect(codes(checkPassword('ööööööööööööööööö'))).toEqual(['repeated_character']);
    expect(codes(checkPassword('123456789012345'))).toEqual(['simple_sequence']);
    expect(codes(checkPassword('987654321098765'))).toEqual(['simple_sequence']);
    expect(codes(checkPassword('abcdefghijklmnop'))).toEqual(['simple_sequence']);
    expect(codes(checkPassword('ZYXWVUTSRQPONMLK'))).toEqual(['simple_sequence']);
    expect(checkPassword('1234567890123456x')).toEqual({ accepted: true });
  });

  it('returns every reason at once, each with a Swedish and an English message', () => {
    const verdict = checkPassword('anna', { usernames: ['anna@example.se'] });
    expect(codes(verdict)).toEqual(['too_short', 'contains_username']);
    const all = checkPassword('aaa', { usernames: ['aaa@example.se'] });
    expect(codes(all)).toEqual(['too_short', 'contains_username', 'repeated_character']);
    expect(codes(checkPassword('abcdefgh', { usernames: ['abcdefgh'] }))).toEqual([
      'too_short',
      'contains_username',
      'simple_sequence',
    ]);
    if (verdict.accepted) throw new Error('expected a rejection');
    for (const reason of verdict.reasons) {
      expect(reason.message.sv).toMatch(/\S/u);
      expect(reason.message.en).toMatch(/\S/u);
      expect(reason.message.sv).not.toBe(reason.message.en);
    }
    expect(verdict.reasons[0]).toMatchObject({ code: 'too_short', min: 15 });
    expect(codes(checkPassword('password', { usernames: ['password@x.se'], secondFactor: true }))).toEqual([
      'too_common',
      'contains_username',
    ]);
  });
});

describe('the shipped list of common passwords', () => {
  it('is curated: a few hundred lower-case NFC entries of at least 8 characters, without duplicates', () => {
    expect(COMMON_PASSWORDS.length).toBeGreaterThan(100);
    expect(COMMON_PASSWORDS.length).toBeLessThan(1000);
    expect(new Set(COMMON_PASSWORDS).size).toBe(COMMON_PASSWORDS.length);
    for (const entry of COMMON_PASSWORDS) {
      expect(entry).toBe(entry.normalize('NFC').toLowerCase());
      expect([...entry].length).toBeGreaterThanOrEqual(8);
    }
    expect(COMMON_PASSWORDS.filter((entry) => [...entry].length >= 15).length).toBeGreaterThan(200);
  });
});
