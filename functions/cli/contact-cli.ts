import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { TenantScope } from '../domain/ports';
import { inviteContact } from '../use-cases/invite-contact';
import { runAsCommand, UsageError } from './command-line';
import { clinicOrigin, operatorClock, operatorData, operatorIds, tenantScope } from './operator-scope';

const USAGE = `Contact persons of a clinic.

  npm run contact -- invite --tenant <clinic host or id> --email <address>
  npm run contact -- invite --tenant <clinic host or id> --contact <contact id>

Mails the contact a single-use link (valid 60 minutes) with which they set their password. --email finds a contact
who already logs in with a password under that address; a contact without one is named by --contact.

Options: --by <your name> (recorded in the audit trail; default: your login), --origin <https://host> (where the
link points; default: https://<host> for a host name, the local portal's address locally).
Acts on the running local portal (the mail shows up on its dev mail page), or on AWS when TABLE_NAME, AWS_REGION and
DOCUMENTS_BUCKET are set (and MAIL_FROM_ADDRESS for the sender).`;

/** The `npm run contact` command; returns the process exit code. */
export async function runContactCli(argv: readonly string[], print = console.log): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      email: { type: 'string' },
      contact: { type: 'string' },
      origin: { type: 'string' },
      by: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    print(USAGE);
    return values.help ? 0 : 2;
  }
  if (command !== 'invite') throw new UsageError(`Unknown command "${command}".`);
  const tenant = values.tenant;
  if (!tenant) throw new UsageError('invite needs --tenant.');
  if (!values.email === !values.contact) throw new UsageError('invite needs either --email or --contact.');

  const data = operatorData();
  const scope = await tenantScope(data, tenant);
  const contactId = values.contact ?? (await contactIdByEmail(scope, values.email ?? ''));
  const sent = await inviteContact(
    {
      scope,
      clock: operatorClock,
      ids: operatorIds,
      mailer: data.mailer(),
    },
    {
      contactId,
      actor: { type: 'operator', id: values.by ?? userInfo().username },
      origin: clinicOrigin(data, tenant, values.origin),
    },
  );
  print(
    `Sent an invitation to ${sent.sentTo}. The link works once, until ${sent.expiresAt}.` +
      (data.portalUrl === undefined ? '' : `\nLocally the mail is on the dev mail page: ${data.portalUrl}/dev/mail`),
  );
  return 0;
}

async function contactIdByEmail(scope: TenantScope, email: string): Promise<string> {
  const identity = await scope.contacts.findPasswordIdentity(email);
  if (!identity) {
    throw new UsageError(
      `No contact logs in with a password as ${email} in this clinic; name a contact without one by --contact <id>.`,
    );
  }
  return identity.contactId;
}

runAsCommand(import.meta.url, USAGE, runContactCli);
