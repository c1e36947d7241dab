// Lambda entry of the analysis state machine's PrepareMessage task (the first step: validates the MESSAGE_RECEIVED event and plans the calls).
import { createTaskLambda } from './task-lambda.js';

export const handler = createTaskLambda('PrepareMessage');
