import { RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** An existing topic (e.g. the organisation's on-call topic). Set: nothing is created and `email` is ignored. */
  readonly topicArn?: string;
  /** Subscribed to the created topic; AWS mails a confirmation link that must be clicked once. */
  readonly email?: string;
}

/**
 * Where every alarm of the stage notifies: the configured topic, or one created here, encrypted with a customer
 * managed KMS key. Not SNS's AWS managed key: its key policy cannot be changed to let CloudWatch use it, so alarms
 * published to a topic encrypted with it would be dropped without a trace.
 */
export class AlarmTopic extends Construct {
  readonly topic: ITopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (props.topicArn) {
      this.topic = Topic.fromTopicArn(this, 'Topic', props.topicArn);
      return;
    }

    const key = new Key(this, 'Key', {
      description: 'Encrypts the Företagsportal alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new Topic(this, 'Topic', {
      displayName: 'Företagsportal alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.email) topic.addSubscription(new EmailSubscription(props.email));
    this.topic = topic;
  }
}
