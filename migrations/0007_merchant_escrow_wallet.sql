ALTER TABLE `merchants` ADD `wallet_address` text;--> statement-breakpoint
CREATE INDEX `chain_events_name_idx` ON `chain_events` (`source`,`name`);