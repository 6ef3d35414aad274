import { userInfo } from 'node:os';
import type { TenantScope } from '../domain/ports';
import { deactivateContact } from '../use-cases/deactivate-contact';
import { inviteContact } from '../use-cases/invite-contact';
import { type OperatorCommandOptions, parseCommandLine, runAsCommand, UsageError } from './command-line';
import { clinicOrigin, operatorClock, operatorData, operatorIds, tenantScope } from './operator-scope';

const USAGE = `Contact persons of a clinic.

  npm run contact -- invite --tenant <clinic host or id> --email <address>
  npm run contact -- invite --tenant <clinic host or id> --contact <contact id>
  npm run contact -- deactivate --tenant <clinic host or id> --email <address> | --contact <contact id>

invite mails the contact a single-use link (valid 60 minutes) with which they set their password. deactivate ends
the contact's access at once: no login with password or BankID, every session ended. --email finds a contact who
logs in with a password under that address; a contact without one is named by --contact.

Options: --by <your name> (recorded in the audit trail; default: your login), --origin <https://host> (where the
link points; default: https://<host> for a host name, the local portal's address locally).
Acts on the running local portal (the mail shows up on its dev mail page), or on AWS when TABLE_NAME, AWS_REGION,
DOCUMENTS_BUCKET, AUDIT_ANCHOR_BUCKET and SILO_CLINICS are set (and MAIL_FROM_ADDRESS for the sender).`;

/** The `npm run contact` command; returns the process exit code. */
export async function runContactCli(argv: readonly string[], options: OperatorCommandOptions = {}): Promise<number> {
  const print = options.print ?? console.log;
  const { command, values, need, help } = parseCommandLine(argv, {
    commands: ['invite', 'deactivate'],
    options: {
      tenant: { type: 'string' },
      email: { type: 'string' },
      contact: { type: 'string' },
      origin: { type: 'string' },
    },
  });
  if (!command) {
    print(USAGE);
    return help ? 0 : 2;
  }
  const tenant = need('tenant');
  if (!values.email === !values.contact) throw new UsageError(`${command} needs either --email or --contact.`);

  const data = options.data ?? operatorData();
  const scope = await tenantScope(data, tenant);
  const contactId = values.contact ?? (await contactIdByEmail(scope, values.email ?? ''));
  const by = { type: 'operator', id: values.by ?? userInfo().username } as const;
  if (command === 'deactivate') {
    const { contact, revokedSessions } = await deactivateContact(
      { scope, clock: operatorClock, ids: operatorIds },
      { contactId, by },
    );
    print(`Deactivated ${contact.name} <${contact.email}>; ended ${revokedSessions} session(s).`);
    return 0;
  }
  const sent = await inviteContact(
    {
      scope,
      clock: operatorClock,
      ids: operatorIds,
      mailer: data.mailer(),
    },
    {
      contactId,
      actor: by,
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
