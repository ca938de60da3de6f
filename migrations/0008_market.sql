CREATE TABLE `creators` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`api_key_hash` text NOT NULL,
	`address` text NOT NULL,
	`dev_index` integer,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `creators_api_key_hash_unique` ON `creators` (`api_key_hash`);--> statement-breakpoint
CREATE TABLE `market_models` (
	`model_id` text PRIMARY KEY NOT NULL,
	`ref` text NOT NULL,
	`name` text NOT NULL,
	`version` text NOT NULL,
	`creator_id` text NOT NULL,
	`jurisdiction` text NOT NULL,
	`featurizer` text NOT NULL,
	`sha256` text NOT NULL,
	`model_root` text NOT NULL,
	`steps` integer NOT NULL,
	`price` text NOT NULL,
	`royalty_bps` integer NOT NULL,
	`status` text NOT NULL,
	`card` text NOT NULL,
	`evaluation` text NOT NULL,
	`register_tx` text,
	`created_at` text NOT NULL,
	`deprecated_at` text,
	FOREIGN KEY (`creator_id`) REFERENCES `creators`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `market_models_ref_unique` ON `market_models` (`ref`);--> statement-breakpoint
CREATE INDEX `market_models_jurisdiction_idx` ON `market_models` (`jurisdiction`,`status`);--> statement-breakpoint
CREATE INDEX `market_models_creator_idx` ON `market_models` (`creator_id`);--> statement-breakpoint
CREATE TABLE `model_pins` (
	`merchant_id` text NOT NULL,
	`jurisdiction` text NOT NULL,
	`model_id` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`merchant_id`, `jurisdiction`),
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action
);
