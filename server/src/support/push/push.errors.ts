import { defineErrors } from '../../platform/index.js';

export const PushError = defineErrors({
  push_service_not_allowed: {
    status: 400,
    'zh-CN': '不支持该推送服务，请使用 Chrome、Edge、Firefox 或 Safari 的推送',
    en: 'This push service is not supported; use the push service of Chrome, Edge, Firefox or Safari',
  },
  push_key_invalid: {
    status: 400,
    'zh-CN': '浏览器提供的推送密钥无效，请关闭通知后重新开启',
    en: 'The browser’s push key is not valid; turn notifications off and on again',
  },
  push_subscription_not_found: {
    status: 404,
    'zh-CN': '此设备尚未开启通知',
    en: 'Notifications are not turned on for this device',
  },
  push_device_not_found: { status: 404, 'zh-CN': '找不到该设备', en: 'Device not found' },
});
