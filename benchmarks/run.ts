// `pnpm bench`: prints figures; never a timed test (this machine is shared and noisy).
import { runAnalysisBench } from './analysis.bench.js';
import { runBusBench } from './bus.bench.js';
import { runLakeBench } from './lake.bench.js';
import { runMatcherBench } from './matcher.bench.js';
import { runWebhookBench } from './webhook.bench.js';

const only = process.argv[2];
if (!only || only === 'matcher') await runMatcherBench();
if (!only || only === 'bus') await runBusBench();
if (!only || only === 'webhook') await runWebhookBench();
if (!only || only === 'analysis') await runAnalysisBench();
if (!only || only === 'lake') await runLakeBench();
