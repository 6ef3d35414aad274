import { describe, expect, it } from 'vitest';
import { hostProblem, originProblem, slugProblem } from '../../../functions/domain/clinic-provisioning';

describe("a new clinic's slug", () => {
  it('is 2 to 40 lowercase letters, digits and inner hyphens', () => {
    expect(['ab', 'halsan-vast', 'fhv-2', 'a'.repeat(40)].map(slugProblem)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(slugProblem('a')).toBe('2 to 40 characters');
    expect(slugProblem('a'.repeat(41))).toBe('2 to 40 characters');
    for (const bad of ['Halsan', 'hälsan', 'halsan_vast', '-halsan', 'halsan-', 'hal.san', 'hal san']) {
      expect(slugProblem(bad), bad).toMatch(/lowercase letters/u);
    }
  });

  it('is not a name of the platform', () => {
    for (const reserved of ['www', 'api', 'admin', 'localhost', 'ingest']) {
      expect(slugProblem(reserved), reserved).toMatch(/^not a reserved name/u);
    }
  });
});

describe("a new clinic's host and origin", () => {
  it('is a lowercase host name without scheme, port or path', () => {
    expect(hostProblem('halsan-vast.portal.example.se')).toBeUndefined();
    expect(hostProblem('halsan-vast.localhost')).toBeUndefined();
    for (const bad of [
      'https://h.example.se',
      'h.example.se:443',
      'H.example.se',
      'localhost',
      'h..example.se',
      'h.se/x',
    ]) {
      expect(hostProblem(bad), bad).toMatch(/lowercase host name/u);
    }
  });

  it("is https on the clinic's own host; http only on a *.localhost host (the local portal)", () => {
    expect(originProblem('https://h.example.se', 'h.example.se')).toBeUndefined();
    expect(originProblem('http://h.localhost:3000', 'h.localhost')).toBeUndefined();
    expect(originProblem('http://h.example.se', 'h.example.se')).toBe('an https:// URL');
    expect(originProblem('https://other.example.se', 'h.example.se')).toBe("on the clinic's host h.example.se");
    expect(originProblem('https://h.example.se/portal', 'h.example.se')).toMatch(/no path/u);
    expect(originProblem('h.example.se', 'h.example.se')).toMatch(/a URL/u);
  });
});
