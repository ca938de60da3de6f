CREATE TABLE `merchant_arbitrables` (
	`address` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`added_by` text NOT NULL,
	`note` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `merchant_arbitrables_merchant_idx` ON `merchant_arbitrables` (`merchant_id`,`address`);