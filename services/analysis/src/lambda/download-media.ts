// Lambda entry of the analysis state machine's DownloadMedia task (one photo of a Map item: fetched from an allowed host, sniffed, stored in the media bucket).
import { createTaskLambda } from './task-lambda.js';

export const handler = createTaskLambda('DownloadMedia');
