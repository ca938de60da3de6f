-- Custom migration: every merchant's first API key (merchants.api_key_hash) becomes a row of
-- merchant_api_keys, where authentication, listing, rotation and revocation now look.
INSERT OR IGNORE INTO `merchant_api_keys` (`id`, `merchant_id`, `key_hash`, `prefix`, `created_at`, `expires_at`, `revoked_at`)
SELECT 'key_' || substr(`id`, 5), `id`, `api_key_hash`, 'mk_', `created_at`, NULL, NULL FROM `merchants`;
