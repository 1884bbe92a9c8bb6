-- A new email conversation from one plain incoming mail, written in one call (one round trip, one
-- commit): the conversation, its mail thread, its first timeline entry, the customer's message,
-- the mail's row, the automatic acknowledgement (within the sender's hourly share) and the stored
-- mail marked processed, with their outbox events in the order the separate statements publish them.
-- The caller has parsed the mail and decided everything that needs no database; `p` carries it.
-- Returns {alreadyDone} when the stored mail is no longer being processed (another run finished
-- it), {duplicateOf} when the same mail already went into a conversation, {referenceTaken}
-- when the drawn reference is in use (draw another), else {conversation, message, acknowledgementId}.
CREATE OR REPLACE FUNCTION okpay_email_new_conversation(p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  at timestamptz := (p->>'at')::timestamptz;
  inbound uuid := (p->>'inboundEmailId')::uuid;
  sender text := p->>'sender';
  ack jsonb := nullif(p->'acknowledgement', 'null'::jsonb);
  conv conversations;
  msg messages;
  earlier uuid;
  is_acked boolean := false;
  ack_id uuid;
BEGIN
  -- Whoever holds the stored mail writes its conversation once: a second run (a lease that ran out
  -- while the first was still at work) waits for the first and then finds it done.
  PERFORM 1 FROM inbound_emails WHERE id = inbound AND status = 'processing' AND conversation_id IS NULL FOR UPDATE;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('alreadyDone', true);
  END IF;

  -- The same mail again by another path (reply-all to two of our addresses, a relay's retry).
  IF p->>'duplicateMessageId' IS NOT NULL AND sender IS NOT NULL THEN
    SELECT conversation_id INTO earlier FROM email_messages
    WHERE internet_message_id = p->>'duplicateMessageId' AND direction = 'inbound' AND from_address = sender LIMIT 1;
    IF FOUND THEN
      UPDATE inbound_emails SET status = 'ignored', outcome = 'duplicate', conversation_id = coalesce(earlier, conversation_id),
        flags = ARRAY(SELECT jsonb_array_elements_text(p->'flags')), error = NULL, processed_at = at, lease_until = NULL
      WHERE id = inbound;
      RETURN jsonb_build_object('duplicateOf', earlier);
    END IF;
  END IF;

  INSERT INTO conversations (id, customer_id, is_verified, visitor_id, channel, status, category, subject, locale, contact_name,
    contact_email, reference, assignee_id, waiting_since, created_at, updated_at, is_offline_message)
  VALUES ((p->>'conversationId')::uuid, (p->>'customerId')::uuid, (p->>'isVerified')::boolean, (p->>'visitorId')::uuid, 'email', 'open',
    p->>'category', p->>'subject', p->>'locale', p->>'contactName', p->>'contactEmail', p->>'reference', NULL, at, at, at, false)
  ON CONFLICT (reference) WHERE reference IS NOT NULL DO NOTHING
  RETURNING * INTO conv;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('referenceTaken', true);
  END IF;

  -- RFC 3834: an automatic responder answers a sender at most so many times an hour.
  IF ack IS NOT NULL THEN
    SELECT count(*) < (ack->>'limit')::int INTO is_acked FROM email_messages
    WHERE kind = 'acknowledgement' AND recipient = ack->>'recipient' AND created_at > (ack->>'since')::timestamptz;
  END IF;

  -- The thread carries the Thread-Index of the last mail we sent in it, when we send one.
  INSERT INTO email_threads (conversation_id, reply_token, customer_address, thread_guid, thread_index)
  VALUES (conv.id, p->>'replyToken', p->>'customerAddress',
    CASE WHEN is_acked THEN coalesce(p->>'threadGuid', ack->>'threadGuid') ELSE p->>'threadGuid' END,
    CASE WHEN is_acked THEN ack->>'threadIndex' ELSE p->>'threadIndex' END);

  INSERT INTO conversation_events (conversation_id, type, actor_type, actor_id, data, created_at)
  VALUES (conv.id, 'created', 'system', NULL, p->'createdData', at);
  INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at)
  VALUES ('support.conversation.created', 'conversation', conv.id::text,
    jsonb_build_object('conversationId', conv.id, 'actorType', 'system', 'actorId', NULL) || (p->'createdData'), at);

  -- The customer's message, numbered as the chat's statement numbers it.
  UPDATE conversations SET last_message_seq = last_message_seq + 1, last_message_at = at, last_customer_message_at = at
  WHERE id = conv.id RETURNING * INTO conv;
  INSERT INTO messages (conversation_id, seq, author_type, author_id, author_name, body, is_internal, redactions, attachment_id,
    client_message_id, created_at)
  VALUES (conv.id, conv.last_message_seq, p->>'authorType', p->>'authorId', p->>'authorName', p->>'body', false,
    nullif(p->'redactions', 'null'::jsonb), NULL, p->>'clientMessageId', at)
  RETURNING * INTO msg;
  INSERT INTO domain_events (type, subject_type, subject_id, payload, occurred_at)
  VALUES ('support.conversation.message-posted', 'conversation', conv.id::text,
    jsonb_build_object('conversationId', conv.id, 'messageId', msg.id, 'seq', msg.seq, 'authorType', msg.author_type,
      'authorId', msg.author_id, 'isInternal', msg.is_internal, 'isOfflineMessage', conv.is_offline_message), msg.created_at);

  -- The mail side of the message; the sender's address is known to work again; the stored mail is done.
  INSERT INTO email_messages (conversation_id, message_id, direction, kind, internet_message_id, in_reply_to, "references",
    from_address, recipient, cc, subject, quoted, quoted_redactions, attachments, flags, inbound_email_id, status, created_at)
  VALUES (conv.id, msg.id, 'inbound', 'message', p->>'internetMessageId', p->>'inReplyTo',
    ARRAY(SELECT jsonb_array_elements_text(p->'references')), coalesce(sender, ''), p->>'recipient',
    ARRAY(SELECT jsonb_array_elements_text(p->'cc')), p->>'mailSubject', p->>'quoted', nullif(p->'quotedRedactions', 'null'::jsonb),
    '[]'::jsonb, ARRAY(SELECT jsonb_array_elements_text(p->'flags')), inbound, 'received', at);
  IF sender IS NOT NULL THEN
    UPDATE email_addresses SET undeliverable_since = NULL, updated_at = at WHERE address = sender AND undeliverable_since IS NOT NULL;
  END IF;
  UPDATE inbound_emails SET status = 'processed', outcome = 'new_conversation', conversation_id = conv.id,
    flags = ARRAY(SELECT jsonb_array_elements_text(p->'flags')), error = NULL, processed_at = at, lease_until = NULL
  WHERE id = inbound;
  INSERT INTO domain_events (type, subject_type, subject_id, payload)
  VALUES ('support.email.received', 'conversation', conv.id::text,
    jsonb_build_object('inboundEmailId', inbound, 'messageId', msg.id, 'isNewConversation', true, 'flags', p->'flags'));

  IF is_acked THEN
    INSERT INTO email_messages (conversation_id, direction, kind, internet_message_id, in_reply_to, "references", from_address,
      recipient, cc, subject, attachments, flags, bounce_token, thread_index, status, created_at)
    VALUES (conv.id, 'outbound', 'acknowledgement', ack->>'internetMessageId', ack->>'inReplyTo',
      ARRAY(SELECT jsonb_array_elements_text(ack->'references')), ack->>'fromAddress', ack->>'recipient', '{}', ack->>'subject',
      '[]'::jsonb, '{}', ack->>'bounceToken', ack->>'threadIndex', 'queued', at)
    RETURNING id INTO ack_id;
  END IF;

  RETURN jsonb_build_object('conversation', to_jsonb(conv), 'message', to_jsonb(msg), 'acknowledgementId', ack_id);
END;
$$;
