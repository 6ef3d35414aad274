import { userInfo } from 'node:os';
import type { ApiKey } from '../domain/identity';
import {
  createApiKey,
  DEFAULT_ROTATION_GRACE_HOURS,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
  unusableReason,
} from '../use-cases/ingest/manage-api-keys';
import { parseCommandLine, runAsCommand, UsageError } from './command-line';
import { operatorClock, operatorData, operatorIds, tenantScope } from './operator-scope';

const USAGE = `Ingest API keys of a clinic (shown once, stored hashed).

  npm run apikey -- create --tenant <clinic id or host> --name "CGM J4 produktion"
  npm run apikey -- list   --tenant <clinic id or host>
  npm run apikey -- rotate --tenant <clinic id or host> --key <key id> [--grace-hours ${DEFAULT_ROTATION_GRACE_HOURS}]
  npm run apikey -- revoke --tenant <clinic id or host> --key <key id>

Options: --by <your name> (recorded in the audit trail; default: your login), --json (machine-readable output).
Acts on the running local portal, or on AWS when TABLE_NAME, AWS_REGION, DOCUMENTS_BUCKET, AUDIT_ANCHOR_BUCKET and SILO_CLINICS are set.`;

/** The `npm run apikey` command; returns the process exit code. */
export async function runApiKeyCli(argv: readonly string[], print = console.log): Promise<number> {
  const { command, values, need, help } = parseCommandLine(argv, {
    commands: ['create', 'list', 'rotate', 'revoke'],
    options: {
      tenant: { type: 'string' },
      name: { type: 'string' },
      key: { type: 'string' },
      'grace-hours': { type: 'string' },
    },
  });
  if (!command) {
    print(USAGE);
    return help ? 0 : 2;
  }
  const by = values.by ?? userInfo().username;
  const output = (human: string, machine: unknown) => print(values.json ? JSON.stringify(machine, null, 2) : human);

  const scope = await tenantScope(operatorData(), need('tenant'));
  const deps = { scope, clock: operatorClock, ids: operatorIds };
  switch (command) {
    case 'create': {
      const issued = await createApiKey(deps, { name: need('name'), createdBy: by });
      output(
        `Created API key ${issued.key.id} ("${issued.key.name}").\n\n  ${issued.secret}\n\nCopy it now: it is shown only this once. The practice system sends it as "Authorization: Bearer <key>".`,
        { ...publicView(issued.key), key: issued.secret },
      );
      return 0;
    }
    case 'list': {
      const keys = await listApiKeys(deps);
      output(
        keys.length === 0
          ? 'This clinic has no API keys.'
          : keys.map((key) => `${key.id}  ${key.displayPrefix}  ${stateOf(key).padEnd(26)}  ${key.name}`).join('\n'),
        keys.map(publicView),
      );
      return 0;
    }
    case 'rotate': {
      const graceHours = Number(values['grace-hours'] ?? DEFAULT_ROTATION_GRACE_HOURS);
      const rotated = await rotateApiKey(deps, { keyId: need('key'), graceHours, by });
      output(
        `New API key ${rotated.key.id}:\n\n  ${rotated.secret}\n\nCopy it now: it is shown only this once. The old key works until ${rotated.oldKeyExpiresAt}.`,
        { ...publicView(rotated.key), key: rotated.secret, oldKeyExpiresAt: rotated.oldKeyExpiresAt },
      );
      return 0;
    }
    case 'revoke': {
      const revoked = await revokeApiKey(deps, { keyId: need('key'), by });
      output(`API key ${revoked.id} is revoked (since ${revoked.revokedAt}).`, publicView(revoked));
      return 0;
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

/** Everything about a key except its hash. */
function publicView(key: ApiKey) {
  const { secretSha256: _hash, ...rest } = key;
  return { ...rest, state: stateOf(key) };
}

function stateOf(key: ApiKey): string {
  const reason = unusableReason(key, operatorClock.now());
  if (reason) return reason;
  return key.expiresAt ? `active until ${key.expiresAt.slice(0, 16)}` : 'active';
}

runAsCommand(import.meta.url, USAGE, runApiKeyCli);
