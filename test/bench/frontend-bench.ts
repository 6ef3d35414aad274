import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { build } from 'vite';
import { startLocalPortal } from '../../functions/local/start-local-portal';
import { CHROMIUM_PATH } from '../support/browser';

/** The targets, printed next to the figures (a benchmark reports; it never fails the build). */
const TARGETS = { accessibility: 100, performance: 95 } as const;
const INITIAL_JS_TARGET_KB = 50;

/** The pages of the production build, and the HTML file each is served from. */
const PAGES = [
  ['contact portal', 'index.html'],
  ['administration', 'admin.html'],
] as const;

/**
 * The JavaScript a page loads before it can show anything: its entry script and the chunks it preloads (Vite writes
 * both into the HTML), gzip-compressed at level 9 as CloudFront would at best.
 */
function initialJavaScript(outDir: string, htmlFile: string): { readonly files: string[]; readonly gzipBytes: number } {
  const html = readFileSync(join(outDir, htmlFile), 'utf8');
  const files = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/gu),
  ].map((match) => match[1] ?? '');
  const gzipBytes = files.reduce(
    (sum, file) => sum + gzipSync(readFileSync(join(outDir, file)), { level: 9 }).byteLength,
    0,
  );
  return { files, gzipBytes };
}

function printInitialJavaScript(outDir: string): void {
  console.log('\nFrontend: initial JavaScript per page (production build, gzip -9)');
  for (const [page, htmlFile] of PAGES) {
    const { files, gzipBytes } = initialJavaScript(outDir, htmlFile);
    console.log(
      `  ${page.padEnd(16)} ${(gzipBytes / 1024).toFixed(1).padStart(5)} KB (target ≤ ${INITIAL_JS_TARGET_KB} KB)   ${files.join(' + ')}`,
    );
  }
}

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The frontend's initial JavaScript, then Lighthouse (accessibility and performance, desktop and mobile presets) on the production build of the frontend, served by the
 * local portal, driving Debian's Chromium: the login page, and the document list of a logged-in demo contact.
 */
export async function runFrontendBench(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-lighthouse-frontend-'));
  const dataDirectory = mkdtempSync(join(tmpdir(), 'bench-lighthouse-data-'));
  await build({
    configFile: join(repositoryRoot, 'frontend/vite.config.ts'),
    mode: 'production',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  printInitialJavaScript(outDir);
  const portal = await startLocalPortal({ quiet: true, dataDirectory, frontendDirectory: outDir });
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const demo = portal.demoLogins[0];
    if (!demo) throw new Error('The local portal seeded no demo login.');
    const login = await fetch(`${portal.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: portal.url },
      body: JSON.stringify({ username: demo.username, password: demo.password }),
    });
    const cookie = login.headers.get('Set-Cookie')?.split(';')[0];
    if (login.status !== 200 || !cookie) throw new Error(`The demo login failed with ${login.status}.`);

    console.log('\nLighthouse 12 (Debian Chromium, production build served by the local portal)');
    const pages: ReadonlyArray<readonly [string, Record<string, string>]> = [
      ['login page', {}],
      ['document list (logged in)', { Cookie: cookie }],
    ];
    // Desktop, and Lighthouse's default: a mid-range phone on a slow 4G line (simulated throttling).
    const presets = [
      ['desktop', desktopConfig],
      ['mobile', undefined],
    ] as const;
    for (const [preset, config] of presets)
      for (const [page, extraHeaders] of pages) {
        const name = `${page}, ${preset}`;
        const result = await lighthouse(
          portal.url,
          {
            port: chrome.port,
            output: 'json',
            logLevel: 'error',
            onlyCategories: ['accessibility', 'performance'],
            extraHeaders,
          },
          config,
        );
        const categories = result?.lhr.categories;
        const score = (id: keyof typeof TARGETS) => Math.round((categories?.[id]?.score ?? Number.NaN) * 100);
        const audits = result?.lhr.audits ?? {};
        const metric = (id: string) => audits[id]?.displayValue ?? '?';
        const failing = Object.values(audits)
          .filter((audit) => audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode === 'binary')
          .map((audit) => audit.id);
        console.log(
          `  ${name.padEnd(36)} accessibility ${score('accessibility')} (target ${TARGETS.accessibility})   ` +
            `performance ${score('performance')} (target ≥ ${TARGETS.performance})` +
            (failing.length > 0 ? `   failing audits: ${failing.join(', ')}` : ''),
        );
        console.log(
          `  ${''.padEnd(36)} FCP ${metric('first-contentful-paint')}, LCP ${metric('largest-contentful-paint')}, ` +
            `TBT ${metric('total-blocking-time')}, CLS ${metric('cumulative-layout-shift')}, SI ${metric('speed-index')}`,
        );
      }
  } finally {
    chrome.kill();
    await portal.stop();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}
