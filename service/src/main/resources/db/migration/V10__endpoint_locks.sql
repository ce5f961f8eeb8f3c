-- Until when an endpoint stays locked by its owner (Globus Compute's stop_endpoint): its channels are refused
-- and it cannot register again before then. NULL: not locked.
ALTER TABLE endpoints ADD COLUMN locked_until BIGINT;
