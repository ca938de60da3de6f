-- Idempotency rows written before responses were sealed hold Idempotency-Keys and whole
-- response bodies (claimant access tokens, merchant API keys) in clear. They are a 24-hour
-- replay cache: dropping them loses at most a replay, and no secret stays on disk.
DELETE FROM `idempotency_keys`;
