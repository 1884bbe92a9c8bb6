/** Socket.IO room names. Customer rooms carry only what the customer may see. */
export const rooms = {
  /** Customer-visible traffic of one conversation (the customer's sockets, and staff via staffConversation). */
  customerConversation: (conversationId: string) => `c:${conversationId}`,
  /** Everything about one conversation, internal notes included: staff who have it open. */
  staffConversation: (conversationId: string) => `s:${conversationId}`,
  customer: (customerId: string) => `customer:${customerId}`,
  visitor: (visitorId: string) => `visitor:${visitorId}`,
  staff: (staffId: string) => `staff:${staffId}`,
  /** The caller's socket on an in-app call (the one that placed or took it back up). */
  voiceCaller: (callId: string) => `vc:${callId}`,
  /** The connected agent's socket on an in-app call. */
  voiceAgent: (callId: string) => `va:${callId}`,
  agents: 'agents',
  supervisors: 'supervisors',
};
