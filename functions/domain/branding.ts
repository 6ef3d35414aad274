import { ValidationError } from './errors';

/**
 * A clinic's branding: its colours and contact details (the logo and support text live on the tenant itself). The
 * clinic picks colours freely; the portal never shows them raw but derives a {@link Theme} in which every pair of
 * text and background it uses meets WCAG 2.1 AA, whatever the clinic picked.
 */
export interface TenantBranding {
  /** `#rrggbb`: buttons, links and the tint of highlighted rows. */
  readonly primaryColor?: string;
  /** `#rrggbb`: the focus ring. The primary colour serves when absent. */
  readonly accentColor?: string;
  readonly contact?: ClinicContactDetails;
}

/** How contact persons reach the clinic; shown in the portal's footer. */
export interface ClinicContactDetails {
  readonly phone?: string;
  readonly email?: string;
  /** Free text ("Vardagar 8–16"). */
  readonly openingHours?: string;
}

/**
 * The colours the portal is drawn with, each `#rrggbb`. The pairs they form, and the contrast each pair must
 * reach, are {@link themeContrastPairs}: the frontend uses a colour only in the pairs listed there.
 */
export interface Theme {
  /** The background of primary buttons and the skip link. */
  readonly primary: string;
  /** The background of a primary button under the pointer. */
  readonly primaryHover: string;
  /** Text on {@link primary} and {@link primaryHover}. */
  readonly onPrimary: string;
  /** A light tint behind highlighted rows and hovered light buttons. */
  readonly primarySoft: string;
  /** Links, light buttons' text and border, checkboxes: on the page, on cards and on {@link primarySoft}. */
  readonly link: string;
  readonly linkHover: string;
  /** The focus ring, drawn on the page or on a card. */
  readonly focus: string;
}

/**
 * The colours of the portal that no clinic changes (frontend/src/styles.css `:root`): the backgrounds the theme's
 * colours are drawn on, and body text, which is drawn on {@link Theme.primarySoft}.
 */
export const FIXED_COLOURS = { surface: '#ffffff', background: '#f4f6f8', text: '#1b2631' } as const;

/** The portal's own colours: the neutral theme of a clinic without branding is derived from these. */
export const NEUTRAL_BRANDING = { primaryColor: '#0b5563', accentColor: '#174ea6' } as const;

/** WCAG 2.1 AA: 1.4.3 for normal text, 1.4.11 for user-interface components and graphics (the focus ring). */
export const AA_TEXT_CONTRAST = 4.5;
export const AA_NON_TEXT_CONTRAST = 3;

const HEX_COLOUR = /^#[0-9a-f]{6}$/iu;

type Rgb = readonly [number, number, number];

function mapRgb(rgb: Rgb, f: (channel: number, index: 0 | 1 | 2) => number): Rgb {
  return [f(rgb[0], 0), f(rgb[1], 1), f(rgb[2], 2)];
}

function parseColour(hex: string): Rgb {
  if (!HEX_COLOUR.test(hex)) throw new Error(`Not a #rrggbb colour: ${hex}`);
  return mapRgb([1, 3, 5], (start) => Number.parseInt(hex.slice(start, start + 2), 16));
}

