import type { Handler } from 'hono';
import { securityHeaders } from '../middleware/security-headers';
import { escapeHtml, policyForInlineStyle } from '../server-rendered-html';
import {
  type ApiReference,
  buildApiReference,
  type FieldRow,
  type Inline,
  type OperationSection,
  type ParameterRow,
  prettyJson,
  type ResponseEntry,
  type RichText,
  schemaAnchor,
} from './reference-model';

/*
 * GET /ingest/v1/docs: the OpenAPI document as a readable page, rendered on the server once. No JavaScript and no
 * external assets: the only thing the page loads is its own <style> element, which the page's Content Security
 * Policy admits by hash and nothing else.
 */

const STYLE = `
:root { color-scheme: light; --ink: #1c2430; --muted: #5a6675; --line: #d9dee5; --tint: #f4f6f9; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
header, nav, main { max-width: 72rem; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 2rem; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 .25rem; font-size: 1.9rem; }
h2 { margin: 2.5rem 0 .75rem; padding-top: .5rem; border-top: 2px solid var(--ink); font-size: 1.45rem; }
h3 { margin: 2rem 0 .5rem; font-size: 1.2rem; }
h4 { margin: 1.25rem 0 .4rem; font-size: 1rem; }
a { color: var(--accent); }
.version, .muted { color: var(--muted); }
code, pre { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: .88em; }
p code, td code, li code { background: var(--tint); padding: .05em .3em; border-radius: 3px; }
pre { background: var(--tint); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; overflow-x: auto; }
td pre { white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
th { background: var(--tint); font-weight: 600; }
td.name { white-space: nowrap; }
tr.depth-1 td.name { padding-left: 1.6rem; }
tr.depth-2 td.name { padding-left: 2.6rem; }
tr.depth-3 td.name { padding-left: 3.6rem; }
.operation { border: 1px solid var(--line); border-radius: 8px; padding: 0 1.25rem 1rem; margin: 1.5rem 0; }
.operation h3 { display: flex; gap: .75rem; align-items: baseline; flex-wrap: wrap; }
.method { font-size: .8rem; font-weight: 700; letter-spacing: .04em; padding: .15rem .5rem; border-radius: 4px; color: #fff; background: #4a5563; }
.method-get { background: #1f7a44; } .method-post { background: #0b5cad; } .method-put { background: #8a5a00; }
.method-delete { background: #a3262a; } .method-patch { background: #6b3fa0; }
.summary { font-weight: 600; }
nav ul { columns: 2; padding-left: 1.2rem; }
nav li { break-inside: avoid; }
details { margin: .25rem 0 .75rem; }
summary { cursor: pointer; color: var(--accent); }
.required { font-weight: 600; }
`;

/** The page's Content Security Policy: nothing but its own stylesheet, by hash (computed once, at load). */
export const REFERENCE_PAGE_CSP = policyForInlineStyle(STYLE);

/**
 * The handler for GET /ingest/v1/docs. It is registered in front of the app's security-headers middleware, which
 * would replace this page's policy with the JSON API's `default-src 'none'` (no stylesheet); so it applies the same
 * middleware itself and then sets its own policy.
 */
export function ingestReferencePage(document: () => object): Handler {
  // Rendered on the first request, not at cold start: most ingest invocations never ask for it.
  let html: string | undefined;
  const withSecurityHeaders = securityHeaders();
  return async function ingestReferencePage(c) {
    html ??= renderReferencePage(document());
    await withSecurityHeaders(c, async () => {
      c.res = c.body(html ?? '', 200, { 'Content-Type': 'text/html; charset=utf-8' });
    });
    c.header('Content-Security-Policy', REFERENCE_PAGE_CSP);
    return c.res;
  };
}

