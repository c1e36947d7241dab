// The analysis workflow, as one ASL document (JSONPath). CDK deploys it as an Express state
// machine; the embedded runtime runs the very same object with aws-local-stepfunctions.
//
// Cost is decided here: Comprehend and Rekognition are called straight from the workflow (SDK
// integrations, no Lambda in between), and only where a call can add something.
import type { AslDocument, AslState, StateMachineSubstitution } from '@murmur/ports';
import { REKOGNITION_CONTENT_TYPES, TRANSIENT_MEDIA_ERRORS } from '../media/index.js';
import { COMPREHEND_LANGUAGES, PERSON_LABELS, type PhotoPlan, TEXT_LABELS } from './call-plan.js';

export const ANALYSIS_STATE_MACHINE = 'analyse-message';

/** Placeholders of the document, rendered by CDK (DefinitionSubstitutions) and by the local runner. */
export const ANALYSIS_SUBSTITUTIONS: Record<string, StateMachineSubstitution> = {
  PrepareMessageFunctionArn: { kind: 'taskFunction', taskFunction: 'PrepareMessage' },
  DownloadMediaFunctionArn: { kind: 'taskFunction', taskFunction: 'DownloadMedia' },
  AssembleAnalysisFunctionArn: { kind: 'taskFunction', taskFunction: 'AssembleAnalysis' },
  EventBusName: { kind: 'eventBusName' },
};

const RETRY_BACKOFF = { IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3, JitterStrategy: 'FULL' };

const COMPREHEND_RETRY = [
  {
    ErrorEquals: [
      'Comprehend.ThrottlingException',
      'Comprehend.TooManyRequestsException',
      'Comprehend.InternalServerException',
    ],
    ...RETRY_BACKOFF,
  },
];

const REKOGNITION_RETRY = [
  {
    ErrorEquals: [
      'Rekognition.ThrottlingException',
      'Rekognition.ProvisionedThroughputExceededException',
      'Rekognition.InternalServerErrorException',
    ],
    ...RETRY_BACKOFF,
  },
];

const LAMBDA_RETRY = [
  {
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ],
    ...RETRY_BACKOFF,
  },
];

const CATCH_ALL = ['States.ALL'];

/** The image of the current Map item, as Rekognition reads it from the media bucket. */
const S3_IMAGE = { S3Object: { 'Bucket.$': '$.media.bucket', 'Name.$': '$.media.key' } };

/** A Choice rule: the plan allows `call` for this photo. */
const planned = (call: keyof PhotoPlan) => ({ Variable: `$.plan.${call}`, BooleanEquals: true });

/**
 * A Choice rule: the plan allows `call` and some DetectLabels label has one of these names (labels
 * kept as a JSON string).
 */
function plannedWithLabel(call: keyof PhotoPlan, names: readonly string[]) {
  return {
    And: [
      planned(call),
      { Variable: '$.labels.labelsJson', IsPresent: true },
      {
        Or: names.map((name) => ({ Variable: '$.labels.labelsJson', StringMatches: `*"Name":"${name}"*` })),
      },
    ],
  };
}

/**
 * An AI call that ends its branch: its response (trimmed to what Murmur keeps) on success, the
 * caught `{Error, Cause}` on failure. Assemble tells them apart by the `response` key.
 */
function aiCall(
  name: string,
  resource: string,
  parameters: Record<string, unknown>,
  response: Record<string, string>,
  retry: unknown[],
): Record<string, AslState> {
  return {
    [name]: {
      Type: 'Task',
      Resource: `arn:aws:states:::aws-sdk:${resource}`,
      Parameters: parameters,
      ResultSelector: { response },
      Retry: retry,
      Catch: [{ ErrorEquals: CATCH_ALL, Next: `${name}Failed` }],
      End: true,
    },
    [`${name}Failed`]: { Type: 'Pass', End: true },
  };
}

/** A branch that makes `call` only when `rule` holds, else says why it skipped. */
function onlyIf(
  choice: string,
  rule: Record<string, unknown>,
  call: Record<string, AslState>,
  skipped: string,
): AslDocument {
  const [callName] = Object.keys(call) as [string];
  return {
    StartAt: choice,
    States: {
      [choice]: {
        Type: 'Choice',
        Choices: [{ ...rule, Next: callName }],
        Default: `${choice}Skipped`,
      },
      [`${choice}Skipped`]: { Type: 'Pass', Result: { skipped }, End: true },
      ...call,
    },
  };
}

const textWithLanguage = { 'Text.$': '$.text.text', 'LanguageCode.$': '$.text.languageCode' };

