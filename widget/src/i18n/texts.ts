import type { ConversationCategory, Locale } from '@okpay/contracts';

/** Every word the widget shows, Simplified Chinese first. */
const zhCN = {
  bubbleLabel: '在线客服',
  bubbleUnread: (count: number) => `在线客服，${count} 条未读消息`,
  panelTitle: 'OKPay 客服中心',
  tagline: '您好，请问有什么可以帮您？',
  close: '关闭客服窗口',
  verified: '已验证身份',
  loading: '正在连接客服…',
  reconnecting: '网络已断开，正在重新连接…',
  loadFailed: '暂时无法连接客服，请检查网络后重试。',
  tryAgain: '重试',

  startHeading: '您想咨询什么？',
  startIntro: '选择问题类型，客服接入后可以直接帮您处理。',
  categories: {
    account: '账户与登录',
    top_up: '充值',
    transactions: '交易记录',
    freeze: '冻结与验证',
    card_binding: '绑卡',
    exchange: '货币兑换',
    other: '其他',
  } satisfies Record<ConversationCategory, string>,
  categoryLegend: '问题类型',
  chooseCategory: '请先选择问题类型。',
  pickerLegend: '是哪一笔？（可选）',
  pickerHint: '选择后客服能直接看到这笔记录，您无需再提供账号、时间和金额。',
  pickerEmpty: '最近 90 天没有交易记录。',
  pickerFailed: '暂时无法读取您的交易记录，您可以直接描述问题。',
  pickerNone: '不关联任何记录',
  transactionTypes: { top_up: '充值', transfer_out: '转出', transfer_in: '转入', exchange: '兑换' } as Record<string, string>,
  transactionStatuses: { pending: '处理中', succeeded: '成功', failed: '失败' } as Record<string, string>,
  cardEnding: (last4: string) => `尾号 ${last4}`,
  firstMessageLabel: '描述您的问题（可选）',
  firstMessagePlaceholder: '例如：充值显示失败，但银行卡已扣款',
  startChat: '开始咨询',
  starting: '正在接入…',
  linkedObject: { transaction: '已关联交易记录', top_up: '已关联充值记录', card: '已关联银行卡' },
  availability: (agents: number, waiting: number, minutes: number) =>
    waiting > 0 ? `当前有 ${agents} 位客服在线，${waiting} 人正在排队，预计等待约 ${minutes} 分钟` : `当前有 ${agents} 位客服在线`,

  offlineHeading: '客服暂时不在线',
  offlineIntro: '现在没有客服在线。请留言，客服上线后会尽快回复，回复也会发送到您的邮箱。',
  emailLabel: '您的邮箱',
  nameLabel: '称呼（可选）',
  messageLabel: '留言内容',
  sendOfflineMessage: '提交留言',
  sendingOfflineMessage: '正在提交…',
  offlineSentHeading: '留言已提交',
  done: '完成',

  queuePosition: (position: number) => (position <= 1 ? '排队中：下一位就是您' : `排队中：您前面还有 ${position - 1} 位`),
  queueWait: (minutes: number) => `预计等待约 ${minutes} 分钟`,
  queueNoAgents: '目前没有客服在线，客服上线后会按顺序接入',
  waitingForAgent: '正在为您分配客服…',
  agentJoined: (name: string) => `客服 ${name} 为您服务`,
  agentTyping: '客服正在输入…',
  conversationEnded: '本次会话已结束。',
  newConversation: '开始新的咨询',

  you: '我',
  agent: '客服',
  system: '系统消息',
  sending: '发送中…',
  notSent: '未发送',
  retry: '重试',
  discard: '删除',
  delivered: '✓ 已送达',
  read: '✓✓ 已读',
  redacted: (kinds: { card?: number; resident_id?: number }): string =>
    kinds.card && kinds.resident_id
      ? '为了您的安全，卡号和身份证号已自动隐藏'
      : kinds.resident_id
        ? '为了您的安全，身份证号已自动隐藏'
        : '为了您的安全，卡号已自动隐藏',
  image: '图片',
  imageLoading: '图片加载中…',
  imageFailed: '图片无法显示',

  composerLabel: '输入消息',
  composerPlaceholder: '输入消息…',
  composerHint: 'Enter 发送 · Shift+Enter 换行',
  emptyChat: '请描述您遇到的问题，客服会在这里回复您。',
  linkedHeading: '本次咨询已关联：',
  send: '发送',
  attachImage: '发送图片',
  imageTypeNotAllowed: '只能发送 JPG、PNG、GIF 或 WebP 图片。',
  imageTooLarge: (limit: string) => `图片不能超过 ${limit}。`,
  uploadFailed: '图片上传失败，请重试。',

  transcript: '发送聊天记录到邮箱',
  transcriptEmailLabel: '接收聊天记录的邮箱',
  transcriptSend: '发送',
  transcriptCancel: '取消',
  transcriptFailed: '聊天记录发送失败，请稍后再试。',
  newMessageFrom: (name: string, body: string) => `${name}：${body}`,
  timeFormat: 'zh-CN',
};

