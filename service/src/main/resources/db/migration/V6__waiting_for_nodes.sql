-- When a leased task's endpoint said it waits for a pilot block with room (shown as waiting-for-nodes until it
-- starts); written only for tasks still waiting half a second later.
ALTER TABLE tasks ADD COLUMN nodes_wait_at BIGINT;