/** Language (from X, or detected), then sentiment, entities, key phrases and toxicity in parallel. */
function textBranch(): AslDocument {
  return {
    StartAt: 'PlanText',
    States: {
      PlanText: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.text.detectLanguage', BooleanEquals: true, Next: 'DetectDominantLanguage' },
          { Variable: '$.text.sentiment', BooleanEquals: true, Next: 'LanguageSupported' },
        ],
        Default: 'NoTextToAnalyse',
      },
      NoTextToAnalyse: { Type: 'Pass', Result: { skipped: 'no text' }, End: true },
      DetectDominantLanguage: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:comprehend:detectDominantLanguage',
        Parameters: { 'Text.$': '$.text.text' },
        ResultSelector: {
          'LanguageCode.$': '$.Languages[0].LanguageCode',
          'Score.$': '$.Languages[0].Score',
        },
        ResultPath: '$.text.detected',
        Retry: COMPREHEND_RETRY,
        Catch: [{ ErrorEquals: CATCH_ALL, ResultPath: '$.languageError', Next: 'LanguageUnknown' }],
        Next: 'UseDetectedLanguage',
      },
      LanguageUnknown: { Type: 'Pass', End: true },
      UseDetectedLanguage: {
        Type: 'Pass',
        InputPath: '$.text.detected.LanguageCode',
        ResultPath: '$.text.languageCode',
        Next: 'LanguageSupported',
      },
      LanguageSupported: {
        Type: 'Choice',
        Choices: [
          {
            Or: COMPREHEND_LANGUAGES.map((code) => ({
              Variable: '$.text.languageCode',
              StringEquals: code,
            })),
            Next: 'TextCalls',
          },
        ],
        Default: 'LanguageNotSupported',
      },
      LanguageNotSupported: { Type: 'Pass', End: true },
      TextCalls: {
        Type: 'Parallel',
        ResultPath: '$.calls',
        End: true,
        Branches: [
          {
            StartAt: 'DetectSentiment',
            States: aiCall(
              'DetectSentiment',
              'comprehend:detectSentiment',
              textWithLanguage,
              { 'Sentiment.$': '$.Sentiment', 'SentimentScore.$': '$.SentimentScore' },
              COMPREHEND_RETRY,
            ),
          },
          onlyIf(
            'NeedsEntities',
            { Variable: '$.text.entities', BooleanEquals: true },
            aiCall(
              'DetectEntities',
              'comprehend:detectEntities',
              textWithLanguage,
              { 'Entities.$': '$.Entities' },
              COMPREHEND_RETRY,
            ),
            'no words, or not in the plan',
          ),
          onlyIf(
            'NeedsKeyPhrases',
            { Variable: '$.text.keyPhrases', BooleanEquals: true },
            aiCall(
              'DetectKeyPhrases',
              'comprehend:detectKeyPhrases',
              textWithLanguage,
              { 'KeyPhrases.$': '$.KeyPhrases' },
              COMPREHEND_RETRY,
            ),
            'no words, or not in the plan',
          ),
          onlyIf(
            'NeedsToxicity',
            {
              And: [
                { Variable: '$.text.toxicity', BooleanEquals: true },
                { Variable: '$.text.words', BooleanEquals: true },
                { Variable: '$.text.languageCode', StringEquals: 'en' },
              ],
            },
            aiCall(
              'DetectToxicContent',
              'comprehend:detectToxicContent',
              { TextSegments: [{ 'Text.$': '$.text.text' }], LanguageCode: 'en' },
              { 'ResultList.$': '$.ResultList' },
              COMPREHEND_RETRY,
            ),
            'not in the plan, or no English words',
          ),
        ],
      },
    },
  };
}

/** Per photo: download, labels, then only the calls the labels make worthwhile. */
function imageProcessor(): AslDocument {
  return {
    StartAt: 'DownloadMedia',
    States: {
      DownloadMedia: {
        Type: 'Task',
        Resource: '${DownloadMediaFunctionArn}',
        ResultPath: '$.media',
        Retry: [...LAMBDA_RETRY, { ErrorEquals: [...TRANSIENT_MEDIA_ERRORS], ...RETRY_BACKOFF }],
        Catch: [{ ErrorEquals: CATCH_ALL, ResultPath: '$.downloadError', Next: 'ImageNotDownloaded' }],
        Next: 'RekognitionCanRead',
      },
      ImageNotDownloaded: { Type: 'Pass', End: true },
      // Downloads keep WebP and GIF too; Rekognition reads only JPEG and PNG.
      RekognitionCanRead: {
        Type: 'Choice',
        Choices: [
          {
            Or: REKOGNITION_CONTENT_TYPES.map((type) => ({
              Variable: '$.media.contentType',
              StringEquals: type,
            })),
            Next: 'DetectLabels',
          },
        ],
        Default: 'ImageFormatNotAnalysed',
      },
      ImageFormatNotAnalysed: { Type: 'Pass', End: true },
      DetectLabels: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:rekognition:detectLabels',
        Parameters: { Image: S3_IMAGE, MaxLabels: 25, MinConfidence: 60 },
        ResultSelector: {
          response: { 'Labels.$': '$.Labels' },
          // Choice rules cannot search an array; a JSON string they can match against.
          'labelsJson.$': 'States.JsonToString($.Labels)',
        },
        ResultPath: '$.labels',
        Retry: REKOGNITION_RETRY,
        Catch: [{ ErrorEquals: CATCH_ALL, ResultPath: '$.labels', Next: 'ImageCalls' }],
        Next: 'ImageCalls',
      },
      ImageCalls: {
        Type: 'Parallel',
        ResultPath: '$.calls',
        End: true,
        Branches: [
          onlyIf(
            'NeedsText',
            plannedWithLabel('text', TEXT_LABELS),
            aiCall(
              'DetectText',
              'rekognition:detectText',
              { Image: S3_IMAGE },
              { 'TextDetections.$': '$.TextDetections' },
              REKOGNITION_RETRY,
            ),
            'no Text label, or not in the plan',
          ),
          onlyIf(
            'NeedsCelebrities',
            plannedWithLabel('celebrities', PERSON_LABELS),
            aiCall(
              'RecognizeCelebrities',
              'rekognition:recognizeCelebrities',
              { Image: S3_IMAGE },
              { 'CelebrityFaces.$': '$.CelebrityFaces', 'UnrecognizedFaces.$': '$.UnrecognizedFaces' },
              REKOGNITION_RETRY,
            ),
            'no person, or not in the plan',
          ),
          onlyIf(
            'NeedsFaces',
            plannedWithLabel('faces', PERSON_LABELS),
            aiCall(
              'DetectFaces',
              'rekognition:detectFaces',
              { Image: S3_IMAGE, Attributes: ['AGE_RANGE', 'EMOTIONS', 'GENDER'] },
              { 'FaceDetails.$': '$.FaceDetails' },
              REKOGNITION_RETRY,
            ),
            'no person, or not in the plan',
          ),
          onlyIf(
            'NeedsModeration',
            planned('moderation'),
            aiCall(
              'DetectModerationLabels',
              'rekognition:detectModerationLabels',
              { Image: S3_IMAGE, MinConfidence: 60 },
              { 'ModerationLabels.$': '$.ModerationLabels' },
              REKOGNITION_RETRY,
            ),
            'not in the plan',
          ),
        ],
      },
    },
  };
}

