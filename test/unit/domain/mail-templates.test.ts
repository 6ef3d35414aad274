import { describe, expect, it } from 'vitest';
import type { MailLanguage, MailMessage } from '../../../functions/domain/mail';
import { composeMail } from '../../../functions/domain/mail-templates';

const KINDS = [
  'contact-invitation',
  'password-reset',
  'admin-invitation',
] as const satisfies readonly LinkMailMessage['kind'][];
const LANGUAGES = ['sv', 'en'] as const satisfies readonly MailLanguage[];
const EVERY_MAIL = KINDS.flatMap((kind) => LANGUAGES.map((language) => [kind, language] as const));

const LINK = 'https://portal.example.se/losenord#nyckel=q3Vb8-Yx_0';

/** The mails that carry a single-use link (every kind but the notice of new documents). */
type LinkMailMessage = Extract<MailMessage, { readonly validMinutes: number }>;

function message(
  kind: LinkMailMessage['kind'],
  overrides: Partial<Omit<LinkMailMessage, 'kind'>> = {},
): LinkMailMessage {
  return {
    kind,
    recipientName: 'Anna Åberg',
    clinicName: 'Företagshälsan Öst',
    link: LINK,
    validMinutes: 60,
    ...overrides,
  };
}

/** Markup of any kind: tags, comments, doctypes and character references. */
const MARKUP = /<[a-z!/][^>]*>|&(?:[a-z]+|#\d+|#x[\da-f]+);/iu;

describe('the mail templates', () => {
  it.each(EVERY_MAIL)('write a %s in %s with a subject, a plain text and an HTML version', (kind, language) => {
    // Act
    const mail = composeMail(message(kind), language);

    // Assert
    expect(mail.subject.trim()).not.toBe('');
    expect(mail.subject).not.toMatch(/[\r\n]/u);
    expect(mail.text).toContain(language === 'sv' ? 'Hej Anna Åberg!' : 'Hello Anna Åberg,');
    expect(mail.text).toContain(language === 'sv' ? 'Länken fungerar i 60 minuter' : 'The link works for 60 minutes');
    expect(mail.text.split('\n')).toContain(LINK);
    expect(mail.html).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${language}">`, 'u'));
    expect(mail.html).toContain('<meta charset="utf-8">');
    expect(mail.html).toContain(language === 'sv' ? 'Länken fungerar i 60 minuter' : 'The link works for 60 minutes');
    // The button, and the same link as text for clients that hide buttons.
    expect(mail.html.match(new RegExp(`<a href="${LINK}"`, 'gu'))).toHaveLength(2);
    expect(mail.html).toContain(`>${LINK}</a>`);
  });

  it.each(EVERY_MAIL)('keep the plain text of a %s in %s free of markup', (kind, language) => {
    const { text } = composeMail(message(kind), language);

    expect(text).not.toMatch(MARKUP);
    expect(text.endsWith('\n')).toBe(true);
  });

  it.each(EVERY_MAIL)('say nothing in a %s in %s but what the message holds', (kind, language) => {
    // Arrange: two messages alike in everything but their data
    const first = message(kind, { recipientName: 'Anna Åberg', clinicName: 'Företagshälsan Öst', link: LINK });
    const second = message(kind, {
      recipientName: 'Bo Ek',
      clinicName: 'Hälsopartner Syd',
      link: 'https://annan.example.se/x#t=zz',
    });
    const skeleton = (mail: MailMessage) => {
      const composed = composeMail(mail, language);
      return [composed.subject, composed.text, composed.html].map((part) =>
        part
          .replaceAll(mail.link, '{link}')
          .replaceAll(mail.recipientName, '{name}')
          .replaceAll(mail.clinicName, '{clinic}'),
      );
    };

    // Act / Assert: with the data taken out, the two mails are the same, so nothing else (no address, no date,
    // no personal number) can have got in
    expect(skeleton(first)).toEqual(skeleton(second));
    expect(skeleton(first).join('')).not.toMatch(/@|\d{6}/u);
  });

  it('say the Swedish phrases the clinics asked for', () => {
    const invitation = composeMail(message('contact-invitation'), 'sv');
    const reset = composeMail(message('password-reset'), 'sv');
    const admin = composeMail(message('admin-invitation'), 'sv');

    expect(invitation.subject).toBe('Inbjudan till företagsportalen hos Företagshälsan Öst');
    expect(invitation.text).toContain('Företagshälsan Öst har bjudit in dig till företagsportalen');
    expect(invitation.html).toContain('>Välj lösenord</a>');
    expect(reset.html).toContain('>Välj nytt lösenord</a>');
    expect(reset.text).toContain(
      'Om du inte har bett om ett nytt lösenord kan du bortse från det här mejlet; ditt nuvarande lösenord fortsätter att gälla.',
    );
    expect(admin.text).toContain('administratör för Företagshälsan Öst');
    expect(admin.text).toMatch(/tvåstegsverifiering med en autentiseringsapp/u);
    expect(invitation.text).not.toMatch(/tvåstegsverifiering/u);
  });

  it('tell an English administrator about two-step verification', () => {
    const admin = composeMail(message('admin-invitation'), 'en');

    expect(admin.text).toContain('two-step verification with an authenticator app');
    expect(admin.html).toContain('>Choose password</a>');
  });

  it('escape names and the link in the HTML, and keep them verbatim in the plain text', () => {
    // Arrange
    const hostile = message('contact-invitation', {
      recipientName: '<script>alert(1)</script>',
      clinicName: `Bergström & "Söner" <Hälsa> 'AB'`,
      link: 'https://portal.example.se/losenord?a=1&b=2#t="x"',
    });

    // Act
    const mail = composeMail(hostile, 'sv');

    // Assert
    expect(mail.html).not.toMatch(/<script|<Hälsa>|"Söner"|a=1&b/u);
    expect(mail.html).toContain('Hej &lt;script&gt;alert(1)&lt;/script&gt;!');
    expect(mail.html).toContain('Bergström &amp; &quot;Söner&quot; &lt;Hälsa&gt; &#39;AB&#39;');
    expect(mail.html).toContain('<a href="https://portal.example.se/losenord?a=1&amp;b=2#t=&quot;x&quot;"');
    expect(mail.html).toContain(`<title>Inbjudan till företagsportalen hos Bergström &amp; &quot;Söner&quot;`);
    expect(mail.text).toContain('Hej <script>alert(1)</script>!');
    expect(mail.subject).toBe(`Inbjudan till företagsportalen hos Bergström & "Söner" <Hälsa> 'AB'`);
  });

  it('lay the HTML out with presentation tables and inline styles only: no scripts, no stylesheets', () => {
    const { html } = composeMail(message('password-reset'), 'en');

    expect(html.match(/<table/gu)?.length).toBeGreaterThan(0);
    expect(html.match(/<table/gu)).toHaveLength(html.match(/<table role="presentation"/gu)?.length ?? 0);
    expect(html).not.toMatch(/<script|<style|<link|<img/iu);
  });

  it('put a name that spans lines on one line, so it can split neither a sentence nor the subject', () => {
    const mail = composeMail(
      message('contact-invitation', { recipientName: 'Anna\n  Åberg', clinicName: 'Öst\r\nBcc: x@example.se' }),
      'sv',
    );

    expect(mail.subject).toBe('Inbjudan till företagsportalen hos Öst Bcc: x@example.se');
    expect(mail.text).toContain('Hej Anna Åberg!');
  });

  it.each([
    [1, '1 minut', '1 minute'],
    [30, '30 minuter', '30 minutes'],
    [60, '60 minuter', '60 minutes'],
    [90, '90 minuter', '90 minutes'],
    [120, '2 timmar', '2 hours'],
    [24 * 60, '1 dag', '1 day'],
    [3 * 24 * 60, '3 dagar', '3 days'],
  ])('say a validity of %i minutes as "%s" / "%s"', (validMinutes, swedish, english) => {
    expect(composeMail(message('contact-invitation', { validMinutes }), 'sv').text).toContain(
      `Länken fungerar i ${swedish} och`,
    );
    expect(composeMail(message('contact-invitation', { validMinutes }), 'en').text).toContain(
      `The link works for ${english} and`,
    );
  });

  it('refuse a link that is not http(s), and a validity that is not a whole number of minutes', () => {
    expect(() => composeMail(message('password-reset', { link: 'javascript:alert(1)' }), 'sv')).toThrow(/http/u);
    expect(() => composeMail(message('password-reset', { link: '/relative#t=1' }), 'sv')).toThrow(/http/u);
    expect(() => composeMail(message('password-reset', { validMinutes: 0 }), 'sv')).toThrow(/minutes/u);
    expect(() => composeMail(message('password-reset', { validMinutes: 7.5 }), 'sv')).toThrow(/minutes/u);
    expect(() => composeMail(message('password-reset', { link: 'http://localhost:3000/#t=1' }), 'sv')).not.toThrow();
  });
});

describe('the notice of new documents', () => {
  const notice = (overrides: Partial<Omit<Extract<MailMessage, { kind: 'new-documents' }>, 'kind'>> = {}) =>
    ({
      kind: 'new-documents',
      recipientName: 'Anna Åberg',
      clinicName: 'Företagshälsan Öst',
      companyName: 'Exempel AB',
      documentCount: 3,
      link: 'https://portal.example.se/',
      ...overrides,
    }) as const;

  it.each(LANGUAGES)(
    'says in %s how many documents there are, for which company, and links to the portal',
    (language) => {
      const mail = composeMail(notice(), language);

      expect(mail.subject).toBe(
        language === 'sv' ? 'Nya fakturaunderlag för Exempel AB' : 'New invoice specifications for Exempel AB',
      );
      expect(mail.text).toContain(
        language === 'sv'
          ? 'Företagshälsan Öst har publicerat 3 nya fakturaunderlag för Exempel AB i företagsportalen.'
          : 'Företagshälsan Öst has published 3 new invoice specifications for Exempel AB in the company portal.',
      );
      expect(mail.text.split('\n')).toContain('https://portal.example.se/');
      expect(mail.html.match(/<a href="https:\/\/portal\.example\.se\/"/gu)).toHaveLength(2);
      expect(mail.text).not.toMatch(MARKUP);
      // It is a notice, not a single-use link: nothing about validity.
      expect(mail.text).not.toMatch(/Länken fungerar|The link works/u);
    },
  );

  it('says "ett nytt" / "a new" for one document', () => {
    expect(composeMail(notice({ documentCount: 1 }), 'sv').text).toContain('har publicerat ett nytt fakturaunderlag');
    expect(composeMail(notice({ documentCount: 1 }), 'en').text).toContain('has published a new invoice specification');
  });

  it('refuses a count that is not a whole, positive number, and a link that is not http(s)', () => {
    expect(() => composeMail(notice({ documentCount: 0 }), 'sv')).toThrow(/documents/u);
    expect(() => composeMail(notice({ documentCount: 1.5 }), 'sv')).toThrow(/documents/u);
    expect(() => composeMail(notice({ link: 'javascript:alert(1)' }), 'sv')).toThrow(/http/u);
  });

  it('keeps a company name on one line, so it cannot add a header to the subject', () => {
    expect(composeMail(notice({ companyName: 'Exempel AB\r\nBcc: x@example.se' }), 'sv').subject).toBe(
      'Nya fakturaunderlag för Exempel AB Bcc: x@example.se',
    );
  });
});
