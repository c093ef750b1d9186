-- The audit chain head is maintained by the database itself on every insert, in the same
-- statement, instead of a second statement from the application per event.
CREATE TRIGGER audit_events_head AFTER INSERT ON audit_events
BEGIN
  INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (NEW.tenant_id, NEW.seq, NEW.hash)
  ON CONFLICT (tenant_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
END;
