import { userInfo } from 'node:os';
import { ValidationError } from '../domain/errors';
import type { Actor, ClinicStatus } from '../domain/identity';
import { listClinics, provisionClinic, setClinicStatus } from '../use-cases/provision-clinic';
import { type OperatorCommandOptions, parseCommandLine, runAsCommand, UsageError } from './command-line';
import { operatorClock, operatorData, operatorIds, tenantScope } from './operator-scope';

const USAGE = `Clinics (tenants) of the portal: provision, list, disable and enable them.

  npm run tenant -- create  --name "<clinic name>" --slug <slug> --admin-email <address> [--admin-name "<full name>"]
                            [--org-number <NNNNNN-NNNN>] [--address "<line>" …] [--host <host name>]
                            [--origin <https://host>]
  npm run tenant -- list
  npm run tenant -- disable --tenant <clinic id or host>
  npm run tenant -- enable  --tenant <clinic id or host>

create claims the clinic's host, writes its record (default settings, the portal origin its mails link to), creates
its first administrator and mails them an invitation, and issues an ingest API key, printed this once. The slug is
2-40 lowercase letters, digits and hyphens; --address may be given up to 4 times (one line each; the address and
organisation number are printed on the clinic's invoice bases). Locally the clinic answers on http://<slug>.localhost:<port> (browsers
send *.localhost to this machine); in AWS --host is required (a custom domain of the clinic's own, or a name under
the stage's domain; CloudFront's certificate must cover it) and --origin defaults to https://<host>. If create
stops halfway, run the same command again: it completes what is missing and duplicates nothing. A slug the stage
deploys on dedicated resources (silo: true in lib/config.ts, listed in SILO_CLINICS) gets the id configured for it,
and its data goes to its own table and bucket; list shows each clinic's tier (silo or pool).

disable makes the clinic's portal, admin pages and ingest API refuse every request (403 "Portalen är inte
tillgänglig"), its sessions and API keys stop working at their next request and no notices are mailed; its data
stays. enable brings it all back.

Options: --by <your name> (recorded in the audit trail; default: your login), --json (machine-readable output).
Acts on the running local portal, or on AWS when TABLE_NAME, AWS_REGION, DOCUMENTS_BUCKET, AUDIT_ANCHOR_BUCKET and SILO_CLINICS are set (and
MAIL_FROM_ADDRESS for the sender). Exit codes: 0 done, 2 a mistake in the command, 3 a clash with an existing clinic
(host or slug taken), 1 anything else.`;

/** The first ingest key's name (what the admin pages list it as). */
const FIRST_API_KEY_NAME = 'Verksamhetssystemet';

