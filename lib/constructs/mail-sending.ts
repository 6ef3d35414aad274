import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  DkimIdentity,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { MailConfig } from '../config';

/**
 * The message tag the API puts on every mail (functions/adapters/mail/ses-mailer.ts), whose value is the kind of
 * mail: SES's sending metrics are broken down by it.
 */
export const MAIL_KIND_TAG = 'kind';

/**
 * SES reviews an account whose bounce rate reaches 5 % and may pause it at 10 %; for complaints 0.1 % and 0.5 %.
 * The alarms fire at half the review level, while there is still time to find the cause.
 */
const REPUTATION_ALARMS = [
  { id: 'BounceRateAlarm', metricName: 'Reputation.BounceRate', threshold: 0.025, what: 'bounce' },
  { id: 'ComplaintRateAlarm', metricName: 'Reputation.ComplaintRate', threshold: 0.0005, what: 'complaint' },
] as const;

export interface MailSendingProps {
  readonly mail: MailConfig;
  /** SNS topic the reputation alarms notify; without one they only change state. */
  readonly alarmTopicArn?: string;
}

/**
 * Sending mail through SES v2: the sending domain as an email identity (Easy DKIM, so its mail is signed and passes
 * DMARC once the three DKIM CNAME records are in DNS; the stack outputs them), and a configuration set that every
 * mail goes through. The configuration set requires TLS to the receiving server (the mails carry set-password
 * links), adds hard bounces and complaints to the suppression list, publishes reputation metrics and counts sends,
 * deliveries, bounces, complaints and rejects per kind of mail in CloudWatch.
 */
export class MailSending extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly fromAddress: string;

  constructor(scope: Construct, id: string, props: MailSendingProps) {
    super(scope, id);
    const { domain, fromAddress } = props.mail;
    if (!fromAddress.toLowerCase().endsWith(`@${domain.toLowerCase()}`)) {
      throw new Error(`The mail sender ${fromAddress} is not an address of the verified sending domain ${domain}.`);
    }
    this.fromAddress = fromAddress;

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('Metrics', {
      destination: EventDestination.cloudWatchDimensions([
        { name: MAIL_KIND_TAG, source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'unknown' },
      ]),
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.DELIVERY_DELAY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
      ],
    });

    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(domain),
      configurationSet: this.configurationSet,
      dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT),
    });
    this.identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        description: `DKIM record ${index + 1} of 3 for ${domain}: create it in DNS as a CNAME (name, then value).`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });

    const topic = props.alarmTopicArn ? Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn) : undefined;
    for (const alarm of REPUTATION_ALARMS) {
      const reputation = new Alarm(this, alarm.id, {
        alarmDescription: `The ${alarm.what} rate of the portal's mail (${domain}) is approaching the level at which SES reviews the account. See README.md, "Mail in AWS".`,
        metric: new Metric({
          namespace: 'AWS/SES',
          metricName: alarm.metricName,
          dimensionsMap: { 'ses:configuration-set': this.configurationSet.configurationSetName },
          period: Duration.hours(1),
          statistic: Stats.MAXIMUM,
        }),
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        threshold: alarm.threshold,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (topic) {
        reputation.addAlarmAction(new SnsAction(topic));
        reputation.addOkAction(new SnsAction(topic));
      }
    }
  }

  /** The configuration set's ARN: SES authorizes SendEmail on it as well as on the identity. */
  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }

  /**
   * SendEmail, and nothing else, from this identity through this configuration set. Not the identity's own
   * grantSendEmail, which also grants SendRawEmail (arbitrary MIME, which the portal never sends).
   */
  grantSendEmail(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail'],
      resourceArns: [this.identity.emailIdentityArn, this.configurationSetArn],
    });
  }
}
