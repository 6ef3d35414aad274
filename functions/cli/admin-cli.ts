import { userInfo } from 'node:os';
import { type ClinicAdmin, roleOf } from '../domain/clinic-admin';
import { NotFoundError } from '../domain/errors';
import type { Actor } from '../domain/identity';
import {
  addClinicAdmin,
  deactivateClinicAdmin,
  findClinicAdmin,
  inviteClinicAdmin,
} from '../use-cases/manage-clinic-admins';
import { type OperatorCommandOptions, parseCommandLine, runAsCommand, UsageError } from './command-line';
import {
  clinicOrigin,
  type OperatorData,
  operatorClock,
  operatorData,
  operatorIds,
  tenantScope,
} from './operator-scope';

const USAGE = `Clinic administrators (the operator's provisioning of a clinic's first administrator).

  npm run admin -- create     --host <clinic host> --email <address> --name "<full name>" [--role admin|read-only]
  npm run admin -- invite     --host <clinic host> --email <address>
  npm run admin -- deactivate --host <clinic host> --email <address>

create makes an active administrator (role admin unless --role read-only) without a password and mails them an invitation: a single-use link (valid 60
minutes) to the admin pages, where they choose a password; at their first login they add an authenticator app
(TOTP) and get their recovery codes. invite sends a new link (the previous one stops working); deactivate ends the
administrator's access and every session of theirs at once.

Options: --tenant <clinic id> instead of --host (then --origin https://<host> in AWS), --origin <https://host>
(where the link points; default: https://<host>, or the local portal's address locally), --by <your name> (recorded
in the audit trail; default: your login), --json (machine-readable output).
Acts on the running local portal (the mail shows up on its dev mail page), or on AWS when TABLE_NAME, AWS_REGION,
DOCUMENTS_BUCKET, AUDIT_ANCHOR_BUCKET and SILO_CLINICS are set (and MAIL_FROM_ADDRESS for the sender).`;

/** The `npm run admin` command; returns the process exit code. */
export async function runAdminCli(argv: readonly string[], options: OperatorCommandOptions = {}): Promise<number> {
  const print = options.print ?? console.log;
  const { command, values, need, help } = parseCommandLine(argv, {
    commands: ['create', 'invite', 'deactivate'],
    options: {
      host: { type: 'string' },
      tenant: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      origin: { type: 'string' },
    },
  });
  if (!command) {
    print(USAGE);
    return help ? 0 : 2;
  }
  if (!values.host === !values.tenant) throw new UsageError(`${command} needs either --host or --tenant.`);
  const clinic = values.host ?? values.tenant ?? '';
  const email = need('email');
  const by: Actor = { type: 'operator', id: values.by ?? userInfo().username };
  const output = (human: string, machine: unknown) => print(values.json ? JSON.stringify(machine, null, 2) : human);

  const data = options.data ?? operatorData();
  const scope = await tenantScope(data, clinic);
  const deps = { scope, clock: operatorClock, ids: operatorIds };
  const invite = (admin: ClinicAdmin) =>
    inviteClinicAdmin(
      { ...deps, mailer: data.mailer() },
      { admin, origin: clinicOrigin(data, clinic, values.origin), by },
    );
  const whereMail =
    data.portalUrl === undefined ? '' : `\nLocally the mail is on the dev mail page: ${data.portalUrl}/dev/mail`;

  switch (command) {
    case 'create': {
      const { admin, invitation } = await addClinicAdmin(
        { ...deps, mailer: data.mailer() },
        {
          name: need('name'),
          email,
          ...(values.role === undefined ? {} : { role: values.role }),
          origin: clinicOrigin(data, clinic, values.origin),
          by,
        },
      );
      output(
        `Created administrator ${admin.id} (${admin.name} <${admin.email}>, role ${roleOf(admin)}) and mailed an invitation; the link works once, until ${invitation.expiresAt}.${whereMail}`,
        { ...publicView(admin), invitationExpiresAt: invitation.expiresAt },
      );
      return 0;
    }
    case 'invite': {
      const admin = await existingAdmin(data, clinic, email);
      const invitation = await invite(admin);
      output(
        `Mailed ${admin.email} a new invitation; the link works once, until ${invitation.expiresAt}.${whereMail}`,
        {
          ...publicView(admin),
          invitationExpiresAt: invitation.expiresAt,
        },
      );
      return 0;
    }
    default: {
      const admin = await existingAdmin(data, clinic, email);
      const deactivated = await deactivateClinicAdmin(deps, { adminId: admin.id, by });
      output(`Administrator ${admin.email} is deactivated; ${deactivated.revokedSessions} session(s) ended.`, {
        ...publicView(deactivated.admin),
        revokedSessions: deactivated.revokedSessions,
      });
      return 0;
    }
  }
}

async function existingAdmin(data: OperatorData, clinic: string, email: string): Promise<ClinicAdmin> {
  const admin = await findClinicAdmin(await tenantScope(data, clinic), email);
  if (!admin) throw new NotFoundError(`An administrator ${email} of this clinic`);
  return admin;
}

/** What an operator sees of an administrator: no secrets, no hashes, only whether an authenticator is enrolled. */
function publicView(admin: ClinicAdmin) {
  return {
    id: admin.id,
    name: admin.name,
    email: admin.email,
    status: admin.status,
    role: roleOf(admin),
    createdAt: admin.createdAt,
    authenticator: admin.totp.state,
  };
}

runAsCommand(import.meta.url, USAGE, runAdminCli);
