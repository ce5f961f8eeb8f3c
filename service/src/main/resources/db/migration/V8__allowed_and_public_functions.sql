-- An endpoint's allow-list (a JSON array of function ids; NULL: it runs any function). A user endpoint obeys its
-- manager's.
ALTER TABLE endpoints ADD COLUMN allowed_functions TEXT;

-- A public function may be run by every identity of the service; only its owner sees it listed or deletes it.
ALTER TABLE functions ADD COLUMN is_public BOOLEAN NOT NULL DEFAULT FALSE;
