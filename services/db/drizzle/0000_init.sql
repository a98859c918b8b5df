CREATE TABLE "import_jobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text DEFAULT 'default' NOT NULL,
	"status" text NOT NULL,
	"template" text NOT NULL,
	"on_duplicate" text DEFAULT 'error' NOT NULL,
	"filename" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"object_name" text NOT NULL,
	"idempotency_key" text,
	"duplicate_of" uuid,
	"total_rows" bigint,
	"processed_rows" bigint DEFAULT 0 NOT NULL,
	"success_rows" bigint DEFAULT 0 NOT NULL,
	"failed_rows" bigint DEFAULT 0 NOT NULL,
	"bytes_processed" bigint DEFAULT 0 NOT NULL,
	"ignored_columns" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" jsonb,
	"attempt" integer DEFAULT 1 NOT NULL,
	"run_id" uuid,
	"resumed_from_row" bigint,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"announced_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_row_errors" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"row" bigint NOT NULL,
	"column" text,
	"value" text,
	"code" text NOT NULL,
	"message" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" bigint PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"company" text,
	"country" char(2) NOT NULL,
	"signup_date" date NOT NULL,
	"amount" numeric NOT NULL,
	"active" boolean NOT NULL,
	"notes" text,
	"import_job_id" uuid NOT NULL,
	"import_run_id" uuid NOT NULL,
	"source_row" bigint NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"price" numeric NOT NULL,
	"quantity" bigint NOT NULL,
	"active" boolean NOT NULL,
	"import_job_id" uuid NOT NULL,
	"import_run_id" uuid NOT NULL,
	"source_row" bigint NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_row_errors" ADD CONSTRAINT "import_row_errors_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_jobs_tenant_created_idx" ON "import_jobs" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "import_jobs_status_idx" ON "import_jobs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "import_jobs_sha_idx" ON "import_jobs" USING btree ("template","sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "import_jobs_idempotency_idx" ON "import_jobs" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "import_row_errors_job_row_idx" ON "import_row_errors" USING btree ("job_id","row","id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_sku_key" ON "products" USING btree (lower("sku"));