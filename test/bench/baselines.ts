import type { Metafile } from 'esbuild';
import { packageOf } from '../support/lambda-bundle';

/*
 * The bundle benchmark's yardsticks, the "bare baseline bundle": Hono (for a function that serves HTTP) + the
 * SDK clients the function uses + jose (where it is used), wired the way a minimal Lambda would wire them, and nothing
 * of ours. One per function, read from that function's own bundle, so a baseline cannot drift from the code; the
 * sources are generated, so that all baselines are written alike, and bundled by lib/constructs/lambda-bundling.ts
 * like the functions.
 */

/** How a baseline uses an SDK client: constructed at module scope, and one command sent when invoked. */
interface BaselineClient {
  readonly client: string;
  readonly command: string;
}

/**
 * Every SDK client package our functions bundle. A function whose bundle holds another one fails the benchmark until
 * it is declared here: a baseline must not silently leave out a client that the function pays for.
 */
const BASELINE_CLIENTS: Readonly<Record<string, BaselineClient>> = {
  '@aws-sdk/client-dynamodb': { client: 'DynamoDBClient', command: 'GetItemCommand' },
  '@aws-sdk/client-s3': { client: 'S3Client', command: 'GetObjectCommand' },
  '@aws-sdk/client-secrets-manager': { client: 'SecretsManagerClient', command: 'GetSecretValueCommand' },
  '@aws-sdk/client-sesv2': { client: 'SESv2Client', command: 'SendEmailCommand' },
  '@aws-sdk/client-sqs': { client: 'SQSClient', command: 'SendMessageCommand' },
  '@aws-sdk/client-sts': { client: 'STSClient', command: 'AssumeRoleCommand' },
};

const PRESIGNER = '@aws-sdk/s3-request-presigner';

/** What a baseline holds. */
export interface BaselineSpec {
  /** Hono, with `hono/aws-lambda` (the function serves HTTP). */
  readonly hono: boolean;
  readonly jose: boolean;
  /** SDK client packages, e.g. `@aws-sdk/client-s3`, sorted. */
  readonly clients: readonly string[];
  /** S3 URLs presigned (with the S3 client). */
  readonly presigner: boolean;
}

/**
 * The baseline of a function: what its bundle holds of Hono, jose and the SDK clients, in any of its files (a client
 * loaded on first use is still one the function uses; the baseline loads it at cold start, as a minimal Lambda would).
 */
export function baselineSpecOf(metafile: Metafile): BaselineSpec {
  const packages = new Set(
    Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs).map((input) => packageOf(input))),
  );
  const clients = [...packages].filter((name): name is string => name?.startsWith('@aws-sdk/client-') === true).sort();
  const undeclared = clients.filter((name) => !(name in BASELINE_CLIENTS));
  if (undeclared.length > 0) {
    throw new Error(`Declare ${undeclared.join(', ')} in BASELINE_CLIENTS (test/bench/baselines.ts).`);
  }
  return { hono: packages.has('hono'), jose: packages.has('jose'), clients, presigner: packages.has(PRESIGNER) };
}

/** A short name for a baseline, from what it holds: `baseline:hono+jose+dynamodb+s3+presigner`. */
export function baselineName(spec: BaselineSpec): string {
  const parts = [
    ...(spec.hono ? ['hono'] : []),
    ...(spec.jose ? ['jose'] : []),
    ...spec.clients.map((name) => name.replace('@aws-sdk/client-', '')),
    ...(spec.presigner ? ['presigner'] : []),
  ];
  return `baseline:${parts.join('+')}`;
}

/** The entry source of a baseline bundle. */
export function baselineSource(spec: BaselineSpec): string {
  const clients = spec.clients.map((name, index) => {
    const client = BASELINE_CLIENTS[name];
    if (!client) throw new Error(`No baseline usage declared for ${name}.`);
    return { name, variable: `client${index}`, ...client };
  });
  const s3 = clients.find((client) => client.name === '@aws-sdk/client-s3');
  if (spec.presigner && !s3) throw new Error('The presigner needs the S3 client.');

  // Every call takes its input from the event or request, so that nothing is computed ahead and dropped.
  const calls = [
    ...clients.map(({ variable, command }) => `await ${variable}.send(new ${command}(input.${variable}));`),
    ...(spec.presigner && s3
      ? [`await getSignedUrl(${s3.variable}, new GetObjectCommand(input.presign), { expiresIn: 60 });`]
      : []),
    ...(spec.jose ? ['await jwtVerify(input.token, key);'] : []),
  ];
  const work = ['async function work(input) {', ...calls.map((call) => `  ${call}`), '}'];
  const handler = spec.hono
    ? [
        'const app = new Hono();',
        "app.post('/work', async (c) => { await work(await c.req.json()); return c.json({ done: true }); });",
        'export const handler = handle(app);',
      ]
    : ['export const handler = async (event) => { await work(event); return { done: true }; };'];
  return [
    ...(spec.hono ? ["import { Hono } from 'hono';", "import { handle } from 'hono/aws-lambda';"] : []),
    ...(spec.jose ? ["import { jwtVerify } from 'jose';"] : []),
    ...(spec.presigner ? [`import { getSignedUrl } from '${PRESIGNER}';`] : []),
    ...clients.map(({ name, client, command }) => {
      const imported =
        spec.presigner && name === s3?.name && command !== 'GetObjectCommand' ? ', GetObjectCommand' : '';
      return `import { ${client}, ${command}${imported} } from '${name}';`;
    }),
    '',
    "const region = process.env.AWS_REGION ?? 'eu-north-1';",
    // At module scope, once per container, as a minimal Lambda creates its clients.
    ...clients.map(({ variable, client }) => `const ${variable} = new ${client}({ region });`),
    ...(spec.jose ? ["const key = new TextEncoder().encode('baseline-only-key-baseline-only-key');"] : []),
    '',
    ...work,
    '',
    ...handler,
    '',
  ].join('\n');
}
