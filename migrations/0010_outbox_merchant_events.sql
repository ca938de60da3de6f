PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_webhook_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text,
	`merchant_id` text,
	`event_type` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_error` text,
	`delivered_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_webhook_outbox`("id", "case_id", "merchant_id", "event_type", "payload", "status", "attempts", "next_attempt_at", "last_error", "delivered_at", "created_at") SELECT "id", "case_id", "merchant_id", "event_type", "payload", "status", "attempts", "next_attempt_at", "last_error", "delivered_at", "created_at" FROM `webhook_outbox`;--> statement-breakpoint
DROP TABLE `webhook_outbox`;--> statement-breakpoint
ALTER TABLE `__new_webhook_outbox` RENAME TO `webhook_outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `webhook_outbox_pending_idx` ON `webhook_outbox` (`status`,`next_attempt_at`);