function formatColour(rgb: Rgb): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2.1 relative luminance of an sRGB colour (0 for black, 1 for white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = mapRgb(parseColour(hex), (channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.1 contrast ratio of two colours, from 1 (the same) to 21 (black on white); the order does not matter. */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

/** `colour` moved `fraction` (0–1) of the way to `target` in sRGB: how tints, shades and the small steps are made. */
function mix(colour: string, target: string, fraction: number): string {
  const from = parseColour(colour);
  const to = parseColour(target);
  return formatColour(mapRgb(from, (channel, index) => channel + (to[index] - channel) * fraction));
}

const BLACK = '#000000';
const WHITE = '#ffffff';
/** Each step moves a colour this much further towards black or white; 20 steps reach them, which always pass. */
const STEP = 0.05;
const STEPS = Math.round(1 / STEP);

/**
 * The colour nearest `colour`, moving towards `target` in small steps, for which `passes` holds. Black and white
 * pass every check this module makes of them (the backgrounds here are all light or all dark), so this ends.
 */
function stepTowards(colour: string, target: string, passes: (candidate: string) => boolean): string | undefined {
  for (let step = 0; step <= STEPS; step++) {
    const candidate = mix(colour, target, step * STEP);
    if (passes(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The button colours: the clinic's colour kept if white or dark text on it passes (the better of the two wins);
 * otherwise the colour darkened or lightened by as few steps as it takes for one of them to pass.
 */
function buttonColours(primary: string): { readonly primary: string; readonly onPrimary: string } {
  const textsOn = (background: string) =>
    [WHITE, FIXED_COLOURS.text]
      .filter((text) => contrastRatio(text, background) >= AA_TEXT_CONTRAST)
      .sort((a, b) => contrastRatio(b, background) - contrastRatio(a, background));
  for (let step = 0; step <= STEPS; step++) {
    for (const target of [BLACK, WHITE]) {
      const candidate = mix(primary, target, step * STEP);
      const [text] = textsOn(candidate);
      if (text) return { primary: candidate, onPrimary: text };
    }
  }
  // Unreachable: black under white text passes.
  throw new Error(`No button colour passes for ${primary}`);
}

/**
 * The theme for a clinic's branding, or the neutral one without. Assumes colours that passed
 * {@link checkBranding}.
 */
export function deriveTheme(branding: TenantBranding | undefined): Theme {
  const clinicColour = branding?.primaryColor ?? NEUTRAL_BRANDING.primaryColor;
  const focusColour = branding?.accentColor ?? branding?.primaryColor ?? NEUTRAL_BRANDING.accentColor;
  const { primary, onPrimary } = buttonColours(clinicColour);
  // Hover moves away from the text colour, so the text on it only gains contrast.
  const primaryHover = mix(primary, onPrimary === WHITE ? BLACK : WHITE, 0.25);
  const primarySoft = mix(clinicColour, WHITE, 0.9);
  const lightBackgrounds = [FIXED_COLOURS.surface, FIXED_COLOURS.background, primarySoft];
  const readableOnLight = (candidate: string) =>
    lightBackgrounds.every((background) => contrastRatio(candidate, background) >= AA_TEXT_CONTRAST);
  const link = stepTowards(clinicColour, BLACK, readableOnLight) ?? BLACK;
  const linkHover = mix(link, BLACK, 0.25);
  const focus =
    stepTowards(focusColour, BLACK, (candidate) =>
      [FIXED_COLOURS.surface, FIXED_COLOURS.background].every(
        (background) => contrastRatio(candidate, background) >= AA_NON_TEXT_CONTRAST,
      ),
    ) ?? BLACK;
  return { primary, primaryHover, onPrimary, primarySoft, link, linkHover, focus };
}

export interface ContrastPair {
  /** What the pair is, for messages: "onPrimary on primaryHover". */
  readonly name: string;
  readonly foreground: string;
  readonly background: string;
  readonly minimum: number;
}

/** Every pair of colours the portal draws with a theme, and the contrast WCAG 2.1 AA asks of it. */
export function themeContrastPairs(theme: Theme): readonly ContrastPair[] {
  const pair = (name: string, foreground: string, background: string, minimum: number): ContrastPair => ({
    name,
    foreground,
    background,
    minimum,
  });
  const light = { surface: FIXED_COLOURS.surface, background: FIXED_COLOURS.background } as const;
  return [
    pair('onPrimary on primary', theme.onPrimary, theme.primary, AA_TEXT_CONTRAST),
    pair('onPrimary on primaryHover', theme.onPrimary, theme.primaryHover, AA_TEXT_CONTRAST),
    pair('text on primarySoft', FIXED_COLOURS.text, theme.primarySoft, AA_TEXT_CONTRAST),
    ...(['link', 'linkHover'] as const).flatMap((colour) => [
      pair(`${colour} on surface`, theme[colour], light.surface, AA_TEXT_CONTRAST),
      pair(`${colour} on background`, theme[colour], light.background, AA_TEXT_CONTRAST),
      pair(`${colour} on primarySoft`, theme[colour], theme.primarySoft, AA_TEXT_CONTRAST),
    ]),
    pair('focus on surface', theme.focus, light.surface, AA_NON_TEXT_CONTRAST),
    pair('focus on background', theme.focus, light.background, AA_NON_TEXT_CONTRAST),
  ];
}

/** Contact details are short lines in a footer: anything longer is a mistake, not a detail. */
const MAX_CONTACT_LENGTH = 200;

/**
 * Checks branding where it enters (the admin pages, the seed): colours must be `#rrggbb` — named colours, `rgb()`
 * and shorthand are refused rather than guessed at, so what is stored is what the contrast maths reads. The error
 * names each offending field.
 */
export function checkBranding(branding: TenantBranding): TenantBranding {
  const problems: Record<string, string> = {};
  for (const field of ['primaryColor', 'accentColor'] as const) {
    const value = branding[field];
    if (value !== undefined && !HEX_COLOUR.test(value)) {
      problems[field] = `must be a colour written #rrggbb (e.g. #0b5563), not ${JSON.stringify(value)}`;
    }
  }
  for (const field of ['phone', 'email', 'openingHours'] as const) {
    const value = branding.contact?.[field];
    if (value !== undefined && (value.trim() === '' || value.length > MAX_CONTACT_LENGTH)) {
      problems[`contact.${field}`] = `must be between 1 and ${MAX_CONTACT_LENGTH} characters`;
    }
  }
  const fields = Object.keys(problems);
  if (fields.length > 0) {
    throw new ValidationError(`Invalid branding: ${fields.map((f) => `${f} ${problems[f]}`).join('; ')}.`, problems);
  }
  return {
    ...branding,
    ...(branding.primaryColor ? { primaryColor: branding.primaryColor.toLowerCase() } : {}),
    ...(branding.accentColor ? { accentColor: branding.accentColor.toLowerCase() } : {}),
  };
}
