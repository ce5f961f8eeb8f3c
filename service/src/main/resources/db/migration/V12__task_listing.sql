-- gantry task list: an identity's tasks, newest first, a page at a time.
CREATE INDEX tasks_owner ON tasks (owner_id, seq);
