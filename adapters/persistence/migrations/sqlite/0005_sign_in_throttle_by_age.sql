-- Failed sign-ins older than the forget period are deleted at each new failure.
CREATE INDEX sign_in_throttle_by_age ON sign_in_throttle (last_failure_time);
