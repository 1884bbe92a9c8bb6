/** Socket.IO room names. Customer rooms carry only what the customer may see. */
export const rooms = {
  /** Customer-visible traffic of one conversation (the customer's sockets, and staff via staffConversation). */
  customerConversation: (conversationId: string) => `c:${conversationId}`,
  /** Everything about one conversation, internal notes included: staff who have it open. */
  staffConversation: (conversationId: string) => `s:${conversationId}`,
  customer: (customerId: string) => `customer:${customerId}`,
  visitor: (visitorId: string) => `visitor:${visitorId}`,
  staff: (staffId: string) => `staff:${staffId}`,
  agents: 'agents',
  supervisors: 'supervisors',
};
