ALTER TABLE "import_jobs" ADD COLUMN "encoding" text DEFAULT 'utf-8' NOT NULL;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "delimiter" text DEFAULT ',' NOT NULL;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "errors_total" bigint DEFAULT 0 NOT NULL;