-- No query looks conversations up by when a reply is due, and the SLA subscriber sets the column
-- with every reply: the index made each of those updates write a new entry into every index of
-- the conversation row (not a HOT update). Without it they stay in place.
DROP INDEX "conversations_response_due_idx";
