/*
 * The ingest API's OpenAPI document turned into a neutral reference structure (sections, field tables, examples),
 * which two small renderers print: HTML for GET /ingest/v1/docs (reference-page.ts) and Markdown for
 * docs/ingest-api.md (functions/cli/write-ingest-api-docs.ts). All walking of the document happens here, once.
 *
 * It reads the document as plain JSON (what /ingest/v1/openapi.json serves), defensively: a field it does not know
 * is left out rather than guessed. Descriptions may use the few Markdown constructs the schemas use: paragraphs
 * (blank lines), **bold** and `code`; they are parsed into spans here, and every renderer escapes the text itself.
 */

/** A piece of inline text. */
export interface Span {
  readonly kind: 'text' | 'strong' | 'code';
  readonly text: string;
}

/** One paragraph of inline text. */
export type Inline = readonly Span[];

/** Paragraphs. */
export type RichText = readonly Inline[];

/** One row of a field table; nested fields follow their parent with a longer `name` (`lines[].date`). */
export interface FieldRow {
  readonly name: string;
  /** 0 for top-level fields, 1 for their children, … */
  readonly depth: number;
  readonly type: string;
  readonly required: boolean;
  readonly description: Inline;
  /** Short phrases: length, range, allowed values, pattern, default. */
  readonly constraints: readonly Inline[];
  /** The field's own example, as compact JSON. */
  readonly example?: string;
}

export interface ParameterRow {
  readonly name: string;
  readonly in: string;
  readonly required: boolean;
  readonly type: string;
  readonly description: Inline;
  readonly constraints: readonly Inline[];
  readonly example?: string;
}

export interface RequestBodySection {
  readonly contentType: string;
  readonly required: boolean;
  /** The component the body refers to, e.g. `InvoiceBasisRequest`. */
  readonly schemaName?: string;
  readonly description: RichText;
  readonly fields: readonly FieldRow[];
  /** The documented example (the media type's, else the schema's), as a JSON value. */
  readonly example?: unknown;
}

export interface HeaderRow {
  readonly name: string;
  readonly description: Inline;
}

export interface ResponseEntry {
  /** `200`, `404`, … */
  readonly status: string;
  readonly description: Inline;
  /** The component the body refers to, described in {@link ApiReference.schemas}. */
  readonly schemaName?: string;
  readonly headers: readonly HeaderRow[];
  /** The documented example body (the media type's, else the schema's), as a JSON value. */
  readonly example?: unknown;
}

export interface OperationSection {
  /** Stable id for links: `post-ingest-v1-invoice-bases`. */
  readonly anchor: string;
  /** Upper case: `POST`. */
  readonly method: string;
  readonly path: string;
  readonly summary: string;
  readonly description: RichText;
  /** Names of the security schemes that authenticate the call; empty for a public one. */
  readonly security: readonly string[];
  readonly parameters: readonly ParameterRow[];
  readonly requestBody?: RequestBodySection;
  readonly responses: readonly ResponseEntry[];
}

export interface TagSection {
  readonly name: string;
  readonly anchor: string;
  readonly description: RichText;
  readonly operations: readonly OperationSection[];
}

export interface AuthenticationScheme {
  readonly name: string;
  /** What it is, in words: `HTTP Bearer token`. */
  readonly kind: Inline;
  /** The header to send, e.g. `Authorization: Bearer fpk_<clinic>_<key>_<secret>`, when known. */
  readonly usage?: string;
  readonly description: RichText;
}

/** A response schema, described once and referred to by name from the operations. */
export interface SchemaSection {
  readonly name: string;
  readonly anchor: string;
  readonly description: RichText;
  readonly fields: readonly FieldRow[];
  readonly example?: unknown;
}

/** One documented error status with the first example body the document gives for it. */
export interface ErrorStatusEntry {
  readonly status: string;
  readonly description: Inline;
  readonly example?: unknown;
}

export interface ApiReference {
  readonly title: string;
  readonly version: string;
  readonly description: RichText;
  readonly servers: readonly { readonly url: string; readonly description: Inline }[];
  readonly authentication: readonly AuthenticationScheme[];
  readonly tags: readonly TagSection[];
  readonly schemas: readonly SchemaSection[];
  readonly errors: readonly ErrorStatusEntry[];
}

