import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { INGEST_API_DOCS_FILE, ingestApiMarkdown } from '../../../functions/cli/write-ingest-api-docs';
import type { InvoiceBasis } from '../../../functions/domain/invoice-basis';
import { findBasisProblems } from '../../../functions/domain/invoice-basis-checks';
import { MAX_INGEST_BODY_BYTES, MAX_INGEST_DECODED_BYTES } from '../../../functions/http/ingest/create-ingest-app';
import { INGEST_BASE_PATH, INGEST_ROUTE_DEFINITIONS } from '../../../functions/http/ingest/ingest-routes';
import { ingestOpenApiDocument } from '../../../functions/http/ingest/openapi-document';
import { buildApiReference, operationAt } from '../../../functions/http/ingest/reference-model';
import {
  ingestReferencePage,
  REFERENCE_PAGE_CSP,
  renderReferencePage,
} from '../../../functions/http/ingest/reference-page';
import {
  ErrorResponse,
  IngestDocumentStatus,
  InvoiceBasisRequest,
  PdfDocumentRequest,
  PdfUploadResponse,
  UpsertCustomersRequest,
  UpsertCustomersResponse,
  WithdrawalRequest,
} from '../../../functions/http/ingest/schemas';

type Json = Record<string, unknown>;

/** The document as clients get it: plain JSON (what GET /ingest/v1/openapi.json serves). */
const openApiJson = (): Json => JSON.parse(JSON.stringify(ingestOpenApiDocument()));

/** The value at a path of keys in parsed JSON (undefined where the path ends early). */
function at(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>(
    (inner, key) => (typeof inner === 'object' && inner !== null ? (inner as Json)[key] : undefined),
    value,
  );
}

function entriesAt(value: unknown, ...path: string[]): [string, unknown][] {
  const found = at(value, ...path);
  return typeof found === 'object' && found !== null ? Object.entries(found) : [];
}

