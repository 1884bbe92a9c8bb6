-- Starter canned responses; variables {{customer.name}} and {{agent.name}} are filled in the console.
INSERT INTO canned_responses (shortcut, title, body, locale, category) VALUES
  ('hello', '问候', '{{customer.name}}，您好！我是 OKPay 客服{{agent.name}}，很高兴为您服务。请问有什么可以帮您？', 'zh-CN', NULL),
  ('topup-failed', '充值失败说明', '{{customer.name}}，我已看到这笔充值失败的原因。请您先核对银行卡信息或换一张卡再试；如果银行卡已被扣款，资金会在核对后自动退回或到账，无需重复充值。', 'zh-CN', 'top_up'),
  ('verify', '身份验证指引', '为了保障您的资金安全，请在“账户安全”页面提交实名信息和证件照片。审核通过后，我们会协助您解冻账户。', 'zh-CN', 'freeze'),
  ('wait', '请稍候', '我正在为您查询，请稍候 1–2 分钟。', 'zh-CN', NULL),
  ('bye', '结束语', '还有其他可以帮您的吗？如没有，本次会话将结束。感谢您使用 OKPay，祝您生活愉快！', 'zh-CN', NULL),
  ('hello', 'Greeting', 'Hello {{customer.name}}, I''m {{agent.name}} from OKPay customer service. How can I help you today?', 'en', NULL),
  ('topup-failed', 'Top-up failed', 'I can see why this top-up failed, {{customer.name}}. Please check the card details or try another card. If your card was charged, the money is credited or returned automatically after we check with the bank, so there is no need to top up again.', 'en', 'top_up'),
  ('verify', 'Identity verification', 'To keep your money safe, please submit your real name and an ID photo on the Security page. Once it is approved we will help you unfreeze the account.', 'en', 'freeze'),
  ('wait', 'One moment', 'I''m looking into this for you; it will take a minute or two.', 'en', NULL),
  ('bye', 'Closing', 'Is there anything else I can help with? If not, I''ll close this chat. Thank you for using OKPay!', 'en', NULL);
