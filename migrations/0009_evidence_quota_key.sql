ALTER TABLE `evidence` ADD `quota_key` text;--> statement-breakpoint
CREATE INDEX `evidence_quota_key_idx` ON `evidence` (`quota_key`,`created_at`);--> statement-breakpoint
-- Rows from before the column: a merchant's, arbitrator's or admin's uploads keep counting against it (a claimant's address was not kept).
UPDATE `evidence` SET `quota_key` = `uploaded_by` WHERE `uploaded_by` NOT LIKE 'claimant:%';
