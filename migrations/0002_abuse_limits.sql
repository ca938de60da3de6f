ALTER TABLE `idempotency_keys` ADD `owner` text;--> statement-breakpoint
CREATE INDEX `evidence_uploader_idx` ON `evidence` (`uploaded_by`,`created_at`);