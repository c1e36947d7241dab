// How every Murmur Lambda is built and why it stays on Node 22: one place for all service stacks.
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Local esbuild, ESM, everything (the AWS SDK too) included: the SDK versions tested are the ones deployed. */
export const LAMBDA_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  externalModules: [],
  mainFields: ['module', 'main'],
  // Some CommonJS dependencies call require() inside the ESM bundle.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  forceDockerBundling: false,
};

/** cdk-nag's AwsSolutions-L1 asks for the latest runtime; Murmur pins Node 22 on purpose. */
export const NODE22_RUNTIME_REASON =
  'Murmur targets the Node.js 22 Lambda runtime (DESIGN.md), the version its code and tests are built for; move to the next LTS deliberately, not through a lint.';
