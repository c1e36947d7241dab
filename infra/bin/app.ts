// `cdk synth` / `cdk deploy` entry point (see infra/cdk.json).
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createMurmurApp } from '../src/index.js';

const { app } = createMurmurApp();
// cdk-nag 3 is a policy-validation plugin: an unacknowledged finding fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
