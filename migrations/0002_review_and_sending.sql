CREATE TABLE "pauses" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" integer NOT NULL,
	"invoice_id" integer,
	"reason" text NOT NULL,
	"resume_date" date,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by" text
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "cc_emails" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "reminders" ADD COLUMN "message_id" text;--> statement-breakpoint
ALTER TABLE "reminders" ADD COLUMN "scheduled_for" date;--> statement-breakpoint
ALTER TABLE "reminders" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reminders" ADD COLUMN "send_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "reminders" ADD COLUMN "sending_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reminders" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "reminders" ADD COLUMN "recipients" jsonb;--> statement-breakpoint
ALTER TABLE "reminders" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "reminders" ADD COLUMN "superseded_by" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "password_hash" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "pauses" ADD CONSTRAINT "pauses_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pauses" ADD CONSTRAINT "pauses_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pauses_client_idx" ON "pauses" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
-- Older databases may hold several pending drafts for one client and stage: keep the newest.
UPDATE "reminders" AS r SET "status" = 'superseded' WHERE r."status" IN ('draft', 'blocked') AND EXISTS (SELECT 1 FROM "reminders" AS n WHERE n."client_id" = r."client_id" AND n."stage" = r."stage" AND n."status" IN ('draft', 'blocked') AND (n."created_at", n."id") > (r."created_at", r."id"));--> statement-breakpoint
CREATE UNIQUE INDEX "reminders_pending_uq" ON "reminders" USING btree ("client_id","stage") WHERE status in ('draft', 'blocked');--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_message_id_unique" UNIQUE("message_id");