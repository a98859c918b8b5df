-- One before-image per batch and earlier writer: `image` becomes a JSON array of rows (an earlier image, one row, becomes
-- an array of one), `row_count` says how many.
ALTER TABLE "import_before_images" ALTER COLUMN "image" SET DATA TYPE json USING (CASE WHEN jsonb_typeof("image") = 'array' THEN "image" ELSE jsonb_build_array("image") END)::json;--> statement-breakpoint
ALTER TABLE "import_before_images" ADD COLUMN "row_count" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "import_before_images" ALTER COLUMN "row_count" DROP DEFAULT;--> statement-breakpoint
-- lz4 compresses an image several times faster than the default pglz; a server built without it keeps pglz.
DO $$ BEGIN ALTER TABLE "import_before_images" ALTER COLUMN "image" SET COMPRESSION lz4; EXCEPTION WHEN feature_not_supported THEN NULL; END $$;
