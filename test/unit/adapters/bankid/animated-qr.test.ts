import { describe, expect, it } from 'vitest';
import { animatedQrData } from '../../../../functions/adapters/bankid/animated-qr';

const TOKEN = '67df3917-fa0d-44e5-b327-edcc928297f8';
const SECRET = 'd28db9a7-4cde-429e-a983-359be676944c';

describe('animatedQrData', () => {
  it("matches BankID's official test vector at t = 0", () => {
    expect(animatedQrData(TOKEN, SECRET, 0)).toBe(
      `bankid.${TOKEN}.0.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8`,
    );
  });

  it('changes every second and writes t in decimal', () => {
    const codes = [0, 1, 2, 10, 29].map((t) => animatedQrData(TOKEN, SECRET, t));

    expect(new Set(codes).size).toBe(codes.length);
    expect(codes[3]).toMatch(new RegExp(`^bankid\\.${TOKEN}\\.10\\.[0-9a-f]{64}$`));
  });

  it('uses the whole seconds elapsed, so any moment within a second gives that second’s code', () => {
    expect(animatedQrData(TOKEN, SECRET, 1.999)).toBe(animatedQrData(TOKEN, SECRET, 1));
  });

  it('depends on the secret', () => {
    expect(animatedQrData(TOKEN, 'another-secret', 0)).not.toBe(animatedQrData(TOKEN, SECRET, 0));
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses t = %s', (t) => {
    expect(() => animatedQrData(TOKEN, SECRET, t)).toThrow(RangeError);
  });
});
