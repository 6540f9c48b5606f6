-- DropIndex
DROP INDEX "Lead_teamId_createdDate_idx";

-- DropIndex
DROP INDEX "Opportunity_teamId_createdDate_idx";

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

    PRIMARY KEY ("teamId", "date", "category")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Target" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "category" TEXT NOT NULL DEFAULT '',
    "value" BIGINT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Target" ("createdAt", "createdBy", "id", "metric", "period", "teamId", "updatedAt", "value") SELECT "createdAt", "createdBy", "id", "metric", "period", "teamId", "updatedAt", "value" FROM "Target";
DROP TABLE "Target";
ALTER TABLE "new_Target" RENAME TO "Target";
CREATE UNIQUE INDEX "Target_teamId_metric_period_category_key" ON "Target"("teamId", "metric", "period", "category");
CREATE TABLE "new_Workspace" (
    "teamId" TEXT NOT NULL PRIMARY KEY,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "fiscalStartMonth" INTEGER NOT NULL DEFAULT 1,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "digestEnabled" BOOLEAN NOT NULL DEFAULT true,
    "digestDay" INTEGER NOT NULL DEFAULT 1,
    "digestTime" TEXT NOT NULL DEFAULT '09:00',
    "digestTimezone" TEXT,
    "digestChannelId" TEXT,
    "digestChangedAt" DATETIME NOT NULL,
    "alertsChannelId" TEXT,
    "alertRules" TEXT NOT NULL DEFAULT '{}',
    "lockDays" INTEGER NOT NULL DEFAULT 10,
    "moveAutoApproveMinor" BIGINT NOT NULL DEFAULT 0,
    "spendEntry" TEXT NOT NULL DEFAULT 'owners',
    "notMarketing" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Workspace" ("alertRules", "alertsChannelId", "createdAt", "currency", "digestChangedAt", "digestChannelId", "digestDay", "digestEnabled", "digestTime", "digestTimezone", "fiscalStartMonth", "lockDays", "moveAutoApproveMinor", "spendEntry", "teamId", "timezone", "updatedAt") SELECT "alertRules", "alertsChannelId", "createdAt", "currency", "digestChangedAt", "digestChannelId", "digestDay", "digestEnabled", "digestTime", "digestTimezone", "fiscalStartMonth", "lockDays", "moveAutoApproveMinor", "spendEntry", "teamId", "timezone", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Lead_teamId_createdDate_category_campaign_mqlDate_sqlDate_idx" ON "Lead"("teamId", "createdDate", "category", "campaign", "mqlDate", "sqlDate");

-- CreateIndex
CREATE INDEX "Lead_teamId_mqlDate_category_campaign_idx" ON "Lead"("teamId", "mqlDate", "category", "campaign");

-- CreateIndex
CREATE INDEX "Lead_teamId_sqlDate_category_campaign_idx" ON "Lead"("teamId", "sqlDate", "category", "campaign");

-- CreateIndex
CREATE INDEX "Opportunity_teamId_createdDate_category_campaign_amountMinor_idx" ON "Opportunity"("teamId", "createdDate", "category", "campaign", "amountMinor");

-- CreateIndex
CREATE INDEX "Opportunity_teamId_closeDate_won_category_campaign_amountMinor_idx" ON "Opportunity"("teamId", "closeDate", "won", "category", "campaign", "amountMinor");

-- CreateIndex
CREATE INDEX "Spend_teamId_category_date_status_campaign_amountMinor_idx" ON "Spend"("teamId", "category", "date", "status", "campaign", "amountMinor");

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
