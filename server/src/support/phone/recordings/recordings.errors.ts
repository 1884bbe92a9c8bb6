import { defineErrors } from '../../../platform/index.js';

export const RecordingError = defineErrors({
  voicemail_file_missing: {
    status: 400,
    'zh-CN': '请附上录音文件（multipart 字段 file）',
    en: 'Attach the recording (multipart field "file")',
  },
  voicemail_empty: { status: 400, 'zh-CN': '录音是空的，请重新录制', en: 'The recording is empty; record it again' },
  voicemail_too_large: {
    status: 413,
    'zh-CN': '录音文件过大（最大 {limit}）',
    en: 'The recording is too large (at most {limit})',
  },
  voicemail_too_long: {
    status: 400,
    'zh-CN': '留言最长 {seconds} 秒，请重新录制',
    en: 'A voicemail may last at most {seconds} seconds; record it again',
  },
  voicemail_type_not_allowed: {
    status: 415,
    'zh-CN': '只接受浏览器录制的音频（WebM、Ogg 或 MP4）',
    en: 'Only audio recorded by a browser is accepted (WebM, Ogg or MP4)',
  },
  voicemail_field_invalid: { status: 400, 'zh-CN': '留言的 {field} 无效', en: 'The voicemail’s {field} is invalid' },
  voicemail_idempotency_key_missing: {
    status: 400,
    'zh-CN': '缺少 Idempotency-Key 请求头',
    en: 'The Idempotency-Key header is required',
  },
  voicemail_idempotency_key_invalid: {
    status: 400,
    'zh-CN': 'Idempotency-Key 格式无效（8–100 个字母、数字、- 或 _）',
    en: 'The Idempotency-Key must be 8–100 letters, digits, - or _',
  },
  voicemail_idempotency_key_reused: {
    status: 422,
    'zh-CN': '该 Idempotency-Key 已用于另一段录音',
    en: 'This Idempotency-Key was already used for another recording',
  },
  recording_not_found: { status: 404, 'zh-CN': '找不到该录音', en: 'Recording not found' },
  recording_expired: {
    status: 410,
    'zh-CN': '录音已按保留策略删除',
    en: 'The recording was deleted per the retention policy',
  },
  recording_not_ready: {
    status: 409,
    'zh-CN': '录音尚未从电话服务商取回',
    en: 'The recording has not been fetched from the telephony provider yet',
  },
  recording_range_invalid: {
    status: 416,
    'zh-CN': '请求的录音字节范围无效',
    en: 'The requested byte range of the recording is not satisfiable',
  },
  call_not_found: { status: 404, 'zh-CN': '找不到该通话', en: 'Call not found' },
});
