import { resolve } from 'node:path';
import { startLocalPortal } from './start-local-portal';

/**
 * `npm start`: the whole portal on this machine. PORT picks the port (default 3000); PORTAL_DATA_DIR the data
 * folder (default .data/, git-ignored, so the database and PDFs survive restarts).
 */
const startedAt = performance.now();
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error(`PORT must be a port number (1–65535), not "${process.env.PORT}".`);
  process.exit(1);
}

const portal = await startLocalPortal({ port, dataDirectory: resolve(process.env.PORTAL_DATA_DIR ?? '.data') }).catch(
  (error: unknown) => {
    console.error(`The portal could not start: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && /EADDRINUSE/u.test(error.message))
      console.error(`Is something else using port ${port}? Try PORT=3001 npm start.`);
    process.exit(1);
  },
);

const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
console.log(`
Företagsportal is running at ${portal.url}  (started in ${seconds} s${portal.seeded.documentsCreated ? `, ${portal.seeded.documentsCreated} demo documents rendered` : ''})

Demo logins (clinic "Demo Företagshälsa AB"):
${portal.demoLogins.map((login) => `  ${login.username.padEnd(40)} ${login.password.padEnd(28)} ${login.name} — ${login.customers.join(', ')}`).join('\n')}

Clinic admin: ${portal.url}/admin
  ${portal.demoAdmin.username.padEnd(40)} ${portal.demoAdmin.password.padEnd(28)} ${portal.demoAdmin.name} — kod: se ${portal.totpDevPageUrl}
  Provision another (first login enrols an authenticator): npm run admin -- create --host localhost --email <address> --name "<name>"

BankID: choose "BankID" on the login page, then approve as one of the people above (or a stranger) on the
simulator's page: ${portal.bankIdDevPageUrl}

Mail: nothing is sent for real; invitations, password resets and notices of new invoice bases land on ${portal.mailDevPageUrl}
  Try "Glömt lösenordet?" on the login page, or invite a contact: npm run contact -- invite --tenant localhost --email <address>

Another clinic: npm run tenant -- create --name "<name>" --slug <slug> --admin-email <address>
  It answers on http://<slug>.localhost:${port} (its administrator's invitation is on the mail page).

Press Ctrl+C to stop.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    void portal.stop().then(() => process.exit(0));
  });
}