type Json = Readonly<Record<string, unknown>>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** Builds the reference from an OpenAPI 3.1 document (as JSON; any object shaped like one). */
export function buildApiReference(document: object): ApiReference {
  const doc = document as Json;
  const info = objectAt(doc, 'info');
  const components = objectAt(doc, 'components');
  const schemas = objectAt(components, 'schemas');
  const walker = new SchemaWalker(schemas);

  const operations: { readonly tag: string; readonly operation: OperationSection }[] = [];
  for (const [path, item] of Object.entries(objectAt(doc, 'paths'))) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const tag = stringsAt(operation, 'tags')[0] ?? '';
      operations.push({
        tag,
        operation: operationSection(walker, doc, method, path, operation, [
          ...arrayAt(item, 'parameters'),
          ...arrayAt(operation, 'parameters'),
        ]),
      });
    }
  }

  const declaredTags = arrayAt(doc, 'tags').filter(isObject);
  const tagNames = [
    ...declaredTags.map((tag) => stringAt(tag, 'name')),
    ...operations.map((entry) => entry.tag).filter((tag) => !declaredTags.some((t) => stringAt(t, 'name') === tag)),
  ].filter((name, index, all) => all.indexOf(name) === index);
  const tags = tagNames
    .map(
      (name): TagSection => ({
        name: name || 'Operations',
        anchor: `tag-${slug(name || 'operations')}`,
        description: richText(
          stringAt(declaredTags.find((tag) => stringAt(tag, 'name') === name) ?? {}, 'description'),
        ),
        operations: operations.filter((entry) => entry.tag === name).map((entry) => entry.operation),
      }),
    )
    .filter((tag) => tag.operations.length > 0);

  const allOperations = tags.flatMap((tag) => tag.operations);
  const responseSchemaNames = unique(
    allOperations.flatMap((operation) => operation.responses.flatMap((response) => response.schemaName ?? [])),
  );

  return {
    title: stringAt(info, 'title'),
    version: stringAt(info, 'version'),
    description: richText(stringAt(info, 'description')),
    servers: arrayAt(doc, 'servers')
      .filter(isObject)
      .map((server) => ({ url: stringAt(server, 'url'), description: inline(stringAt(server, 'description')) })),
    authentication: Object.entries(objectAt(components, 'securitySchemes'))
      .filter((entry): entry is [string, Json] => isObject(entry[1]))
      .map(([name, scheme]) => authenticationScheme(name, scheme)),
    tags,
    schemas: responseSchemaNames.map((name) => {
      const schema = objectAt(schemas, name);
      return {
        name,
        anchor: schemaAnchor(name),
        description: richText(walker.descriptionOf(schema)),
        fields: walker.fields(schema),
        ...definedExample(walker.exampleOf(schema)),
      };
    }),
    errors: errorStatuses(allOperations),
  };
}

/** The anchor of a response schema's section. */
export function schemaAnchor(name: string): string {
  return `schema-${slug(name)}`;
}

/** Finds an operation by method and path (`POST`, `/ingest/v1/invoice-bases`); throws if the document lacks it. */
export function operationAt(reference: ApiReference, method: string, path: string): OperationSection {
  const found = reference.tags
    .flatMap((tag) => tag.operations)
    .find((operation) => operation.method === method.toUpperCase() && operation.path === path);
  if (!found) throw new Error(`The API reference has no ${method.toUpperCase()} ${path}.`);
  return found;
}

/** Examples are shown as this: two-space indented JSON. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Paragraphs (separated by blank lines) of inline text; single line breaks are spaces, as in Markdown. */
function richText(text: string): RichText {
  return text
    .split(/\n[ \t]*\n/u)
    .map((paragraph) => inline(paragraph))
    .filter((paragraph) => paragraph.length > 0);
}

