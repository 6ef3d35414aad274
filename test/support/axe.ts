import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The WCAG 2.0 and 2.1 success criteria of levels A and AA: what the portal promises (issue 5). */
const WCAG_21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeNode {
  readonly target: readonly unknown[];
  readonly failureSummary?: string;
}
interface AxeViolation {
  readonly id: string;
  readonly impact?: string | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly nodes: readonly AxeNode[];
}

/**
 * Runs axe-core on the page as it is now, against WCAG 2.1 A and AA, and fails with a readable list of what it
 * found (rule id, impact, the elements' selectors, what to do).
 *
 * axe's source goes in with `page.evaluate`, not as a `<script>` tag: the portal's Content-Security-Policy
 * (`default-src 'self'`) rightly refuses an inline script, and the DevTools protocol's evaluation is not subject to
 * the page's CSP. So the check runs under the real policy and trips no CSP report (which the browser suites count).
 */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0) {
    throw new Error(
      `axe-core found ${violations.length} WCAG 2.1 AA violation(s) on ${what}:\n${describe(violations)}`,
    );
  }
}

export async function axeViolations(page: Page): Promise<readonly AxeViolation[]> {
  const present = await page.evaluate(() => 'axe' in window);
  if (!present) {
    await page.evaluate(axe.source);
  }
  return page.evaluate(async (tags) => {
    const results = await (
      window as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({
        target: node.target,
        ...(node.failureSummary ? { failureSummary: node.failureSummary } : {}),
      })),
    }));
  }, WCAG_21_AA_TAGS);
}

function describe(violations: readonly AxeViolation[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes
        .map((node) => {
          const summary = node.failureSummary?.replaceAll('\n', ' ').trim();
          return `    - ${JSON.stringify(node.target)}${summary ? `: ${summary}` : ''}`;
        })
        .join('\n');
      return `  ${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n    ${violation.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

const screenshotDirectory = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/**
 * A full-page screenshot as a test artifact in test-results/screenshots/ (git-ignored), rewritten on every run.
 * `name` becomes the file name: keep it to [a-z0-9-].
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDirectory, { recursive: true });
  const path = join(screenshotDirectory, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * The usual pair for a page state: its screenshot, and its accessibility check as a soft assertion, so that one run
 * reports the violations of every page of a journey (the test still fails at its end).
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, name);
  const violations = await axeViolations(page);
  expect.soft(violations.length === 0 ? '' : describe(violations), `axe-core on ${name}`).toBe('');
}