/** The `npm run tenant` command; returns the process exit code. */
export async function runTenantCli(argv: readonly string[], options: OperatorCommandOptions = {}): Promise<number> {
  const print = options.print ?? console.log;
  const { command, values, need, help } = parseCommandLine(argv, {
    commands: ['create', 'list', 'disable', 'enable'],
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      'org-number': { type: 'string' },
      address: { type: 'string', multiple: true },
      host: { type: 'string' },
      origin: { type: 'string' },
      tenant: { type: 'string' },
    },
  });
  if (!command) {
    print(USAGE);
    return help ? 0 : 2;
  }
  const by = { type: 'operator', id: values.by ?? userInfo().username } as const satisfies Actor;
  const output = (human: string, machine: unknown) => print(values.json ? JSON.stringify(machine, null, 2) : human);

  switch (command) {
    case 'create': {
      const name = need('name');
      const slug = need('slug');
      const adminEmail = need('admin-email');
      const data = options.data ?? operatorData();
      if (values.host === undefined && data.portalUrl === undefined) {
        throw new UsageError('create needs --host in AWS: the host name the clinic answers on.');
      }
      // A clinic the stage deploys on dedicated resources gets the id its silo's policies name.
      const silo = data.silos.find((candidate) => candidate.slug === slug);
      const provisioned = await withOptionNames(
        provisionClinic(
          { ...data, clock: operatorClock, ids: operatorIds, mailer: data.mailer() },
          {
            name,
            slug,
            ...(values.host === undefined ? {} : { host: values.host }),
            ...(values.origin === undefined ? {} : { origin: values.origin }),
            ...(data.portalUrl === undefined ? {} : { localPortalUrl: data.portalUrl }),
            ...(values['org-number'] === undefined ? {} : { orgNumber: values['org-number'] }),
            ...(values.address === undefined ? {} : { addressLines: values.address }),
            admin: { email: adminEmail, name: values['admin-name'] ?? adminEmail },
            apiKeyName: FIRST_API_KEY_NAME,
            by,
            ...(silo ? { tenantId: silo.tenantId } : {}),
          },
        ),
      );
      const { tenant, admin, invitation, apiKey } = provisioned;
      const origin = tenant.portalOrigin ?? '';
      const keyText =
        'issued' in apiKey
          ? `Ingest API key ${apiKey.issued.key.id} ("${apiKey.issued.key.name}"):\n\n  ${apiKey.issued.secret}\n\nCopy it now: it is shown only this once. The practice system sends it as "Authorization: Bearer <key>" to ${origin}/ingest/v1.`
          : `The clinic already has the ingest API key ${apiKey.existingKeyId} from an earlier run; it cannot be shown again. If it was never copied: npm run apikey -- rotate --tenant ${tenant.id} --key ${apiKey.existingKeyId} --grace-hours 0`;
      const mailText = invitation
        ? `Mailed ${admin.email} an invitation to the admin pages; the link works once, until ${invitation.expiresAt}.${
            data.portalUrl === undefined ? '' : ` Locally the mail is on ${data.portalUrl}/dev/mail.`
          }`
        : `Administrator ${admin.email} has already set a password; no new invitation.`;
      output(
        [
          `${provisioned.created ? 'Provisioned' : 'Completed'} clinic ${tenant.id} "${tenant.name}" (${tenant.slug ?? slug}) on ${origin} (in ${data.where}).`,
          silo
            ? `Its data lives on dedicated resources: table ${silo.tableName}, bucket ${silo.documentsBucket} (its own KMS key).`
            : 'Its data lives in the shared pool, with the other pooled clinics.',
          mailText,
          '',
          keyText,
          '',
          'Next:',
          `  1. The administrator sets a password through the mailed link, logs in at ${origin}/admin and adds an authenticator app.`,
          "  2. In the admin pages' settings: the logo, colours, support text and login methods.",
          '  3. Configure the practice system with the API key; it pushes the customer companies and invoice bases.',
          ...(data.portalUrl === undefined
            ? [
                `  4. DNS: point ${provisioned.host} at the portal's CloudFront distribution; its certificate and aliases (lib/config.ts customDomain) must cover the name.`,
              ]
            : []),
        ].join('\n'),
        {
          tenantId: tenant.id,
          name: tenant.name,
          slug: tenant.slug,
          host: provisioned.host,
          origin,
          tier: silo ? 'silo' : 'pool',
          created: provisioned.created,
          admin: { id: admin.id, email: admin.email, invitationExpiresAt: invitation?.expiresAt },
          apiKey:
            'issued' in apiKey
              ? { id: apiKey.issued.key.id, key: apiKey.issued.secret }
              : { id: apiKey.existingKeyId, alreadyIssued: true },
        },
      );
      return 0;
    }
    case 'list': {
      const data = options.data ?? operatorData();
      const tierOf = (tenantId: string) => (data.silos.some((silo) => silo.tenantId === tenantId) ? 'silo' : 'pool');
      const clinics = await listClinics(data);
      output(
        clinics.length === 0
          ? `There are no clinics (in ${data.where}).`
          : clinics
              .map((clinic) =>
                [
                  clinic.tenantId,
                  tierOf(clinic.tenantId).padEnd(4),
                  clinic.status.padEnd(10),
                  (clinic.host ?? '-').padEnd(32),
                  (clinic.createdAt ?? '-').slice(0, 10).padEnd(10),
                  clinic.name ?? '(provisioning stopped halfway: run create again)',
                ].join('  '),
              )
              .join('\n'),
        clinics.map((clinic) => ({ ...clinic, tier: tierOf(clinic.tenantId) })),
      );
      return 0;
    }
    default: {
      const status: ClinicStatus = command === 'disable' ? 'disabled' : 'active';
      const data = options.data ?? operatorData();
      const scope = await tenantScope(data, need('tenant'));
      const { tenant, changed } = await setClinicStatus(
        { scope, clock: operatorClock, ids: operatorIds },
        { status, by },
      );
      output(
        changed
          ? `Clinic ${tenant.id} "${tenant.name}" is ${status === 'disabled' ? 'disabled: its portal, admin pages and ingest API refuse every request' : 'enabled again'}.`
          : `Clinic ${tenant.id} "${tenant.name}" was already ${status}; nothing changed.`,
        { tenantId: tenant.id, name: tenant.name, status, changed },
      );
      return 0;
    }
  }
}

/** The command-line option each field of the provisioning's checks comes from. */
const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  name: '--name',
  slug: '--slug',
  host: '--host',
  origin: '--origin',
  orgNumber: '--org-number',
  address: '--address',
  adminEmail: '--admin-email',
  adminName: '--admin-name',
};

/** The provisioning's ValidationError, its message naming the options the operator typed (`--admin-email must be …`). */
async function withOptionNames<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const fields =
      error instanceof ValidationError ? (error.details?.fields as Record<string, string> | undefined) : undefined;
    if (!fields) throw error;
    const reasons = Object.entries(fields).map(
      ([field, reason]) => `${OPTION_OF_FIELD[field] ?? field} must be ${reason}`,
    );
    throw new ValidationError(`Invalid clinic: ${reasons.join('; ')}.`, { fields });
  }
}

runAsCommand(import.meta.url, USAGE, runTenantCli);