function imagesBranch(): AslDocument {
  return {
    StartAt: 'HasPhotos',
    States: {
      HasPhotos: {
        Type: 'Choice',
        Choices: [{ Variable: '$.photos[0]', IsPresent: true, Next: 'AnalyseImages' }],
        Default: 'NoPhotos',
      },
      NoPhotos: { Type: 'Pass', Result: [], End: true },
      AnalyseImages: {
        Type: 'Map',
        ItemsPath: '$.photos',
        MaxConcurrency: 4,
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...imageProcessor() },
        End: true,
      },
    },
  };
}

const publish = (detailType: string, detail: Record<string, unknown> | string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::events:putEvents',
  Parameters: {
    Entries: [
      {
        EventBusName: '${EventBusName}',
        Source: 'murmur.analysis',
        DetailType: detailType,
        ...(typeof detail === 'string' ? { 'Detail.$': detail } : { Detail: detail }),
      },
    ],
  },
  Retry: [
    { ErrorEquals: ['EventBridge.InternalException', 'EventBridge.ThrottlingException'], ...RETRY_BACKOFF },
  ],
});

export function analysisDefinition(): AslDocument {
  return {
    Comment:
      'Murmur analysis: MESSAGE_RECEIVED in; MESSAGE_ANALYSED (or MESSAGE_ANALYSIS_FAILED) out. Calls only what can add something.',
    TimeoutSeconds: 120,
    StartAt: 'PrepareMessage',
    States: {
      PrepareMessage: {
        Type: 'Task',
        Resource: '${PrepareMessageFunctionArn}',
        Retry: LAMBDA_RETRY,
        Next: 'Analyse',
      },
      Analyse: {
        Type: 'Parallel',
        ResultPath: '$.results',
        Branches: [textBranch(), imagesBranch()],
        Catch: [{ ErrorEquals: CATCH_ALL, ResultPath: '$.failure', Next: 'PublishFailure' }],
        Next: 'AssembleAnalysis',
      },
      AssembleAnalysis: {
        Type: 'Task',
        Resource: '${AssembleAnalysisFunctionArn}',
        Parameters: { 'message.$': '$.message', 'results.$': '$.results' },
        ResultPath: '$.analysed',
        Retry: LAMBDA_RETRY,
        Catch: [{ ErrorEquals: CATCH_ALL, ResultPath: '$.failure', Next: 'PublishFailure' }],
        Next: 'PublishAnalysed',
      },
      PublishAnalysed: { ...publish('MESSAGE_ANALYSED', '$.analysed'), End: true },
      PublishFailure: {
        ...publish('MESSAGE_ANALYSIS_FAILED', {
          schemaVersion: 1,
          'correlationId.$': '$.message.correlationId',
          'messageId.$': '$.message.messageId',
          'accountId.$': '$.message.accountId',
          'kind.$': '$.message.kind',
          'error.$': '$.failure.Error',
          'cause.$': '$.failure.Cause',
          'executionId.$': '$$.Execution.Id',
        }),
        ResultPath: null,
        Next: 'AnalysisFailed',
      },
      // The execution ends failed too, so Step Functions' metrics and alarms see it.
      AnalysisFailed: { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
    },
  };
}
