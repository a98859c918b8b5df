CREATE TABLE "import_before_images" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"target" text NOT NULL,
	"previous_job_id" uuid,
	"image" jsonb NOT NULL,
	"taken_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_failed_rows" (
	"job_id" uuid NOT NULL,
	"row" bigint NOT NULL,
	"cells" jsonb NOT NULL,
	CONSTRAINT "import_failed_rows_job_id_row_pk" PRIMARY KEY("job_id","row")
);
--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "max_errors" integer;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "max_error_rate" double precision;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "atomic" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "file_header" jsonb;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "revert" jsonb;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "fixes" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "import_failed_rows" ADD CONSTRAINT "import_failed_rows_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;