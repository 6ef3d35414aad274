import { describe, expect, it } from 'vitest';
import { otpauthTotp, totpSecretFromBase32 } from '../../../functions/adapters/security/otpauth-totp';
import { demoSeed } from '../../../functions/local/seed/demo-data';
import { TOTP_DEV_PAGE_CSP, totpDevPage } from '../../../functions/local/totp-dev-page';

describe('the /dev/totp page (local development only)', () => {
  const { admin, clinic } = demoSeed();
  const at = new Date('2024-06-03T08:00:10.000Z');
  const page = totpDevPage({ admin, clinicName: clinic.name, clock: { now: () => at } });

  it("shows the demo administrator's current code, the enrolment URI and the recovery codes, without JavaScript", async () => {
    const response = await page.request('http://localhost/dev/totp');
    const html = await response.text();

    expect(response.status).toBe(200);
    const code = /id="totp-code"[^>]*>(\d{6})</u.exec(html)?.[1] ?? '';
    expect(otpauthTotp.matchingStep(totpSecretFromBase32(admin.totpSecretBase32), code, at)).toBe(
      Math.floor(at.getTime() / 30_000),
    );
    expect(html).toContain('otpauth://totp/Demo%20F%C3%B6retagsh%C3%A4lsa%20AB%20F%C3%B6retagsportal:');
    expect(html).toContain('<meta http-equiv="refresh" content="20">');
    for (const recoveryCode of admin.recoveryCodes) expect(html).toContain(recoveryCode);
    expect(html).not.toMatch(/<script/iu);
    expect(response.headers.get('Content-Security-Policy')).toBe(TOTP_DEV_PAGE_CSP);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
  });

  it('answers only on loopback names, and owns every path below it', async () => {
    const rebound = await page.request('http://evil.example/dev/totp');
    const below = await page.request('http://localhost/dev/totp/anything');

    expect(rebound.status).toBe(421);
    expect(below.status).toBe(404);
  });
});
