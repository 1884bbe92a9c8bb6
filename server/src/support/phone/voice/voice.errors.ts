import { defineErrors } from '../../../platform/index.js';

export const VoiceError = defineErrors({
  voice_call_not_found: { status: 404, 'zh-CN': '找不到该通话', en: 'Call not found' },
  voice_line_closed: {
    status: 409,
    'zh-CN': '现在不是电话客服服务时间（{hours}），您可以预约回电或在线留言',
    en: 'Our phone line is closed now ({hours}); book a callback or leave a message',
  },
  voice_call_in_progress: {
    status: 409,
    'zh-CN': '您已有一个正在进行的通话',
    en: 'You are already on a call with us',
  },
  voice_call_ended: { status: 409, 'zh-CN': '该通话已结束', en: 'This call has ended' },
  voice_not_ringing: {
    status: 409,
    'zh-CN': '该来电已不再为您振铃（可能已被接听或已转给其他客服）',
    en: 'This call is no longer ringing for you (answered elsewhere or passed on)',
  },
  voice_not_connected: {
    status: 409,
    'zh-CN': '您不在这通电话中',
    en: 'You are not connected to this call',
  },
  voice_agent_unavailable: {
    status: 409,
    'zh-CN': '该客服现在无法接听（不在线或正在通话）',
    en: 'That agent cannot take the call now (offline or on another call)',
  },
});
