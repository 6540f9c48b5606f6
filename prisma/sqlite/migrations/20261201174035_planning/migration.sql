-- AlterTable
ALTER TABLE "BudgetLine" ADD COLUMN "phasing" TEXT;

-- CreateTable
CREATE TABLE "LatestEstimate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "period" TEXT NOT NULL,
    "setBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "BudgetMove" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "fromCategory" TEXT NOT NULL,
    "toCategory" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "periodStart" TEXT NOT NULL,
    "periodEnd" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "requestedBy" TEXT NOT NULL,
    "fromOwner" TEXT,
    "toOwner" TEXT,
    "fromApprovedBy" TEXT,
    "fromApprovedAt" DATETIME,
    "toApprovedBy" TEXT,
    "toApprovedAt" DATETIME,
    "status" TEXT NOT NULL,
    "decidedBy" TEXT,
    "decidedAt" DATETIME,
    "rejectReason" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SpendMonthly" (
    "teamId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,

    PRIMARY KEY ("teamId", "month", "category", "status")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Workspace" ("alertRules", "alertsChannelId", "createdAt", "currency", "digestChangedAt", "digestChannelId", "digestDay", "digestEnabled", "digestTime", "digestTimezone", "fiscalStartMonth", "spendEntry", "teamId", "timezone", "updatedAt") SELECT "alertRules", "alertsChannelId", "createdAt", "currency", "digestChangedAt", "digestChannelId", "digestDay", "digestEnabled", "digestTime", "digestTimezone", "fiscalStartMonth", "spendEntry", "teamId", "timezone", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "LatestEstimate_teamId_month_idx" ON "LatestEstimate"("teamId", "month");

-- CreateIndex
CREATE UNIQUE INDEX "LatestEstimate_teamId_category_month_key" ON "LatestEstimate"("teamId", "category", "month");

-- CreateIndex
CREATE INDEX "BudgetMove_teamId_status_idx" ON "BudgetMove"("teamId", "status");

-- Backfill the monthly rollup from the daily one, so existing workspaces have their months.
INSERT INTO "SpendMonthly" ("teamId", "month", "category", "status", "amountMinor")
SELECT "teamId", substr("date", 1, 7), "category", "status", SUM("amountMinor")
FROM "SpendDaily"
GROUP BY "teamId", substr("date", 1, 7), "category", "status";