/** The whole page as HTML. Every text from the document is escaped. */
export function renderReferencePage(document: object): string {
  const reference = buildApiReference(document);
  const title = `${reference.title} ${reference.version}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(reference.title)} <span class="version">${escapeHtml(reference.version)}</span></h1>`,
    '<p class="muted">Generated from the OpenAPI 3.1 document, also served as JSON at <a href="openapi.json">openapi.json</a>.</p>',
    '</header>',
    contents(reference),
    '<main>',
    '<section id="overview">',
    '<h2>Overview</h2>',
    paragraphs(reference.description),
    servers(reference),
    '</section>',
    authentication(reference),
    ...reference.tags.map(
      (tag) =>
        `<section id="${escapeHtml(tag.anchor)}">\n<h2>${escapeHtml(tag.name)}</h2>\n${paragraphs(tag.description)}\n${tag.operations.map(operation).join('\n')}\n</section>`,
    ),
    responseSchemas(reference),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function contents(reference: ApiReference): string {
  const operations = reference.tags.flatMap((tag) =>
    tag.operations.map(
      (op) =>
        `<li><a href="#${escapeHtml(op.anchor)}"><code>${escapeHtml(op.method)} ${escapeHtml(op.path)}</code></a> ${escapeHtml(op.summary)}</li>`,
    ),
  );
  return `<nav aria-label="Contents">\n<h2>Contents</h2>\n<ul>\n<li><a href="#overview">Overview</a></li>\n<li><a href="#authentication">Authentication</a></li>\n${operations.join('\n')}\n<li><a href="#response-schemas">Response schemas</a></li>\n</ul>\n</nav>`;
}

function servers(reference: ApiReference): string {
  if (reference.servers.length === 0) return '';
  const items = reference.servers.map(
    (server) => `<li><code>${escapeHtml(server.url)}</code> ${inline(server.description)}</li>`,
  );
  return `<h3>Base URL</h3>\n<ul>\n${items.join('\n')}\n</ul>`;
}

function authentication(reference: ApiReference): string {
  const schemes = reference.authentication.map(
    (scheme) =>
      `<h3>${escapeHtml(scheme.name)}: ${inline(scheme.kind)}</h3>\n${scheme.usage ? `<pre><code>${escapeHtml(scheme.usage)}</code></pre>\n` : ''}${paragraphs(scheme.description)}`,
  );
  return `<section id="authentication">\n<h2>Authentication</h2>\n${schemes.join('\n') || '<p>None.</p>'}\n</section>`;
}

function operation(op: OperationSection): string {
  const method = op.method.toLowerCase();
  const parts = [
    `<section class="operation" id="${escapeHtml(op.anchor)}">`,
    `<h3><span class="method method-${escapeHtml(method)}">${escapeHtml(op.method)}</span> <code>${escapeHtml(op.path)}</code></h3>`,
    op.summary ? `<p class="summary">${escapeHtml(op.summary)}</p>` : '',
    paragraphs(op.description),
    `<p><strong>Authentication:</strong> ${op.security.length > 0 ? op.security.map((name) => `<a href="#authentication">${escapeHtml(name)}</a>`).join(', ') : 'none (public)'}</p>`,
  ];
  if (op.parameters.length > 0) parts.push('<h4>Parameters</h4>', parameterTable(op.parameters));
  if (op.requestBody) {
    const body = op.requestBody;
    parts.push(
      `<h4>Request body${body.schemaName ? ` <span class="muted">(${escapeHtml(body.schemaName)})</span>` : ''}</h4>`,
      `<p><code>${escapeHtml(body.contentType)}</code>${body.required ? ', required' : ', optional'}.</p>`,
      paragraphs(body.description),
      fieldTable(body.fields),
    );
    if (body.example !== undefined) parts.push('<h4>Example</h4>', exampleBlock(body.example));
  }
  parts.push('<h4>Responses</h4>', responseTable(op.responses), '</section>');
  return parts.filter(Boolean).join('\n');
}

function parameterTable(parameters: readonly ParameterRow[]): string {
  const rows = parameters.map(
    (parameter) =>
      `<tr><td class="name"><code>${escapeHtml(parameter.name)}</code></td><td>${escapeHtml(parameter.in)}</td><td>${escapeHtml(parameter.type)}</td><td>${requiredCell(parameter.required)}</td><td>${describe(parameter.description, parameter.example)}</td><td>${constraints(parameter.constraints)}</td></tr>`,
  );
  return `<table>\n<thead><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th><th>Description</th><th>Constraints</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function fieldTable(fields: readonly FieldRow[]): string {
  if (fields.length === 0) return '';
  const rows = fields.map(
    (field) =>
      `<tr class="depth-${Math.min(field.depth, 3)}"><td class="name"><code>${escapeHtml(field.name)}</code></td><td>${escapeHtml(field.type)}</td><td>${requiredCell(field.required)}</td><td>${describe(field.description, field.example)}</td><td>${constraints(field.constraints)}</td></tr>`,
  );
  return `<table>\n<thead><tr><th>Field</th><th>Type</th><th>Required</th><th>Description</th><th>Constraints</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function responseTable(responses: readonly ResponseEntry[]): string {
  const rows = responses.map((response) => {
    const body = response.schemaName
      ? `<a href="#${escapeHtml(schemaAnchor(response.schemaName))}">${escapeHtml(response.schemaName)}</a>`
      : '';
    const headers = response.headers.map(
      (header) => `<br>Header <code>${escapeHtml(header.name)}</code>: ${inline(header.description)}`,
    );
    const example =
      response.example === undefined
        ? ''
        : `<details><summary>Example</summary>\n${exampleBlock(response.example)}\n</details>`;
    return `<tr><td><strong>${escapeHtml(response.status)}</strong></td><td>${inline(response.description)}${headers.join('')}${example}</td><td>${body}</td></tr>`;
  });
  return `<table>\n<thead><tr><th>Status</th><th>Description</th><th>Body</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function responseSchemas(reference: ApiReference): string {
  const sections = reference.schemas.map((schema) =>
    [
      `<section id="${escapeHtml(schema.anchor)}">`,
      `<h3>${escapeHtml(schema.name)}</h3>`,
      paragraphs(schema.description),
      fieldTable(schema.fields),
      schema.example === undefined
        ? ''
        : `<details><summary>Example</summary>\n${exampleBlock(schema.example)}\n</details>`,
      '</section>',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return `<section id="response-schemas">\n<h2>Response schemas</h2>\n${sections.join('\n')}\n</section>`;
}

/** Examples carry the business data, which is Swedish. */
function exampleBlock(example: unknown): string {
  return `<pre lang="sv"><code>${escapeHtml(prettyJson(example))}</code></pre>`;
}

function requiredCell(required: boolean): string {
  return required ? '<span class="required">required</span>' : 'optional';
}

function describe(description: Inline, example: string | undefined): string {
  const text = inline(description);
  if (example === undefined) return text;
  return `${text}${text ? '<br>' : ''}<span class="muted">Example:</span> <code lang="sv">${escapeHtml(example)}</code>`;
}

function constraints(list: readonly Inline[]): string {
  return list.map(inline).join('<br>');
}

function paragraphs(text: RichText): string {
  return text.map((paragraph) => `<p>${inline(paragraph)}</p>`).join('\n');
}

function inline(spans: Inline): string {
  return spans
    .map((span) => {
      const text = escapeHtml(span.text);
      if (span.kind === 'strong') return `<strong>${text}</strong>`;
      if (span.kind === 'code') return `<code>${text}</code>`;
      return text;
    })
    .join('');
}
