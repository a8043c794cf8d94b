-- Secrets at rest are sealed (README "Secrets at rest"): a webhook secret of
-- up to 255 bytes becomes "enc:v1:<key id>:<base64>" of up to 396 characters.
-- llm_providers.api_key and experiment_channels.secret are TEXT and fit as
-- they are. Existing plaintext rows stay readable until
-- "confabctl secrets encrypt" seals them.
ALTER TABLE webhook_endpoints MODIFY secret VARCHAR(512) COLLATE utf8mb4_bin NOT NULL;
