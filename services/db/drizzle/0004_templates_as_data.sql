CREATE TABLE "import_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text,
	"name" text NOT NULL,
	"table_schema" text NOT NULL,
	"table_name" text NOT NULL,
	"managed" boolean NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "template_mappings" (
	"tenant_id" text NOT NULL,
	"template" text NOT NULL,
	"header_hash" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "template_mappings_tenant_id_template_header_hash_pk" PRIMARY KEY("tenant_id","template","header_hash")
);
--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "format" text DEFAULT 'csv' NOT NULL;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "sheet" text;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "mapping" jsonb;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "dry_run" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "plan" jsonb;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "dry_run_of" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "import_templates_tenant_name_idx" ON "import_templates" USING btree (coalesce("tenant_id", ''),"name");