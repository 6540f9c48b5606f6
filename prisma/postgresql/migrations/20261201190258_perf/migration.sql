-- DropIndex
DROP INDEX "Lead_teamId_createdDate_idx";

-- DropIndex
DROP INDEX "Opportunity_teamId_createdDate_idx";

-- DropIndex
DROP INDEX "Target_teamId_metric_period_key";

-- AlterTable
ALTER TABLE "Target" ADD COLUMN     "category" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "notMarketing" TEXT NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "FunnelDaily" (
    "teamId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "leads" INTEGER NOT NULL DEFAULT 0,
    "mqls" INTEGER NOT NULL DEFAULT 0,
    "sqls" INTEGER NOT NULL DEFAULT 0,
    "opportunities" INTEGER NOT NULL DEFAULT 0,
    "pipelineMinor" BIGINT NOT NULL DEFAULT 0,
    "wonMinor" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "FunnelDaily_pkey" PRIMARY KEY ("teamId","date","category")
);

-- CreateIndex
CREATE INDEX "Lead_teamId_createdDate_category_campaign_mqlDate_sqlDate_idx" ON "Lead"("teamId", "createdDate", "category", "campaign", "mqlDate", "sqlDate");

-- CreateIndex
CREATE INDEX "Lead_teamId_mqlDate_category_campaign_idx" ON "Lead"("teamId", "mqlDate", "category", "campaign");

-- CreateIndex
CREATE INDEX "Lead_teamId_sqlDate_category_campaign_idx" ON "Lead"("teamId", "sqlDate", "category", "campaign");

-- CreateIndex
CREATE INDEX "Opportunity_teamId_createdDate_category_campaign_amountMino_idx" ON "Opportunity"("teamId", "createdDate", "category", "campaign", "amountMinor");

-- CreateIndex
CREATE INDEX "Opportunity_teamId_closeDate_won_category_campaign_amountMi_idx" ON "Opportunity"("teamId", "closeDate", "won", "category", "campaign", "amountMinor");

-- CreateIndex
CREATE INDEX "Spend_teamId_category_date_status_campaign_amountMinor_idx" ON "Spend"("teamId", "category", "date", "status", "campaign", "amountMinor");

-- CreateIndex
CREATE UNIQUE INDEX "Target_teamId_metric_period_category_key" ON "Target"("teamId", "metric", "period", "category");

-- Backfill the funnel rollup from the leads and opportunities already stored.
INSERT INTO "FunnelDaily" ("teamId", "date", "category", "leads", "mqls", "sqls", "opportunities", "pipelineMinor", "wonMinor")
SELECT "teamId", "date", "category", SUM("leads"), SUM("mqls"), SUM("sqls"), SUM("opportunities"), SUM("pipelineMinor"), SUM("wonMinor")
FROM (
  SELECT "teamId", "createdDate" AS "date", "category", 1 AS "leads", 0 AS "mqls", 0 AS "sqls", 0 AS "opportunities", 0 AS "pipelineMinor", 0 AS "wonMinor" FROM "Lead"
  UNION ALL SELECT "teamId", "mqlDate", "category", 0, 1, 0, 0, 0, 0 FROM "Lead" WHERE "mqlDate" IS NOT NULL
  UNION ALL SELECT "teamId", "sqlDate", "category", 0, 0, 1, 0, 0, 0 FROM "Lead" WHERE "sqlDate" IS NOT NULL
  UNION ALL SELECT "teamId", "createdDate", "category", 0, 0, 0, 1, "amountMinor", 0 FROM "Opportunity"
  UNION ALL SELECT "teamId", "closeDate", "category", 0, 0, 0, 0, 0, "amountMinor" FROM "Opportunity" WHERE "won" = TRUE AND "closeDate" IS NOT NULL
) AS "contributions"
GROUP BY "teamId", "date", "category";