export type Texts = typeof zhCN;

const en: Texts = {
  bubbleLabel: 'Chat with OKPay support',
  bubbleUnread: (count: number) => `Chat with OKPay support, ${count} unread ${count === 1 ? 'message' : 'messages'}`,
  panelTitle: 'OKPay Support',
  tagline: 'Hello, how can we help?',
  close: 'Close the chat',
  verified: 'Verified',
  loading: 'Connecting you to support…',
  reconnecting: 'Connection lost. Reconnecting…',
  loadFailed: 'We cannot reach support right now. Check your connection and try again.',
  tryAgain: 'Try again',

  startHeading: 'What can we help with?',
  startIntro: 'Pick a topic so the agent can start helping straight away.',
  categories: {
    account: 'Account & sign-in',
    top_up: 'Top-ups',
    transactions: 'Transactions',
    freeze: 'Freezes & verification',
    card_binding: 'Adding a card',
    exchange: 'Currency exchange',
    other: 'Something else',
  },
  categoryLegend: 'Topic',
  chooseCategory: 'Pick a topic first.',
  pickerLegend: 'Which one? (optional)',
  pickerHint: 'The agent sees the record you pick, so you need not type the account, time and amount.',
  pickerEmpty: 'No transactions in the last 90 days.',
  pickerFailed: 'We could not load your transactions; just describe the problem.',
  pickerNone: 'None of these',
  transactionTypes: { top_up: 'Top-up', transfer_out: 'Sent', transfer_in: 'Received', exchange: 'Exchange' },
  transactionStatuses: { pending: 'Pending', succeeded: 'Succeeded', failed: 'Failed' },
  cardEnding: (last4: string) => `card ending ${last4}`,
  firstMessageLabel: 'Describe the problem (optional)',
  firstMessagePlaceholder: 'e.g. The top-up failed but my card was charged',
  startChat: 'Start chat',
  starting: 'Connecting…',
  linkedObject: { transaction: 'Transaction attached', top_up: 'Top-up attached', card: 'Card attached' },
  availability: (agents: number, waiting: number, minutes: number) =>
    `${agents} ${agents === 1 ? 'agent is' : 'agents are'} online` +
    (waiting > 0 ? `, ${waiting} ${waiting === 1 ? 'person is' : 'people are'} waiting; expected wait about ${minutes} min` : ''),

  offlineHeading: 'No agent is online right now',
  offlineIntro: 'Leave a message and an agent will reply as soon as one is online. The reply also goes to your email.',
  emailLabel: 'Your email',
  nameLabel: 'Your name (optional)',
  messageLabel: 'Your message',
  sendOfflineMessage: 'Send message',
  sendingOfflineMessage: 'Sending…',
  offlineSentHeading: 'Message sent',
  done: 'Done',

  queuePosition: (position: number) =>
    position <= 1 ? 'In the queue: you are next' : `In the queue: ${position - 1} ${position === 2 ? 'person' : 'people'} ahead of you`,
  queueWait: (minutes: number) => `Expected wait about ${minutes} min`,
  queueNoAgents: 'No agent is online now; you will be connected in turn when one is',
  waitingForAgent: 'Finding an agent for you…',
  agentJoined: (name: string) => `${name} is helping you`,
  agentTyping: 'The agent is typing…',
  conversationEnded: 'This conversation has ended.',
  newConversation: 'Start a new chat',

  you: 'You',
  agent: 'Agent',
  system: 'Notice',
  sending: 'Sending…',
  notSent: 'Not sent',
  retry: 'Retry',
  discard: 'Delete',
  delivered: '✓ Delivered',
  read: '✓✓ Read',
  redacted: (kinds: { card?: number; resident_id?: number }) =>
    kinds.card && kinds.resident_id
      ? 'For your safety, the card and ID numbers were hidden'
      : kinds.resident_id
        ? 'For your safety, the ID number was hidden'
        : 'For your safety, the card number was hidden',
  image: 'Image',
  imageLoading: 'Loading image…',
  imageFailed: 'The image cannot be shown',

  composerLabel: 'Type a message',
  composerPlaceholder: 'Type a message…',
  composerHint: 'Enter sends · Shift+Enter new line',
  emptyChat: 'Describe the problem and the agent will reply here.',
  linkedHeading: 'Attached to this chat:',
  send: 'Send',
  attachImage: 'Send an image',
  imageTypeNotAllowed: 'Only JPG, PNG, GIF or WebP images can be sent.',
  imageTooLarge: (limit: string) => `Images must be at most ${limit}.`,
  uploadFailed: 'The image did not upload. Try again.',

  transcript: 'Email me the transcript',
  transcriptEmailLabel: 'Email for the transcript',
  transcriptSend: 'Send',
  transcriptCancel: 'Cancel',
  transcriptFailed: 'The transcript could not be sent. Try again later.',
  newMessageFrom: (name: string, body: string) => `${name}: ${body}`,
  timeFormat: 'en-GB',
};

export function textsFor(locale: Locale): Texts {
  return locale === 'en' ? en : zhCN;
}