const operationsOf = (document: Json) =>
  entriesAt(document, 'paths').flatMap(([path, item]) =>
    entriesAt(item).map(([method, operation]) => ({
      method,
      path,
      where: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );

const exampleOf = (document: Json, schemaName: string) => at(document, 'components', 'schemas', schemaName, 'example');

const megabytes = (bytes: number) => `${bytes / 1024 / 1024} MB`;

describe('the ingest OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(openApiJson());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every ingest route, and nothing else', () => {
    const documented = operationsOf(openApiJson()).map((operation) => operation.where);
    const routes = INGEST_ROUTE_DEFINITIONS.map(
      (route) => `${route.method.toUpperCase()} ${INGEST_BASE_PATH}${route.path}`,
    );
    expect(documented.sort()).toEqual(routes.sort());
  });

  it('documents authentication and 401 for every operation, and 400/413/415 for every write', () => {
    for (const { method, where, operation } of operationsOf(openApiJson())) {
      expect(at(operation, 'security'), where).toEqual([{ apiKey: [] }]);
      expect(at(operation, 'summary'), where).toBeTruthy();
      const statuses = entriesAt(operation, 'responses').map(([status]) => status);
      expect(statuses, where).toContain('401');
      if (method !== 'get') expect(statuses, where).toEqual(expect.arrayContaining(['400', '413', '415']));
      for (const [status, response] of entriesAt(operation, 'responses')) {
        expect(at(response, 'description'), `${where} ${status}`).toBeTruthy();
      }
    }
  });

  it('documents the Idempotency-Key header on every write with a body', () => {
    for (const { where, operation } of operationsOf(openApiJson())) {
      if (at(operation, 'requestBody') === undefined) continue;
      const header = entriesAt(operation, 'parameters')
        .map(([, parameter]) => parameter)
        .find((parameter) => at(parameter, 'in') === 'header');
      expect(at(header, 'name'), where).toBe('Idempotency-Key');
      expect(at(header, 'description'), where).toMatch(/retry/u);
    }
  });

  it('states the body limits the app enforces', () => {
    const tooLarge = at(openApiJson(), 'paths', `${INGEST_BASE_PATH}/invoice-bases`, 'post', 'responses', '413');
    expect(at(tooLarge, 'description')).toContain(megabytes(MAX_INGEST_BODY_BYTES));
    expect(at(tooLarge, 'description')).toContain(megabytes(MAX_INGEST_DECODED_BYTES));
  });

  it('writes patterns without regular-expression flags', () => {
    const patterns = JSON.stringify(openApiJson()).match(/"pattern":"[^"]*"/gu) ?? [];
    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) expect(pattern).toMatch(/\$"$/u);
  });
});

describe('the examples in the ingest OpenAPI document', () => {
  const document = openApiJson();

  it('has an example for every request body, and each passes the schema that validates the request', () => {
    const requestSchemas = { UpsertCustomersRequest, InvoiceBasisRequest, PdfDocumentRequest, WithdrawalRequest };
    const documentedBodies = operationsOf(document).flatMap(({ operation }) => {
      const ref = at(operation, 'requestBody', 'content', 'application/json', 'schema', '$ref');
      return typeof ref === 'string' ? [ref.split('/').pop()] : [];
    });
    expect(documentedBodies.sort()).toEqual(Object.keys(requestSchemas).sort());
    for (const [name, schema] of Object.entries(requestSchemas)) {
      const example = exampleOf(document, name);
      expect(example, name).toBeDefined();
      expect(schema.safeParse(example).error?.issues ?? [], name).toEqual([]);
    }
  });

  it('has response examples that match the response schemas, and an example body for every error', () => {
    const responseSchemas = { UpsertCustomersResponse, IngestDocumentStatus, PdfUploadResponse, Error: ErrorResponse };
    for (const [name, schema] of Object.entries(responseSchemas)) {
      expect(schema.safeParse(exampleOf(document, name)).error?.issues ?? [], name).toEqual([]);
    }
    for (const { where, operation } of operationsOf(document)) {
      for (const [status, response] of entriesAt(operation, 'responses')) {
        const example = at(response, 'content', 'application/json', 'example');
        if (Number(status) < 400) {
          // A success response may show its own example (a document just received, or withdrawn).
          const ref = String(at(response, 'content', 'application/json', 'schema', '$ref'));
          const schema = Object.entries(responseSchemas).find(([name]) => ref.endsWith(`/${name}`))?.[1];
          if (example === undefined) continue;
          expect(schema, `${where}: the schema of its example`).toBeDefined();
          expect(schema?.safeParse(example).error?.issues, `${where}`).toBeUndefined();
          continue;
        }
        expect(example, `${where} ${status}`).toBeDefined();
        expect(ErrorResponse.safeParse(example).error?.issues ?? [], `${where} ${status}`).toEqual([]);
      }
    }
  });

  it('shows an invoice basis whose lines, VAT per rate and totals add up (0 % and 25 %)', () => {
    const example = InvoiceBasisRequest.parse(exampleOf(document, 'InvoiceBasisRequest'));
    expect(example.customerNumber).toBe('10042');
    expect(example.lines).toHaveLength(3);
    expect(new Set(example.lines.map((line) => line.vatRate))).toEqual(new Set([0, 25]));
    expect(findBasisProblems(basisOf(example), totalsInOre(example.totals))).toEqual([]);
  });

  it('documents for 422 what the checks really say about a wrong VAT total', () => {
    const example = InvoiceBasisRequest.parse(exampleOf(document, 'InvoiceBasisRequest'));
    const invoiceBases = at(document, 'paths', `${INGEST_BASE_PATH}/invoice-bases`, 'post');
    const documented = ErrorResponse.parse(
      at(invoiceBases, 'responses', '422', 'content', 'application/json', 'example'),
    );
    const declaredVat = Number(at(documented.error.details, 'problems', '0', 'declared'));
    expect(declaredVat).not.toBe(example.totals.vat);
    const problems = findBasisProblems(basisOf(example), totalsInOre({ ...example.totals, vat: declaredVat }));
    expect(at(documented.error.details, 'problems')).toEqual(problems);
    expect(documented.error.message).toBe(`The invoice basis does not add up: ${problems[0]?.message}`);
  });
});

describe('the reference structure', () => {
  it('expands nested objects and arrays of objects into field rows, resolving $refs and allOf', () => {
    const reference = buildApiReference(openApiJson());
    const body = operationAt(reference, 'POST', `${INGEST_BASE_PATH}/invoice-bases`).requestBody;
    const names = body?.fields.map((field) => field.name) ?? [];
    expect(names).toEqual(
      expect.arrayContaining(['lines', 'lines[].vatRate', 'totals', 'totals.net', 'clinicReferences.ourReference']),
    );
    expect(body?.fields.find((field) => field.name === 'lines[].vatRate')).toMatchObject({
      depth: 1,
      type: 'number',
      required: true,
    });
    const serviceText = body?.fields.find((field) => field.name === 'lines[].serviceText');
    expect(serviceText?.constraints).toContainEqual([{ kind: 'text', text: '1 to 200 characters' }]);
    // PdfUploadResponse is IngestDocumentStatus.extend(…), an allOf: the inherited fields and the new ones.
    const upload = reference.schemas.find((schema) => schema.name === 'PdfUploadResponse');
    expect(upload?.fields.map((field) => field.name)).toEqual(
      expect.arrayContaining(['documentId', 'status', 'upload.url', 'upload.headers', 'completeUrl']),
    );
  });
});

describe('docs/ingest-api.md', () => {
  it('is what the generator writes', () => {
    const committed = readFileSync(INGEST_API_DOCS_FILE, 'utf8');
    expect(committed, 'docs/ingest-api.md is out of date: run npm run docs:ingest-api').toBe(ingestApiMarkdown());
  });

  it('explains every error status with an example body', () => {
    const markdown = ingestApiMarkdown();
    for (const status of ['400', '401', '403', '404', '409', '413', '415', '422']) {
      expect(markdown).toContain(`\`${status}\`, for example:`);
    }
  });

  it('escapes what a description could smuggle into Markdown; examples stay inside code blocks', () => {
    const markdown = ingestApiMarkdown(doctored());
    const outsideCode = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gmu, '').replace(/(`+)[^`]*?\1/gu, '');
    expect(outsideCode).not.toMatch(/(?<!\\)<(script|img)/iu);
    expect(markdown).toContain('Intro \\<script\\>alert("description")\\</script\\>');
    expect(markdown).toContain('**bold** and `<code>`, a \\| b.');
    expect(markdown).toContain('\\<img src=x onerror=alert(1)\\>');
    expect(markdown).toContain('```json\n{\n  "reason": "</code><script>alert(\\"example\\")</script>"\n}\n```');
  });
});

