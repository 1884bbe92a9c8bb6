-- A device stops receiving a customer's notifications the moment its session is signed out, revoked
-- from another device or ended by a password reset: whoever uses that browser next must not be
-- told about this customer's conversations. Every way a session ends sets revoked_at, so the rule
-- lives here rather than in each of them. A session that only lapses (idle or absolute expiry)
-- keeps its device: the customer left, which is when a notification is worth most.
CREATE FUNCTION okpay_drop_push_of_ended_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM push_subscriptions WHERE session_id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER sessions_end_push_subscriptions
AFTER UPDATE OF revoked_at ON sessions
FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
EXECUTE FUNCTION okpay_drop_push_of_ended_session();
