import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { fileMailSink, type SunkMail } from '../../functions/adapters/mail/file-mail-sink';
import { randomIds, systemClock } from '../../functions/adapters/system/system-clock-and-ids';
import type { MailMessage } from '../../functions/domain/mail';
import { type LocalPortal, startLocalPortal } from '../../functions/local/start-local-portal';
import { launchChromium } from './browser';

const viteConfig = fileURLToPath(new URL('../../frontend/vite.config.ts', import.meta.url));

export interface BrowserPortalOptions {
  /** Names the suite's temporary folders: `portal-e2e-<name>-…`. */
  readonly name: string;
  /**
   * Where the production build of the frontend goes. By default a temporary folder of the suite's own: the browser
   * test files run side by side, and a suite must never serve files another one's build is rewriting. At most one
   * suite builds into frontend/dist (what `npm start` serves).
   */
  readonly buildInto?: 'own folder' | 'frontend/dist';
  /** Added to every new page's browser context (e.g. downloads, a time zone). */
  readonly contextOptions?: BrowserContextOptions;
}

export interface BrowserPortal {
  /** The running local portal; from the suite's beforeAll on. */
  portal(): LocalPortal;
  /** The portal's data folder: its mail sink (`mail/`), and what operator commands act on (PORTAL_DATA_DIR). */
  dataDirectory(): string;
  /** A fresh browser profile per story: no cookies or storage carried over. */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  /** The mails of one kind to the address in the portal's mail sink (the dev mail page's folder), newest first. */
  mailsTo(address: string, kind: MailMessage['kind']): Promise<SunkMail[]>;
  /**
   * The single-use link (`…<path>#<token>`) of the newest invitation or reset mailed to the address, waiting for it
   * to arrive. Notices of new documents, which the portal's sender may mail to the same address at any moment, carry
   * no such link and are passed over.
   */
  linkMailedTo(address: string, path?: string): Promise<string>;
}

/** The mails that carry a single-use set-password link. */
const LINK_MAIL_KINDS: readonly MailMessage['kind'][] = ['contact-invitation', 'password-reset', 'admin-invitation'];

/**
 * The local portal with a production build of the frontend, and headless Chromium, for the describe block this is
 * called in: started before its tests, stopped and removed after them. The site is served under the production
 * Content-Security-Policy, and no page may trip it: every test fails that leaves a CSP violation in the console.
 */
export function useBrowserPortal(options: BrowserPortalOptions): BrowserPortal {
  let portal: LocalPortal | undefined;
  let browser: Browser | undefined;
  let dataDirectory: string | undefined;
  let frontendDirectory: string | undefined;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    const ownBuild = options.buildInto !== 'frontend/dist';
    const [data, frontend] = await Promise.all([
      mkdtemp(join(tmpdir(), `portal-e2e-${options.name}-`)),
      ownBuild ? mkdtemp(join(tmpdir(), `portal-e2e-${options.name}-frontend-`)) : undefined,
    ]);
    [dataDirectory, frontendDirectory] = [data, frontend];
    await build({
      configFile: viteConfig,
      mode: 'production',
      logLevel: 'warn',
      ...(frontend === undefined ? {} : { build: { outDir: frontend, emptyOutDir: true } }),
    });
    [portal, browser] = await Promise.all([
      startLocalPortal({
        dataDirectory: data,
        ...(frontend === undefined ? {} : { frontendDirectory: frontend }),
        quiet: true,
      }),
      launchChromium(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await Promise.all(
      [dataDirectory, frontendDirectory].map(
        (directory) => directory && rm(directory, { recursive: true, force: true }),
      ),
    );
  });

  afterEach(() => {
    expect(cspViolations).toEqual([]);
    cspViolations.length = 0;
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The browser portal's ${what} is there only once its beforeAll has run.`);
    return value;
  };

  const mailSink = () =>
    fileMailSink({
      directory: join(started(dataDirectory, 'data folder'), 'mail'),
      clock: systemClock,
      ids: randomIds,
    });

  return {
    portal: () => started(portal, 'portal'),
    dataDirectory: () => started(dataDirectory, 'data folder'),
    async mailsTo(address, kind) {
      return (await mailSink().list()).filter((mail) => mail.to.address === address && mail.kind === kind);
    },
    async linkMailedTo(address, path = '/satt-losenord') {
      const pattern = new RegExp(`https?://\\S+${path}#\\S+`, 'u');
      let link: string | undefined;
      await expect
        .poll(
          async () => {
            const [mail] = (await mailSink().list()).filter(
              (each) => each.to.address === address && LINK_MAIL_KINDS.includes(each.kind),
            );
            link = mail && pattern.exec(mail.text)?.[0];
            return link;
          },
          { timeout: 10_000 },
        )
        .toBeDefined();
      return link ?? '';
    },
    async newPage() {
      const context = await started(browser, 'browser').newContext({
        locale: 'sv-SE',
        viewport: { width: 1280, height: 800 },
        ...options.contextOptions,
      });
      // On the context, so that every page of it is watched (a story may open more than one).
      context.on('console', (message) => {
        if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
          cspViolations.push(message.text());
        }
      });
      const page = await context.newPage();
      return { context, page };
    },
  };
}
