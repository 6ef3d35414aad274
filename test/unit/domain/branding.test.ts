import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkBranding,
  contrastRatio,
  deriveTheme,
  FIXED_COLOURS,
  relativeLuminance,
  type Theme,
  themeContrastPairs,
} from '../../../functions/domain/branding';
import { ValidationError } from '../../../functions/domain/errors';

/** Colours a clinic might pick, the ones that break naive themes first: mid greys, pure yellow, black, white. */
const PATHOLOGICAL = ['#ffff00', '#777777', '#000000', '#ffffff', '#767676', '#959595', '#00ff00', '#ff0000'];
const BRANDS = ['#0b5563', '#e30613', '#005eb8', '#f39200', '#7fba00', '#00a3e0', '#6b2c91', '#c8102e', '#ffcc00'];

/** A deterministic spread over the whole cube (a fixed-stride walk, so failures are reproducible). */
function spread(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const value = (i * 2_654_435_761) % 0x1000000;
    return `#${value.toString(16).padStart(6, '0')}`;
  });
}

const HEX = /^#[0-9a-f]{6}$/u;

function expectAccessible(theme: Theme): void {
  for (const colour of Object.values(theme)) expect(colour).toMatch(HEX);
  for (const pair of themeContrastPairs(theme)) {
    const ratio = contrastRatio(pair.foreground, pair.background);
    expect(ratio, `${pair.name}: ${pair.foreground} on ${pair.background}`).toBeGreaterThanOrEqual(pair.minimum);
  }
}

describe('WCAG contrast maths', () => {
  it('computes the relative luminance of the extremes and of a mid grey', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 10);
    // #777777: 0x77/255 = 0.4667 → ((0.4667 + 0.055) / 1.055)^2.4 = 0.1845
    expect(relativeLuminance('#777777')).toBeCloseTo(0.1845, 4);
  });

  it('gives 21:1 for black on white, 1:1 for a colour on itself, and the published ratios of known pairs', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 10);
    expect(contrastRatio('#0b5563', '#0b5563')).toBe(1);
    // #767676 is the lightest grey that passes 4.5:1 on white; #777777 just fails (4.48:1).
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
    expect(contrastRatio('#ffff00', '#ffffff')).toBeCloseTo(1.07, 2);
  });
});

describe('the theme derived from a clinic colour', () => {
  it.each([...PATHOLOGICAL, ...BRANDS])('meets WCAG 2.1 AA in every pair for %s', (primaryColor) => {
    expectAccessible(deriveTheme({ primaryColor }));
    expectAccessible(deriveTheme({ primaryColor, accentColor: primaryColor }));
  });

  it('meets WCAG 2.1 AA in every pair for 2000 colours across the whole range', () => {
    const colours = spread(2000);
    for (const [index, primaryColor] of colours.entries()) {
      expectAccessible(deriveTheme({ primaryColor, accentColor: colours[(index + 7) % colours.length] as string }));
    }
  });

  it('keeps a colour that already works, with whichever text reads best on it', () => {
    expect(deriveTheme({ primaryColor: '#0b5563' })).toMatchObject({ primary: '#0b5563', onPrimary: '#ffffff' });
    // Pure yellow stays yellow for buttons, with dark text; links cannot be yellow on white, so they darken.
    const yellow = deriveTheme({ primaryColor: '#ffff00' });
    expect(yellow).toMatchObject({ primary: '#ffff00', onPrimary: FIXED_COLOURS.text });
    expect(yellow.link).not.toBe('#ffff00');
    expect(deriveTheme({ primaryColor: '#ffffff' })).toMatchObject({
      primary: '#ffffff',
      onPrimary: FIXED_COLOURS.text,
    });
    expect(deriveTheme({ primaryColor: '#000000' })).toMatchObject({ primary: '#000000', onPrimary: '#ffffff' });
  });

  it('moves a mid grey, on which neither white nor dark text passes, by as little as it takes', () => {
    const theme = deriveTheme({ primaryColor: '#777777' });

    expect(theme.primary).not.toBe('#777777');
    expect(contrastRatio(theme.onPrimary, theme.primary)).toBeGreaterThanOrEqual(4.5);
    // One or two small steps, not a jump to black or white.
    expect(Math.abs(relativeLuminance(theme.primary) - relativeLuminance('#777777'))).toBeLessThan(0.05);
  });

  it('draws the focus ring in the accent colour, else the primary colour, made visible on light backgrounds', () => {
    expect(deriveTheme({ primaryColor: '#0b5563', accentColor: '#c8102e' }).focus).toBe('#c8102e');
    expect(deriveTheme({ primaryColor: '#0b5563' }).focus).toBe('#0b5563');
    const paleFocus = deriveTheme({ accentColor: '#ffff00' }).focus;
    expect(contrastRatio(paleFocus, '#ffffff')).toBeGreaterThanOrEqual(3);
  });

  it('falls back to the neutral theme without branding, which is what styles.css declares', () => {
    const neutral = deriveTheme(undefined);
    expectAccessible(neutral);
    expect(deriveTheme({})).toEqual(neutral);
    expect(deriveTheme({ contact: { phone: '08-123 456 78' } })).toEqual(neutral);

    // The page's own stylesheet must draw the same neutral theme before (or without) the tenant's answer.
    const css = readFileSync(new URL('../../../frontend/src/styles.css', import.meta.url), 'utf8');
    const declared = (property: string) => new RegExp(`--${property}:\\s*(#[0-9a-f]{6});`, 'u').exec(css)?.[1];
    expect({
      primary: declared('color-primary'),
      primaryHover: declared('color-primary-hover'),
      onPrimary: declared('color-on-primary'),
      primarySoft: declared('color-primary-soft'),
      link: declared('color-link'),
      linkHover: declared('color-link-hover'),
      focus: declared('color-focus'),
    }).toEqual(neutral);
    expect(declared('color-surface')).toBe(FIXED_COLOURS.surface);
    expect(declared('color-background')).toBe(FIXED_COLOURS.background);
    expect(declared('color-text')).toBe(FIXED_COLOURS.text);
  });
});

describe('checking branding where it enters', () => {
  it('accepts #rrggbb in either case, storing lower case, and contact details', () => {
    expect(
      checkBranding({ primaryColor: '#0B5563', accentColor: '#c8102e', contact: { phone: '08-123 456 78' } }),
    ).toEqual({ primaryColor: '#0b5563', accentColor: '#c8102e', contact: { phone: '08-123 456 78' } });
    expect(checkBranding({})).toEqual({});
  });

  it.each(['red', '#fff', '#0b556', '#0b55633', 'rgb(0, 0, 0)', '0b5563', '#gg0000', ' #0b5563', '#0b5563;x'])(
    'refuses %j as a colour, naming the field',
    (colour) => {
      expect(() => checkBranding({ primaryColor: colour })).toThrow(ValidationError);
      expect(() => checkBranding({ primaryColor: colour })).toThrow(/primaryColor must be a colour written #rrggbb/u);
      try {
        checkBranding({ accentColor: colour });
      } catch (error) {
        expect((error as ValidationError).details).toHaveProperty('accentColor');
      }
    },
  );

  it('refuses empty or overlong contact details, naming the field', () => {
    expect(() => checkBranding({ contact: { email: ' ' } })).toThrow(/contact\.email/u);
    expect(() => checkBranding({ contact: { openingHours: 'x'.repeat(201) } })).toThrow(/contact\.openingHours/u);
  });
});
