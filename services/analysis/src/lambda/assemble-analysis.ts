// Lambda entry of the analysis state machine's AssembleAnalysis task (the last step: the branches' results as one MESSAGE_ANALYSED detail).
import { createTaskLambda } from './task-lambda.js';

export const handler = createTaskLambda('AssembleAnalysis');
