import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { configFor, type PortalConfig, PROJECT_ROOT, type Stage } from '../../../lib/config';
import { createStacks, type PortalStacks } from '../../../lib/create-stacks';

/** The feature flags of cdk.json, so tests synthesize exactly what `cdk synth` does. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: object };
  return { ...cdkJson.context };
}

let frontendDist: string | undefined;

/** A stand-in for the Vite build (one per test process), so infra tests neither need nor wait for the frontend. */
function fakeFrontendDist(): string {
  if (!frontendDist) {
    frontendDist = mkdtempSync(join(tmpdir(), 'portal-frontend-'));
    writeFileSync(join(frontendDist, 'index.html'), '<!doctype html><title>Företagsportal</title>');
  }
  return frontendDist;
}

export interface PortalApp {
  readonly app: App;
  readonly stacks: PortalStacks;
}

/** Builds the app as bin/portal.ts does, minus Lambda bundling (assets are hashed, not built: much faster). */
export function buildPortalApp(stage: Stage = 'dev', overrides: Partial<PortalConfig> = {}): PortalApp {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const config = configFor(stage, { frontendDistPath: fakeFrontendDist(), ...overrides });
  return { app, stacks: createStacks(app, config) };
}

export interface PortalTemplates {
  readonly data: Template;
  readonly api: Template;
  readonly web: Template;
  readonly observability: Template;
  /** Undefined when the config names an existing web ACL (`webAclArn`). */
  readonly edgeSecurity: Template | undefined;
}

export function templatesOf({ stacks }: PortalApp): PortalTemplates {
  return {
    data: Template.fromStack(stacks.data),
    api: Template.fromStack(stacks.api),
    web: Template.fromStack(stacks.web),
    observability: Template.fromStack(stacks.observability),
    edgeSecurity: stacks.edgeSecurity && Template.fromStack(stacks.edgeSecurity),
  };
}

/** For `beforeAll` hooks that synthesize: vitest's 10 s hook default is too tight on a busy 2-core machine. */
export const SYNTH_TIMEOUT_MS = 120_000;
