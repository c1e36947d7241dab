export {
  assertAllowedMediaUrl,
  type DownloadedMedia,
  type DownloadMediaDeps,
  type DownloadMediaInput,
  DownloadMediaInputSchema,
  downloadMedia,
  MEDIA_CONTENT_TYPES,
  type MediaContentType,
  mediaBlobKey,
  REKOGNITION_CONTENT_TYPES,
} from './download-media.js';
export {
  type AllowedHost,
  canonicalHostname,
  DEFAULT_MEDIA_HOSTS,
  DEFAULT_MEDIA_MAX_BYTES,
  DEFAULT_MEDIA_MAX_REDIRECTS,
  DEFAULT_MEDIA_TIMEOUT_MS,
  LOOPBACK_HOSTNAMES,
  MEDIA_MAX_BYTES_CEILING,
  MediaConfigError,
  type MediaLimits,
  mediaLimitsFromEnv,
  parseAllowedHost,
} from './media-config.js';
export {
  isTransientMediaError,
  isTransientStatus,
  MEDIA_ERROR_NAMES,
  MediaDownloadError,
  type MediaErrorName,
  TRANSIENT_MEDIA_ERRORS,
} from './media-errors.js';
