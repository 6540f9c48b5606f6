-- CreateTable
CREATE TABLE "Commitment" (
    "teamId" TEXT NOT NULL,
    "commitmentId" TEXT NOT NULL,
    "openingKey" TEXT,
    "date" TEXT,
    "category" TEXT,
    "committedMinor" BIGINT NOT NULL DEFAULT 0,
    "invoicedMinor" BIGINT NOT NULL DEFAULT 0,
    "openMinor" BIGINT NOT NULL DEFAULT 0,
    "closedAt" DATETIME,
    "closedBy" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("teamId", "commitmentId")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Spend" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "campaign" TEXT NOT NULL DEFAULT '',
    "vendor" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "commitmentId" TEXT,
    "enteredBy" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Spend" ("amountMinor", "campaign", "category", "createdAt", "date", "id", "idempotencyKey", "source", "status", "teamId", "updatedAt", "vendor") SELECT "amountMinor", "campaign", "category", "createdAt", "date", "id", "idempotencyKey", "source", "status", "teamId", "updatedAt", "vendor" FROM "Spend";
DROP TABLE "Spend";
ALTER TABLE "new_Spend" RENAME TO "Spend";
CREATE UNIQUE INDEX "Spend_teamId_idempotencyKey_key" ON "Spend"("teamId", "idempotencyKey");
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
    "spendEntry" TEXT NOT NULL DEFAULT 'owners',
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Workspace" ("alertRules", "alertsChannelId", "createdAt", "currency", "digestChangedAt", "digestChannelId", "digestDay", "digestEnabled", "digestTime", "digestTimezone", "fiscalStartMonth", "teamId", "timezone", "updatedAt") SELECT "alertRules", "alertsChannelId", "createdAt", "currency", "digestChangedAt", "digestChannelId", "digestDay", "digestEnabled", "digestTime", "digestTimezone", "fiscalStartMonth", "teamId", "timezone", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Commitment_teamId_date_idx" ON "Commitment"("teamId", "date");
