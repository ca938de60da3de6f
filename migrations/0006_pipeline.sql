CREATE TABLE `chain_cursor` (
	`name` text PRIMARY KEY NOT NULL,
	`next_block` integer NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `chain_events` (
	`id` text PRIMARY KEY NOT NULL,
	`block_number` integer NOT NULL,
	`log_index` integer NOT NULL,
	`tx_hash` text NOT NULL,
	`source` text NOT NULL,
	`name` text NOT NULL,
	`args` text NOT NULL,
	`batch_id` integer,
	`game_id` integer,
	`chain_case_id` text
);
--> statement-breakpoint
CREATE INDEX `chain_events_batch_idx` ON `chain_events` (`batch_id`);--> statement-breakpoint
CREATE INDEX `chain_events_game_idx` ON `chain_events` (`game_id`);--> statement-breakpoint
CREATE INDEX `chain_events_case_idx` ON `chain_events` (`chain_case_id`);--> statement-breakpoint
CREATE TABLE `pipeline_cases` (
	`case_id` text PRIMARY KEY NOT NULL,
	`chain_case_id` text NOT NULL,
	`model_ref` text NOT NULL,
	`model_id` text NOT NULL,
	`s0` text NOT NULL,
	`output` integer NOT NULL,
	`trace_root` text NOT NULL,
	`steps` integer NOT NULL,
	`award_table` text NOT NULL,
	`deposit` text NOT NULL,
	`claimant` text NOT NULL,
	`respondent` text NOT NULL,
	`batch_id` integer,
	`batch_index` integer,
	`open_tx` text,
	`verdict` text,
	`payout_tx` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pipeline_cases_chain_idx` ON `pipeline_cases` (`chain_case_id`);--> statement-breakpoint
CREATE INDEX `pipeline_cases_batch_idx` ON `pipeline_cases` (`batch_id`,`batch_index`);