/** `**bold**` and `` `code` `` within one paragraph; everything else is text. */
export function inline(text: string): Inline {
  const collapsed = text.replace(/\s+/gu, ' ').trim();
  const spans: Span[] = [];
  let at = 0;
  for (const match of collapsed.matchAll(/\*\*(.+?)\*\*|`([^`]+)`/gu)) {
    if (match.index > at) spans.push({ kind: 'text', text: collapsed.slice(at, match.index) });
    spans.push(match[1] !== undefined ? { kind: 'strong', text: match[1] } : { kind: 'code', text: match[2] ?? '' });
    at = match.index + match[0].length;
  }
  if (at < collapsed.length) spans.push({ kind: 'text', text: collapsed.slice(at) });
  return spans;
}

function operationSection(
  walker: SchemaWalker,
  doc: Json,
  method: string,
  path: string,
  operation: Json,
  parameters: readonly unknown[],
): OperationSection {
  const security = Array.isArray(operation.security) ? operation.security : arrayAt(doc, 'security');
  const requestBody = objectAt(operation, 'requestBody');
  const body = Object.keys(requestBody).length > 0 ? requestBodySection(walker, requestBody) : undefined;
  return {
    anchor: slug(`${method} ${path}`),
    method: method.toUpperCase(),
    path,
    summary: stringAt(operation, 'summary'),
    description: richText(stringAt(operation, 'description')),
    security: unique(security.filter(isObject).flatMap((requirement) => Object.keys(requirement))),
    parameters: parameters.filter(isObject).map((parameter) => {
      const schema = objectAt(parameter, 'schema');
      return {
        name: stringAt(parameter, 'name'),
        in: stringAt(parameter, 'in'),
        required: parameter.required === true,
        type: walker.typeOf(schema),
        description: inline(stringAt(parameter, 'description') || walker.descriptionOf(schema)),
        constraints: walker.constraintsOf(schema),
        ...compactExample(parameter.example ?? walker.exampleOf(schema)),
      };
    }),
    ...(body ? { requestBody: body } : {}),
    responses: Object.entries(objectAt(operation, 'responses'))
      .filter((entry): entry is [string, Json] => isObject(entry[1]))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([status, response]) => responseEntry(walker, status, response)),
  };
}

function requestBodySection(walker: SchemaWalker, requestBody: Json): RequestBodySection {
  const [contentType, media] = Object.entries(objectAt(requestBody, 'content')).find(([, value]) =>
    isObject(value),
  ) ?? ['', {}];
  const mediaType = media as Json;
  const schema = objectAt(mediaType, 'schema');
  const schemaName = walker.refName(schema);
  return {
    contentType,
    required: requestBody.required === true,
    ...(schemaName ? { schemaName } : {}),
    description: richText(stringAt(requestBody, 'description') || walker.descriptionOf(schema)),
    fields: walker.fields(schema),
    ...definedExample(mediaType.example ?? walker.exampleOf(schema)),
  };
}

function responseEntry(walker: SchemaWalker, status: string, response: Json): ResponseEntry {
  const media = Object.values(objectAt(response, 'content')).find(isObject) ?? {};
  const schema = objectAt(media, 'schema');
  const schemaName = walker.refName(schema);
  return {
    status,
    description: inline(stringAt(response, 'description')),
    ...(schemaName ? { schemaName } : {}),
    headers: Object.entries(objectAt(response, 'headers'))
      .filter((entry): entry is [string, Json] => isObject(entry[1]))
      .map(([name, header]) => ({ name, description: inline(stringAt(header, 'description')) })),
    ...definedExample(media.example ?? walker.exampleOf(schema)),
  };
}

function authenticationScheme(name: string, scheme: Json): AuthenticationScheme {
  const type = stringAt(scheme, 'type');
  const httpScheme = stringAt(scheme, 'scheme');
  const description = richText(stringAt(scheme, 'description'));
  if (type === 'http' && httpScheme.toLowerCase() === 'bearer') {
    const format = stringAt(scheme, 'bearerFormat') || '<token>';
    return { name, kind: [text('HTTP Bearer token')], usage: `Authorization: Bearer ${format}`, description };
  }
  if (type === 'apiKey') {
    return {
      name,
      kind: [text(`API key in the ${stringAt(scheme, 'in')} `), code(stringAt(scheme, 'name'))],
      description,
    };
  }
  return { name, kind: [text([type, httpScheme].filter(Boolean).join(' '))], description };
}

function errorStatuses(operations: readonly OperationSection[]): ErrorStatusEntry[] {
  const byStatus = new Map<string, ErrorStatusEntry>();
  for (const response of operations.flatMap((operation) => operation.responses)) {
    if (!/^[45]\d\d$/u.test(response.status)) continue;
    const known = byStatus.get(response.status);
    if (!known || (known.example === undefined && response.example !== undefined)) {
      byStatus.set(response.status, response);
    }
  }
  return [...byStatus.values()]
    .sort((a, b) => a.status.localeCompare(b.status))
    .map((entry) => ({
      status: entry.status,
      description: entry.description,
      ...definedExample(entry.example),
    }));
}

/** Reads schemas, following `$ref`s to `#/components/schemas/…`. */
class SchemaWalker {
  constructor(private readonly components: Json) {}

  refName(schema: Json): string | undefined {
    const ref = typeof schema.$ref === 'string' ? schema.$ref : undefined;
    return ref?.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
  }

  resolve(schema: Json, seen: ReadonlySet<string> = new Set()): Json {
    const name = this.refName(schema);
    if (name === undefined || seen.has(name)) return schema;
    return this.resolve(objectAt(this.components, name), new Set([...seen, name]));
  }

  /** An object schema's properties and required names, with `allOf` parts merged (as `.extend()` produces). */
  private objectView(schema: Json, seen: ReadonlySet<string>): { properties: [string, Json][]; required: string[] } {
    const resolved = this.resolve(schema);
    const properties: [string, Json][] = Object.entries(objectAt(resolved, 'properties')).filter(
      (entry): entry is [string, Json] => isObject(entry[1]),
    );
    const required = stringsAt(resolved, 'required');
    for (const part of arrayAt(resolved, 'allOf').filter(isObject)) {
      const name = this.refName(part);
      if (name !== undefined && seen.has(name)) continue;
      const view = this.objectView(part, name === undefined ? seen : new Set([...seen, name]));
      for (const [key, value] of view.properties) {
        const index = properties.findIndex(([existing]) => existing === key);
        if (index >= 0) properties[index] = [key, value];
        else properties.push([key, value]);
      }
      required.push(...view.required);
    }
    return { properties, required };
  }

  private isObjectLike(schema: Json): boolean {
    const resolved = this.resolve(schema);
    return isObject(resolved.properties) || Array.isArray(resolved.allOf);
  }

  /** The rows of an object schema's field table, nested objects and arrays of objects expanded below their field. */
  fields(schema: Json, prefix = '', depth = 0, seen: ReadonlySet<string> = new Set()): FieldRow[] {
    const name = this.refName(schema);
    if (name !== undefined && seen.has(name)) return [];
    const inside = name === undefined ? seen : new Set([...seen, name]);
    const { properties, required } = this.objectView(schema, inside);
    return properties.flatMap(([key, property]) => {
      const resolved = this.resolve(property);
      const row: FieldRow = {
        name: `${prefix}${key}`,
        depth,
        type: this.typeOf(property),
        required: required.includes(key),
        description: inline(this.descriptionOf(property)),
        constraints: this.constraintsOf(property),
        ...compactExample(this.exampleOf(property)),
      };
      const items = objectAt(resolved, 'items');
      const children = this.isObjectLike(property)
        ? this.fields(property, `${prefix}${key}.`, depth + 1, inside)
        : resolved.type === 'array' && this.isObjectLike(items)
          ? this.fields(items, `${prefix}${key}[].`, depth + 1, inside)
          : [];
      return [row, ...children];
    });
  }

  descriptionOf(schema: Json): string {
    return stringAt(schema, 'description') || stringAt(this.resolve(schema), 'description');
  }

  exampleOf(schema: Json): unknown {
    if (schema.example !== undefined) return schema.example;
    const examples = arrayAt(schema, 'examples');
    if (examples.length > 0) return examples[0];
    const resolved = this.resolve(schema);
    return resolved === schema ? undefined : this.exampleOf(resolved);
  }

  typeOf(schema: Json): string {
    const name = this.refName(schema);
    if (name !== undefined) return name;
    const allOf = arrayAt(schema, 'allOf').filter(isObject);
    if (allOf.length > 0) return allOf.map((part) => this.typeOf(part)).join(' & ');
    const anyOf = [...arrayAt(schema, 'anyOf'), ...arrayAt(schema, 'oneOf')].filter(isObject);
    if (anyOf.length > 0) return anyOf.map((part) => this.typeOf(part)).join(' | ');
    const types = Array.isArray(schema.type) ? schema.type.map(String) : [stringAt(schema, 'type')].filter(Boolean);
    if (types.length === 0) return schema.const !== undefined || schema.enum !== undefined ? 'string' : 'any';
    return types
      .map((type) => {
        if (type === 'array') return `array of ${this.typeOf(objectAt(schema, 'items'))}`;
        if (type === 'object' && isObject(schema.additionalProperties) && !isObject(schema.properties)) {
          return `object (string → ${this.typeOf(schema.additionalProperties)})`;
        }
        const format = stringAt(schema, 'format');
        return format ? `${type} (${format})` : type;
      })
      .join(' | ');
  }

  constraintsOf(schema: Json): Inline[] {
    const resolved = this.resolve(schema);
    const constraints: Inline[] = [];
    const values = resolved.const !== undefined ? [resolved.const] : arrayAt(resolved, 'enum');
    if (values.length === 1) constraints.push([text('always '), code(compactJson(values[0]))]);
    else if (values.length > 1) {
      constraints.push([
        text('one of '),
        ...values.flatMap((value, index) => separated(index, code(compactJson(value)))),
      ]);
    }
    const range = (min: unknown, max: unknown, unit: string) => {
      const low = typeof min === 'number' ? number(min) : undefined;
      const high = typeof max === 'number' ? number(max) : undefined;
      if (low !== undefined && high !== undefined) constraints.push([text(`${low} to ${high}${unit}`)]);
      else if (low !== undefined) constraints.push([text(`at least ${low}${unit}`)]);
      else if (high !== undefined) constraints.push([text(`at most ${high}${unit}`)]);
    };
    range(resolved.minLength, resolved.maxLength, ' characters');
    range(resolved.minimum, resolved.maximum, '');
    range(resolved.minItems, resolved.maxItems, ' items');
    const pattern = stringAt(resolved, 'pattern');
    if (pattern) constraints.push([text('pattern '), code(pattern)]);
    if (resolved.default !== undefined) constraints.push([text('default '), code(compactJson(resolved.default))]);
    return constraints;
  }
}

const text = (value: string): Span => ({ kind: 'text', text: value });
const code = (value: string): Span => ({ kind: 'code', text: value });
const separated = (index: number, span: Span): Span[] => (index === 0 ? [span] : [text(', '), span]);

/** Thousands grouped with commas, as the English prose around them: 1,000,000,000. */
function number(value: number): string {
  const [whole = '', fraction] = String(Math.abs(value)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/gu, ',');
  return `${value < 0 ? '−' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

function compactJson(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function compactExample(value: unknown): { example?: string } {
  return value === undefined ? {} : { example: compactJson(value) };
}

function definedExample(value: unknown): { example?: unknown } {
  return value === undefined ? {} : { example: value };
}

function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-|-$/gu, '');
}

function unique<T>(values: readonly T[]): T[] {
  return values.filter((value, index) => values.indexOf(value) === index);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: Json, key: string): Json {
  const found = value[key];
  return isObject(found) ? found : {};
}

function arrayAt(value: Json, key: string): readonly unknown[] {
  const found = value[key];
  return Array.isArray(found) ? found : [];
}

function stringAt(value: Json, key: string): string {
  const found = value[key];
  return typeof found === 'string' ? found : '';
}

function stringsAt(value: Json, key: string): string[] {
  return arrayAt(value, key).filter((item): item is string => typeof item === 'string');
}
