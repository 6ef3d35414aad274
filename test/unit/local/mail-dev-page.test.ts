import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FileMailSink, fileMailSink, type SunkMail } from '../../../functions/adapters/mail/file-mail-sink';
import { randomIds } from '../../../functions/adapters/system/system-clock-and-ids';
import type { OutgoingMail } from '../../../functions/domain/mail';
import {
  MAIL_DEV_PAGE_CSP,
  MAIL_DEV_PAGE_STYLE,
  MAIL_HTML_VIEW_CSP,
  mailDevPage,
} from '../../../functions/local/mail-dev-page';
import { sendMail } from '../../../functions/use-cases/send-mail';

const LINK = 'http://localhost:3000/valj-losenord#nyckel=Zm9vYmFy';

function mailbox(start = '2025-03-03T09:00:00.000Z') {
  let now = new Date(start);
  const sink = fileMailSink({
    directory: mkdtempSync(join(tmpdir(), 'mail-dev-page-')),
    clock: { now: () => now },
    ids: randomIds,
  });
  return {
    sink,
    app: mailDevPage({ mails: sink }),
    later(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
}

async function invite(sink: FileMailSink, recipientName = 'Anna Åberg', clinicName = 'Företagshälsan Öst') {
  await sendMail(sink, {
    to: { name: recipientName, address: 'anna.aberg@example.se' },
    language: 'sv',
    message: { kind: 'contact-invitation', recipientName, clinicName, link: LINK, validMinutes: 60 },
  });
}

async function newest(sink: FileMailSink): Promise<SunkMail> {
  const [mail] = await sink.list();
  if (!mail) throw new Error('The sink is empty.');
  return mail;
}

async function get(app: ReturnType<typeof mailDevPage>, path: string) {
  const response = await app.request(path);
  return { response, html: await response.text() };
}

afterEach(() => {
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
});

describe('the mail dev page', () => {
  it('says so when nothing has been sent yet, and reloads itself', async () => {
    const { app } = mailbox();

    const { response, html } = await get(app, '/dev/mail');

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/u);
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('<title>Mejl (endast lokal utveckling)</title>');
    expect(html).toContain('Inga mejl ännu.');
    expect(html).not.toContain('<table>');
    expect(html).toContain('<meta http-equiv="refresh" content="5; url=/dev/mail">');
  });

  it('lists every mail, newest first, with its time, recipient, subject and kind', async () => {
    // Arrange
    const { sink, app, later } = mailbox();
    await invite(sink);
    later(65);
    await sendMail(sink, {
      to: { name: 'Bo Ek', address: 'bo.ek@example.se' },
      language: 'en',
      message: { kind: 'password-reset', recipientName: 'Bo Ek', clinicName: 'Öst', link: LINK, validMinutes: 60 },
    });
    const [reset, invitation] = await sink.list();

    // Act
    const { html } = await get(app, '/dev/mail');

    // Assert
    expect(html).toContain('<caption>Skickade mejl, senaste först');
    const rows = html.match(/<tr><td>.*<\/tr>/gu) ?? [];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('<time datetime="2025-03-03T09:01:05.000Z">2025-03-03 09:01:05 UTC</time>');
    expect(rows[0]).toContain('Bo Ek &lt;bo.ek@example.se&gt;');
    expect(rows[0]).toContain(`<a href="/dev/mail/${reset?.id}">Choose a new password for the company portal</a>`);
    expect(rows[0]).toContain('<code>password-reset</code>');
    expect(rows[1]).toContain('<time datetime="2025-03-03T09:00:00.000Z">2025-03-03 09:00:00 UTC</time>');
    expect(rows[1]).toContain(
      `<a href="/dev/mail/${invitation?.id}">Inbjudan till företagsportalen hos Företagshälsan Öst</a>`,
    );
    expect(rows[1]).toContain('<code>contact-invitation</code>');
  });

  it('shows one mail: its headers, its links to follow, its HTML in a sandboxed frame and its plain text', async () => {
    // Arrange
    const { sink, app } = mailbox();
    await invite(sink);
    const mail = await newest(sink);

    // Act
    const { response, html } = await get(app, `/dev/mail/${mail.id}`);

    // Assert
    expect(response.status).toBe(200);
    expect(html).toContain('<h1>Inbjudan till företagsportalen hos Företagshälsan Öst</h1>');
    expect(html).toContain('<dt>Från</dt><dd>Företagshälsan Öst ');
    expect(html).toContain('<dt>Till</dt><dd>Anna Åberg &lt;anna.aberg@example.se&gt;</dd>');
    expect(html).toContain('<dt>Typ</dt><dd><code>contact-invitation</code></dd>');
    expect(html).toContain(`<ul><li><a href="${LINK}">${LINK}</a></li></ul>`);
    expect(html).toContain(
      `<iframe src="/dev/mail/${mail.id}/html" sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" referrerpolicy="no-referrer" title="HTML-versionen av mejlet"></iframe>`,
    );
    expect(html).toContain(`<pre>Hej Anna Åberg!\n\n`);
    expect(html).toContain(`\n${LINK}\n`);
    expect(html).not.toContain('http-equiv="refresh"');
  });

  it("serves the mail's HTML on its own, sandboxed, script-free and framable only by the page", async () => {
    // Arrange
    const { sink, app } = mailbox();
    await invite(sink);
    const mail = await newest(sink);

    // Act
    const { response, html } = await get(app, `/dev/mail/${mail.id}/html`);

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toBe(MAIL_HTML_VIEW_CSP);
    expect(MAIL_HTML_VIEW_CSP).toContain("default-src 'none'");
    expect(MAIL_HTML_VIEW_CSP).toMatch(/; sandbox allow-popups [^;]*$/u);
    expect(MAIL_HTML_VIEW_CSP).not.toMatch(/script|allow-same-origin|allow-forms/u);
    expect(response.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    // The mail as sent, but with its links opening in a new tab rather than inside the frame.
    expect(html).toBe(mail.html.replace('<head>', '<head><base target="_blank">'));
  });

  it('escapes everything that comes from a mail', async () => {
    // Arrange
    const { sink, app } = mailbox();
    const hostile: OutgoingMail = {
      to: { name: '<script>alert(1)</script>', address: '"><img src=x>@example.se' },
      fromName: '<b>Klinik</b>',
      kind: 'contact-invitation',
      subject: '</title><script>alert(2)</script>',
      text: `Hej <script>alert(3)</script>\n${LINK}"><script>\njavascript:alert(4)\n`,
      html: '<p>Hej</p>',
    };
    await sink.send(hostile);
    const mail = await newest(sink);

    // Act
    const pages = [(await get(app, '/dev/mail')).html, (await get(app, `/dev/mail/${mail.id}`)).html];

    // Assert
    for (const html of pages) {
      expect(html).not.toMatch(/<script|<img|<b>/u);
      expect(html).toContain('&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &lt;&quot;&gt;&lt;img src=x&gt;@example.se&gt;');
    }
    const detail = pages[1] ?? '';
    expect(detail).toContain('<pre>Hej &lt;script&gt;alert(3)&lt;/script&gt;');
    // Only http(s) links become anchors, and only up to the first character that cannot be in one.
    expect(detail).toContain(`<ul><li><a href="${LINK}">${LINK}</a></li></ul>`);
    expect(detail).not.toContain('href="javascript:');
  });

  it('answers 404 for an id that is no mail id, for an unknown one, and for anything else below its path', async () => {
    const { sink, app } = mailbox();
    await invite(sink);

    for (const path of [
      `/dev/mail/${randomUUID()}`,
      `/dev/mail/${randomUUID()}/html`,
      '/dev/mail/..%2F..%2Fetc%2Fpasswd',
      '/dev/mail/not-a-uuid/html',
      '/dev/mail/a/b/c',
    ]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('Content-Security-Policy'), path).toBe(MAIL_DEV_PAGE_CSP);
    }
    expect((await app.request('/dev/mail', { method: 'POST' })).status).toBe(404);
  });

  it('redirects a trailing slash to the list', async () => {
    const { app } = mailbox();

    const response = await app.request('/dev/mail/');

    expect(response.status).toBe(308);
    expect(response.headers.get('Location')).toBe('/dev/mail');
  });

  it('sends its own Content Security Policy, whose hash admits exactly its stylesheet, and frames only itself', async () => {
    // Arrange
    const { sink, app } = mailbox();
    await invite(sink);
    const mail = await newest(sink);

    // Act
    const { response, html } = await get(app, `/dev/mail/${mail.id}`);

    // Assert
    expect(response.headers.get('Content-Security-Policy')).toBe(MAIL_DEV_PAGE_CSP);
    expect(response.headers.get('X-Frame-Options')).toBe('DENY');
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const style = /<style>([\s\S]*?)<\/style>/u.exec(html)?.[1];
    expect(style).toBe(MAIL_DEV_PAGE_STYLE);
    const hash = createHash('sha256')
      .update(style ?? '', 'utf8')
      .digest('base64');
    expect(MAIL_DEV_PAGE_CSP).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(html).not.toMatch(/style=|<script/u);
  });

  it('answers only on loopback host names (no DNS rebinding)', async () => {
    const { sink, app } = mailbox();
    await invite(sink);
    const mail = await newest(sink);

    expect((await app.request('http://evil.example/dev/mail')).status).toBe(421);
    expect((await app.request(`http://evil.example/dev/mail/${mail.id}/html`)).status).toBe(421);
    expect((await app.request('http://127.0.0.1:3000/dev/mail')).status).toBe(200);
    expect((await app.request('http://[::1]:3000/dev/mail')).status).toBe(200);
  });

  it('refuses to be built inside AWS Lambda', () => {
    const { sink } = mailbox();
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'Portal-dev-Api-ApiFunction';

    expect(() => mailDevPage({ mails: sink })).toThrow(/local development only/u);
  });
});
