DROP INDEX `cases_access_token_hash_unique`;--> statement-breakpoint
DROP INDEX `cases_kind_idx`;