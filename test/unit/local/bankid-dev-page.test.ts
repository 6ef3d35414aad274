import { createHash } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BANKID_DEV_PAGE_CSP,
  BANKID_DEV_PAGE_STYLE,
  bankIdDevPage,
  renderBankIdDevPage,
} from '../../../functions/local/bankid-dev-page';
import {
  type BankIdSimulator,
  startBankIdSimulator,
} from '../../../functions/local/bankid-simulator/start-bankid-simulator';
import { TEST_IDENTITIES } from '../../../functions/local/bankid-simulator/test-identities';

let simulator: BankIdSimulator;
let app: Hono;

beforeAll(async () => {
  simulator = await startBankIdSimulator();
  app = bankIdDevPage({ controlUrl: simulator.controlUrl });
});
afterAll(async () => {
  await simulator?.stop();
});

const identity = (index: number) => {
  const found = TEST_IDENTITIES[index];
  if (!found) throw new Error(`No test identity ${index}`);
  return found;
};

/** One RP API call over HTTPS with mutual TLS, like the portal makes it (as in bankid-simulator.test.ts). */
function rp(path: string, body: unknown): Promise<{ status: number; json: Record<string, string> }> {
  const url = new URL(path, simulator.baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
        ca: simulator.caCertificatePem,
        pfx: Buffer.from(simulator.rpCertificate.pkcs12),
        passphrase: simulator.rpCertificate.passphrase,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

async function newOrder(path = 'auth', extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await rp(path, { endUserIp: '192.0.2.44', ...extra });
  expect(answer.status).toBe(200);
  const orderRef = answer.json.orderRef;
  if (!orderRef) throw new Error('no orderRef');
  return orderRef;
}

const page = async (path = '/dev/bankid') => {
  const response = await app.request(path);
  return { response, html: await response.text() };
};

function post(orderRef: string, action: 'approve' | 'cancel', form: Record<string, string>, headers = {}) {
  return app.request(`/dev/bankid/orders/${encodeURIComponent(orderRef)}/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

const SAME_ORIGIN = { Origin: 'http://localhost' };

describe('the BankID dev page', () => {
  it('shows the empty state when no order is pending', async () => {
    const { response, html } = await page();
    expect(response.status).toBe(200);
    expect(html).toContain('<title>BankID-simulator (endast lokal utveckling)</title>');
    expect(html).toContain('Inga pågående BankID-beställningar. Starta en inloggning i portalen.');
    expect(html).not.toContain('<table>');
    expect(html).toMatch(/<meta http-equiv="refresh" content="2; url=\/dev\/bankid">/);
    expect(html).toContain('<main>');
  });

  it('lists a pending order with its age, hint code, method and the test identities, masked', async () => {
    const orderRef = await newOrder();
    const { response, html } = await page();
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(html).toContain('<caption>');
    expect(html).toContain('<th scope="col">Ålder</th>');
    expect(html).toContain(`<code title="${orderRef}">${orderRef.slice(0, 8)}…</code>`);
    expect(html).toContain(`action="/dev/bankid/orders/${orderRef}/approve"`);
    expect(html).toContain(`action="/dev/bankid/orders/${orderRef}/cancel"`);
    expect(html).toContain('<code>outstandingTransaction</code>');
    expect(html).toContain('<code>auth</code>');
    expect(html).toMatch(/<td>[0-2] s<\/td>/);
    expect(html).toContain('Godkänn som vald person');
    expect(html).toContain('Avbryt (som användaren)');
    expect(html).toMatch(
      /<label for="identitet-\d+">Testperson<\/label><select id="identitet-\d+" name="personalNumber">/,
    );
    for (const person of TEST_IDENTITIES) {
      const masked = `${person.givenName} ${person.surname} (${person.personalNumber.slice(0, 8)}-****)`;
      expect(html).toContain(`<option value="${person.personalNumber}"`);
      expect(html).toContain(`>${masked}</option>`);
    }
    simulator.control.userCancel(orderRef);
  });

  it('computes the age with the given clock', async () => {
    const orderRef = await newOrder();
    const later = bankIdDevPage({
      controlUrl: simulator.controlUrl,
      clock: { now: () => new Date(Date.now() + 42_000) },
    });
    const html = await (await later.request('/dev/bankid')).text();
    expect(html).toMatch(/<td>4[23] s<\/td>/);
    simulator.control.userCancel(orderRef);
  });

  it('approves an order as the chosen identity and redirects back with 303', async () => {
    const person = identity(3);
    const orderRef = await newOrder();
    const response = await post(orderRef, 'approve', { personalNumber: person.personalNumber }, SAME_ORIGIN);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/dev/bankid?done=approved&som=3');
    expect(response.headers.get('Location')).not.toContain(person.personalNumber);
    const order = simulator.control.order(orderRef);
    expect(order?.status).toBe('complete');
    expect(order?.completionData?.user.personalNumber).toBe(person.personalNumber);
    expect(order?.completionData?.user.name).toBe(`${person.givenName} ${person.surname}`);
    // The portal's collect sees the same.
    const collected = await rp('collect', { orderRef });
    expect(collected.json.status).toBe('complete');

    const next = await newOrder();
    const { html } = await page('/dev/bankid?done=approved&som=3');
    expect(html).toContain('role="status">Beställningen är godkänd.');
    expect(html).toContain(`<option value="${person.personalNumber}" selected>`);
    expect(html).toContain('content="2; url=/dev/bankid?som=3"');
    simulator.control.userCancel(next);
  });

  it('opens the order’s return URL after approving a login on the same device, as the app does', async () => {
    const returnUrl = 'https://portal.test/bankid/retur#login=l&nonce=n';
    const orderRef = await newOrder('auth', { returnUrl });

    const response = await post(orderRef, 'approve', { personalNumber: identity(0).personalNumber }, SAME_ORIGIN);

    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe(returnUrl);
    expect(simulator.control.order(orderRef)?.status).toBe('complete');
  });

  it('cancels an order as the user', async () => {
    const orderRef = await newOrder();
    const response = await post(orderRef, 'cancel', {}, SAME_ORIGIN);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/dev/bankid?done=cancelled');
    expect(simulator.control.order(orderRef)).toMatchObject({ status: 'failed', hintCode: 'userCancel' });
    expect((await page()).html).not.toContain(orderRef);
  });

  it('reports what the simulator refused, with fixed texts', async () => {
    const orderRef = await newOrder();
    const stranger = await post(orderRef, 'approve', { personalNumber: '190001019800' }, SAME_ORIGIN);
    expect(stranger.headers.get('Location')).toBe('/dev/bankid?error=identity');
    const malformed = await post(orderRef, 'approve', { personalNumber: '<script>' }, SAME_ORIGIN);
    expect(malformed.headers.get('Location')).toBe('/dev/bankid?error=identity');
    expect(simulator.control.order(orderRef)?.status).toBe('pending');

    await post(orderRef, 'approve', { personalNumber: identity(0).personalNumber }, SAME_ORIGIN);
    const twice = await post(orderRef, 'approve', { personalNumber: identity(0).personalNumber }, SAME_ORIGIN);
    expect(twice.headers.get('Location')).toBe('/dev/bankid?error=conflict');
    const unknown = await post('0b5e7a8c-0000-4000-8000-000000000000', 'cancel', {}, SAME_ORIGIN);
    expect(unknown.status).toBe(303);
    expect(unknown.headers.get('Location')).toBe('/dev/bankid?error=gone');

    const { html } = await page('/dev/bankid?error=gone');
    expect(html).toContain('role="alert">Beställningen finns inte längre');
  });

  it('refuses a POST without an Origin, with a foreign one or from another port, and changes nothing', async () => {
    const orderRef = await newOrder();
    const form = { personalNumber: identity(0).personalNumber };
    const refused = [
      {},
      { Origin: 'https://evil.example' },
      { Origin: 'http://localhost:3001' },
      { Origin: 'null' },
      { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' },
    ];
    for (const headers of refused) {
      const approve = await post(orderRef, 'approve', form, headers);
      expect(approve.status, JSON.stringify(headers)).toBe(403);
      expect((await post(orderRef, 'cancel', {}, headers)).status).toBe(403);
    }
    expect(simulator.control.order(orderRef)).toMatchObject({ status: 'pending', hintCode: 'outstandingTransaction' });
    expect(simulator.control.order(orderRef)?.completionData).toBeUndefined();
    simulator.control.userCancel(orderRef);
  });

  it("admits the browser's Origin: null from its own no-referrer page when Sec-Fetch-Site says same-origin", async () => {
    const orderRef = await newOrder();
    const response = await post(orderRef, 'cancel', {}, { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' });
    expect(response.status).toBe(303);
    expect(simulator.control.order(orderRef)?.hintCode).toBe('userCancel');
  });

  it('answers only on loopback host names (no DNS rebinding)', async () => {
    const orderRef = await newOrder();
    expect((await app.request('http://evil.example/dev/bankid')).status).toBe(421);
    const rebound = await app.request(`http://evil.example/dev/bankid/orders/${orderRef}/approve`, {
      method: 'POST',
      headers: { Origin: 'http://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `personalNumber=${identity(0).personalNumber}`,
    });
    expect(rebound.status).toBe(421);
    expect(simulator.control.order(orderRef)?.status).toBe('pending');
    expect((await app.request('http://127.0.0.1:3000/dev/bankid')).status).toBe(200);
    simulator.control.userCancel(orderRef);
  });

  it('escapes what the simulator reports, and never reflects the query string', async () => {
    const hostile = '<script>alert(1)</script>"\'&';
    const orderRef = await newOrder('sign', { userVisibleData: Buffer.from(hostile, 'utf8').toString('base64') });
    const { html } = await page(`/dev/bankid?done=${encodeURIComponent(hostile)}&error=${encodeURIComponent(hostile)}`);
    expect(html).toContain('<q>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;</q>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('alert(1)</');
    expect(html).not.toContain('role="status"');
    expect(html).not.toContain('role="alert"');
    simulator.control.userCancel(orderRef);

    const rendered = renderBankIdDevPage({
      now: new Date('2025-03-03T09:00:10Z'),
      orders: [
        {
          orderRef: '"><script>x</script>',
          kind: '<script>kind</script>',
          status: '<b>pending</b>',
          hintCode: '<script>hint</script>',
          createdAt: '2025-03-03T09:00:00Z',
        },
      ],
      identities: [{ personalNumber: '"><script>', givenName: '<script>Åsa</script>', surname: '<img src=x>' }],
    });
    expect(rendered).not.toMatch(/<script|<img|<b>/);
    expect(rendered).toContain('&lt;script&gt;hint&lt;/script&gt;');
    expect(rendered).toContain('&lt;script&gt;Åsa&lt;/script&gt; &lt;img src=x&gt; (****)');
    expect(rendered).toContain('action="/dev/bankid/orders/%22%3E%3Cscript%3Ex%3C%2Fscript%3E/approve"');
    expect(rendered).toContain('<td>10 s</td>');
  });

  it('sends its own Content Security Policy, whose hash admits exactly its stylesheet', async () => {
    const { response, html } = await page();
    expect(response.headers.get('Content-Security-Policy')).toBe(BANKID_DEV_PAGE_CSP);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    const style = /<style>([\s\S]*?)<\/style>/u.exec(html)?.[1];
    expect(style).toBe(BANKID_DEV_PAGE_STYLE);
    const hash = createHash('sha256')
      .update(style ?? '', 'utf8')
      .digest('base64');
    expect(BANKID_DEV_PAGE_CSP).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(html.match(/<style/gu)).toHaveLength(1);
    expect(html).not.toMatch(/style=|<script/u);

    const refused = await post('x', 'cancel', {}, {});
    expect(refused.headers.get('Content-Security-Policy')).toBe(BANKID_DEV_PAGE_CSP);
    expect(refused.headers.get('Cache-Control')).toBe('no-store');
  });

  it('owns its path: a trailing slash redirects, anything else below it is 404 (never the frontend)', async () => {
    const slash = await app.request('/dev/bankid/');
    expect(slash.status).toBe(308);
    expect(slash.headers.get('Location')).toBe('/dev/bankid');
    const other = await app.request('/dev/bankid/orders/x/approve');
    expect(other.status).toBe(404);
    expect(other.headers.get('Content-Security-Policy')).toBe(BANKID_DEV_PAGE_CSP);
    expect((await app.request('/dev/bankid', { method: 'POST', headers: SAME_ORIGIN })).status).toBe(404);
  });

  it('refuses a control URL that is not a local simulator', () => {
    for (const controlUrl of [
      'http://example.com/simulator/',
      'http://10.0.0.5:8080/simulator/',
      'https://127.0.0.1:9000/simulator/',
      'http://127.0.0.1.evil.example/simulator/',
      'not a url',
    ]) {
      expect(() => bankIdDevPage({ controlUrl }), controlUrl).toThrow();
    }
    expect(() => bankIdDevPage({ controlUrl: 'http://localhost:1234/simulator/' })).not.toThrow();
  });

  it('says so when the simulator cannot be reached', async () => {
    const orphan = bankIdDevPage({ controlUrl: 'http://127.0.0.1:1/simulator/' });
    const response = await orphan.request('/dev/bankid');
    expect(response.status).toBe(503);
    const html = await response.text();
    expect(html).toContain('role="alert">BankID-simulatorn svarade inte');
    expect(html).not.toContain('Inga pågående');
    const posted = await orphan.request('/dev/bankid/orders/abc/cancel', { method: 'POST', headers: SAME_ORIGIN });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('Location')).toBe('/dev/bankid?error=simulator');
  });
});
