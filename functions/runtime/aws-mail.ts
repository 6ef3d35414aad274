import { keptOnSuccess } from '../adapters/system/kept-on-success';
import type { Mailer } from '../domain/ports';
import { createSesClient } from './aws-clients';
import { type AwsEnvironment, required } from './aws-environment';

/*
 * Apart from ./aws.ts, so that the notification sender, which sends mail but uses no bucket, need not import that
 * module and the bucket adapters with it (./tenant-table-scope.ts says why that matters).
 */

/**
 * SES from the verified sender address (MAIL_FROM_ADDRESS), recording through MAIL_CONFIGURATION_SET when set. The
 * SES client and the mailer are loaded by the first mail, not at cold start: most API requests send none (a failed
 * load is retried by the next mail). The variables are checked at once, so a wrongly wired function fails at cold
 * start rather than at its first mail.
 */
export function awsMailer(env: AwsEnvironment = process.env): Mailer {
  const region = required(env, 'AWS_REGION');
  const fromAddress = required(env, 'MAIL_FROM_ADDRESS');
  const configurationSet = env.MAIL_CONFIGURATION_SET;
  const mailer = keptOnSuccess(async () => {
    const [{ sesMailer }, client] = await Promise.all([
      import('../adapters/mail/ses-mailer'),
      createSesClient({ region }),
    ]);
    return sesMailer({ client, fromAddress, configurationSet });
  });
  return {
    async send(mail) {
      await (await mailer()).send(mail);
    },
  };
}
