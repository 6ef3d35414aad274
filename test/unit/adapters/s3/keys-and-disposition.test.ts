import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from '../../../../functions/adapters/s3/content-disposition';
import { objectKeys } from '../../../../functions/adapters/s3/keys';

describe('S3 object keys', () => {
  it("keeps every document under its tenant's prefix", () => {
    const tenant = randomUUID();
    const key = objectKeys.documentPdf(tenant, randomUUID(), randomUUID());

    expect(key.startsWith(objectKeys.tenantPrefix(tenant))).toBe(true);
    expect(key).toMatch(/^tenants\/[0-9a-f-]{36}\/customers\/[0-9a-f-]{36}\/documents\/[0-9a-f-]{36}\.pdf$/u);
  });

  it.each(['../other', 'a/b', '198001011234', ''])(
    'refuses %j as an id, so no path or personal number enters a key',
    (bad) => {
      expect(() => objectKeys.documentPdf(randomUUID(), randomUUID(), bad)).toThrow(/expected a UUID/u);
    },
  );

  it("keeps a clinic's logo under its branding prefix, named by nothing but the SHA-256 of its bytes", () => {
    const tenant = randomUUID();
    const sha256 = 'ab'.repeat(32);

    expect(objectKeys.brandingLogo(tenant, sha256)).toBe(`tenants/${tenant}/branding/logo-${sha256}`);
    expect(() => objectKeys.brandingLogo(tenant, '../logo')).toThrow(/expected 64 hex digits/u);
    expect(() => objectKeys.brandingLogo(tenant, 'AB'.repeat(32))).toThrow(/expected 64 hex digits/u);
  });
});

describe('attachmentDisposition (RFC 6266 / 8187)', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(attachmentDisposition('Fakturaunderlag_2024-01_Åsa Öberg.pdf')).toBe(
      `attachment; filename="Fakturaunderlag_2024-01_Asa Oberg.pdf"; filename*=UTF-8''Fakturaunderlag_2024-01_%C3%85sa%20%C3%96berg.pdf`,
    );
  });

  it('cannot be broken out of by quotes, backslashes or line breaks in the name', () => {
    const header = attachmentDisposition('a"; filename=evil.exe\r\nX: y\\.pdf');

    expect(header).not.toMatch(/[\r\n]/u);
    expect(header.split('filename=')).toHaveLength(2);
    expect(header).toContain(`filename*=UTF-8''a%22%3B%20filename%3Devil.exe%0D%0AX%3A%20y%5C.pdf`);
  });
});
