import { describe, expect, it } from 'vitest';
import { autoStartUrl, isMobileDevice, parseBankIdReturn } from '../../../frontend/src/views/bankid-login';

const TOKEN = '7c40b5c9-fa74-49cf-b98c-bfe651f9a7c6';

describe('opening the BankID app on this device', () => {
  it("uses BankID's universal link on phones and the bankid: scheme on computers, never with a return URL", () => {
    expect(autoStartUrl(TOKEN, true)).toBe(`https://app.bankid.com/?autostarttoken=${TOKEN}&redirect=null`);
    expect(autoStartUrl(TOKEN, false)).toBe(`bankid:///?autostarttoken=${TOKEN}&redirect=null`);
  });

  it('recognises phones and tablets, including an iPad that calls itself a Mac', () => {
    const iPhone = { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)', maxTouchPoints: 5 };
    const iPad = { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', maxTouchPoints: 5 };
    const mac = { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', maxTouchPoints: 0 };
    const hinted = { userAgent: 'whatever', maxTouchPoints: 0, userAgentData: { mobile: true } };

    expect([iPhone, iPad, mac, hinted].map((browser) => isMobileDevice(browser))).toEqual([true, true, false, true]);
  });

  it('reads the login and nonce from the return URL’s fragment, and nothing that is not two UUIDs', () => {
    const nonce = 'c1f4b0a2-5d3e-4f6a-9b7c-8d9e0f1a2b3c';

    expect(parseBankIdReturn(`#login=${TOKEN}&nonce=${nonce}`)).toEqual({ loginId: TOKEN, nonce });
    expect(parseBankIdReturn(`login=${TOKEN}&nonce=${nonce}`)).toEqual({ loginId: TOKEN, nonce });
    expect(parseBankIdReturn(`#login=${TOKEN}`)).toBeUndefined();
    expect(parseBankIdReturn(`#login=${TOKEN}&nonce=<script>`)).toBeUndefined();
    expect(parseBankIdReturn('')).toBeUndefined();
  });
});