describe('the reference page (GET /ingest/v1/docs)', () => {
  const html = renderReferencePage(ingestOpenApiDocument());

  it('admits exactly its own stylesheet: the CSP hash is that of the style text', () => {
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/gu)].map((match) => match[1] ?? '');
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0] ?? '', 'utf8')
      .digest('base64');
    expect(REFERENCE_PAGE_CSP).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; frame-ancestors 'none'; base-uri 'none'`,
    );
  });

  it('has no scripts, style attributes or external assets', () => {
    expect(html).not.toMatch(/<script/iu);
    expect(html).not.toMatch(/\sstyle=/iu);
    expect(html).not.toMatch(/\s(src|srcset)=/iu);
    expect(html).not.toMatch(/<link/iu);
  });

  it('shows every operation with its summary, the authentication and the request examples', () => {
    for (const route of INGEST_ROUTE_DEFINITIONS) {
      expect(html).toContain(`<code>${INGEST_BASE_PATH}${route.path}</code>`);
      expect(html).toContain(route.summary);
    }
    expect(html).toContain('Authorization: Bearer fpk_&lt;clinic&gt;_&lt;key&gt;_&lt;secret&gt;');
    expect(html).toContain('&quot;name&quot;: &quot;Åkerströms Måleri AB&quot;');
    expect(html).toContain('<strong>Authentication</strong>');
  });

  it('escapes a <script> injected through the document', () => {
    const page = renderReferencePage(doctored());
    expect(page).not.toMatch(/<script/iu);
    expect(page).not.toMatch(/<img/iu);
    expect(page).toContain('Intro &lt;script&gt;alert(&quot;description&quot;)&lt;/script&gt;');
    expect(page).toContain('Sum &lt;script&gt;alert(&quot;summary&quot;)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&lt;/code&gt;&lt;script&gt;alert(\\&quot;example\\&quot;)&lt;/script&gt;');
    expect(page).toContain('<strong>bold</strong> and <code>&lt;code&gt;</code>, a | b.');
  });

  it('is served with its own policy on top of the API security headers', async () => {
    const app = new Hono().get('/docs', ingestReferencePage(ingestOpenApiDocument));
    const response = await app.request('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Content-Security-Policy')).toBe(REFERENCE_PAGE_CSP);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('X-Frame-Options')).toBe('DENY');
    expect(await response.text()).toBe(html);
  });
});

/** The real document with hostile text where descriptions, summaries and examples go. */
function doctored(): Json {
  const document = openApiJson();
  const set = (path: readonly string[], key: string, value: unknown) => {
    const target = at(document, ...path);
    if (typeof target !== 'object' || target === null) throw new Error(`The document has no ${path.join('.')}.`);
    (target as Json)[key] = value;
  };
  set(['info'], 'description', 'Intro <script>alert("description")</script>\n\n**bold** and `<code>`, a | b.');
  set(['paths', `${INGEST_BASE_PATH}/customers`, 'put'], 'summary', 'Sum <script>alert("summary")</script>');
  set(['components', 'schemas', 'Customer', 'properties', 'name'], 'description', '<img src=x onerror=alert(1)>');
  set(['components', 'schemas', 'WithdrawalRequest'], 'example', {
    reason: '</code><script>alert("example")</script>',
  });
  return document;
}

type BasisRequest = ReturnType<typeof InvoiceBasisRequest.parse>;

const ore = (kronor: number) => Math.round(kronor * 100);
const totalsInOre = (totals: BasisRequest['totals']) => ({
  net: ore(totals.net),
  vat: ore(totals.vat),
  total: ore(totals.total),
});

/** The example as the domain sees it (amounts in öre), with a clinic and a customer around it. */
function basisOf(request: BasisRequest): InvoiceBasis {
  return {
    clinic: { name: 'Demo Företagshälsa AB', orgNumber: '556612-7907', addressLines: [] },
    customer: {
      name: 'Åkerströms Måleri AB',
      orgNumber: '556734-8122',
      addressLines: [],
      customerNumber: request.customerNumber,
    },
    documentType: request.documentType,
    invoiceNumber: request.invoiceNumber,
    invoiceDate: request.invoiceDate,
    periodFrom: request.periodFrom,
    periodTo: request.periodTo,
    description: request.description,
    currency: request.currency,
    lines: request.lines.map((line) => ({ ...line, unitPrice: ore(line.unitPrice), amount: ore(line.amount) })),
  };
}
