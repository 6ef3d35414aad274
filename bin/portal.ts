import { App } from 'aws-cdk-lib';
import { configFor, isStage } from '../lib/config';
import { addComplianceChecks, createStacks } from '../lib/create-stacks';

const app = new App();
const stage = app.node.tryGetContext('stage') ?? 'dev';
if (!isStage(stage)) {
  throw new Error(`Unknown stage "${String(stage)}": use -c stage=dev or -c stage=prod`);
}
createStacks(app, configFor(stage));
addComplianceChecks(app);
