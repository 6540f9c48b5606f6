-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "secretHash" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME
);
INSERT INTO "new_ApiToken" ("createdAt", "createdBy", "id", "label", "lastUsedAt", "revokedAt", "secretHash", "teamId") SELECT "createdAt", "createdBy", "id", "label", "lastUsedAt", "revokedAt", "secretHash", "teamId" FROM "ApiToken";
DROP TABLE "ApiToken";
ALTER TABLE "new_ApiToken" RENAME TO "ApiToken";
CREATE UNIQUE INDEX "ApiToken_secretHash_key" ON "ApiToken"("secretHash");
CREATE INDEX "ApiToken_teamId_idx" ON "ApiToken"("teamId");
CREATE TABLE "new_AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,
    "createdAt" DATETIME NOT NULL
);
INSERT INTO "new_AuditEvent" ("action", "actor", "after", "before", "createdAt", "entity", "entityId", "id", "teamId") SELECT "action", "actor", "after", "before", "createdAt", "entity", "entityId", "id", "teamId" FROM "AuditEvent";
DROP TABLE "AuditEvent";
ALTER TABLE "new_AuditEvent" RENAME TO "AuditEvent";
CREATE INDEX "AuditEvent_teamId_createdAt_idx" ON "AuditEvent"("teamId", "createdAt");
CREATE TABLE "new_BudgetLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "periodStart" TEXT NOT NULL,
    "periodEnd" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "ownerUserId" TEXT,
    "plannedMinor" BIGINT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_BudgetLine" ("category", "createdAt", "id", "ownerUserId", "period", "periodEnd", "periodStart", "plannedMinor", "teamId", "updatedAt") SELECT "category", "createdAt", "id", "ownerUserId", "period", "periodEnd", "periodStart", "plannedMinor", "teamId", "updatedAt" FROM "BudgetLine";
DROP TABLE "BudgetLine";
ALTER TABLE "new_BudgetLine" RENAME TO "BudgetLine";
CREATE INDEX "BudgetLine_teamId_periodStart_periodEnd_idx" ON "BudgetLine"("teamId", "periodStart", "periodEnd");
CREATE UNIQUE INDEX "BudgetLine_teamId_period_category_key" ON "BudgetLine"("teamId", "period", "category");
CREATE TABLE "new_Lead" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdDate" TEXT NOT NULL,
    "mqlDate" TEXT,
    "sqlDate" TEXT,
    "category" TEXT NOT NULL,
    "campaign" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Lead" ("campaign", "category", "createdAt", "createdDate", "externalId", "id", "mqlDate", "source", "sqlDate", "teamId", "updatedAt") SELECT "campaign", "category", "createdAt", "createdDate", "externalId", "id", "mqlDate", "source", "sqlDate", "teamId", "updatedAt" FROM "Lead";
DROP TABLE "Lead";
ALTER TABLE "new_Lead" RENAME TO "Lead";
CREATE INDEX "Lead_teamId_createdDate_idx" ON "Lead"("teamId", "createdDate");
CREATE UNIQUE INDEX "Lead_teamId_externalId_key" ON "Lead"("teamId", "externalId");
CREATE TABLE "new_MappingRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);
INSERT INTO "new_MappingRule" ("category", "createdAt", "createdBy", "id", "kind", "pattern", "position", "teamId") SELECT "category", "createdAt", "createdBy", "id", "kind", "pattern", "position", "teamId" FROM "MappingRule";
DROP TABLE "MappingRule";
ALTER TABLE "new_MappingRule" RENAME TO "MappingRule";
CREATE UNIQUE INDEX "MappingRule_teamId_position_key" ON "MappingRule"("teamId", "position");
CREATE TABLE "new_Opportunity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "createdDate" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "stage" TEXT NOT NULL DEFAULT '',
    "closeDate" TEXT,
    "won" BOOLEAN,
    "category" TEXT NOT NULL,
    "campaign" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Opportunity" ("amountMinor", "campaign", "category", "closeDate", "createdAt", "createdDate", "externalId", "id", "name", "source", "stage", "teamId", "updatedAt", "won") SELECT "amountMinor", "campaign", "category", "closeDate", "createdAt", "createdDate", "externalId", "id", "name", "source", "stage", "teamId", "updatedAt", "won" FROM "Opportunity";
DROP TABLE "Opportunity";
ALTER TABLE "new_Opportunity" RENAME TO "Opportunity";
CREATE INDEX "Opportunity_teamId_createdDate_idx" ON "Opportunity"("teamId", "createdDate");
CREATE UNIQUE INDEX "Opportunity_teamId_externalId_key" ON "Opportunity"("teamId", "externalId");
CREATE TABLE "new_SlackPost" (
    "teamId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("teamId", "key")
);
INSERT INTO "new_SlackPost" ("channel", "createdAt", "key", "status", "teamId", "ts", "updatedAt") SELECT "channel", "createdAt", "key", "status", "teamId", "ts", "updatedAt" FROM "SlackPost";
DROP TABLE "SlackPost";
ALTER TABLE "new_SlackPost" RENAME TO "SlackPost";
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
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Spend" ("amountMinor", "campaign", "category", "createdAt", "date", "id", "idempotencyKey", "source", "status", "teamId", "updatedAt", "vendor") SELECT "amountMinor", "campaign", "category", "createdAt", "date", "id", "idempotencyKey", "source", "status", "teamId", "updatedAt", "vendor" FROM "Spend";
DROP TABLE "Spend";
ALTER TABLE "new_Spend" RENAME TO "Spend";
CREATE UNIQUE INDEX "Spend_teamId_idempotencyKey_key" ON "Spend"("teamId", "idempotencyKey");
CREATE TABLE "new_Survey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "templateId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageTs" TEXT,
    "anonymous" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "opensAt" DATETIME NOT NULL,
    "closesAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL
);
INSERT INTO "new_Survey" ("anonymous", "channelId", "closedAt", "closesAt", "createdAt", "createdBy", "id", "messageTs", "opensAt", "teamId", "templateId") SELECT "anonymous", "channelId", "closedAt", "closesAt", "createdAt", "createdBy", "id", "messageTs", "opensAt", "teamId", "templateId" FROM "Survey";
DROP TABLE "Survey";
ALTER TABLE "new_Survey" RENAME TO "Survey";
CREATE INDEX "Survey_teamId_createdAt_idx" ON "Survey"("teamId", "createdAt");
CREATE TABLE "new_Target" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "value" BIGINT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Target" ("createdAt", "createdBy", "id", "metric", "period", "teamId", "updatedAt", "value") SELECT "createdAt", "createdBy", "id", "metric", "period", "teamId", "updatedAt", "value" FROM "Target";
DROP TABLE "Target";
ALTER TABLE "new_Target" RENAME TO "Target";
CREATE UNIQUE INDEX "Target_teamId_metric_period_key" ON "Target"("teamId", "metric", "period");
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
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Workspace" ("alertRules", "alertsChannelId", "createdAt", "currency", "digestChangedAt", "digestChannelId", "digestDay", "digestEnabled", "digestTime", "digestTimezone", "fiscalStartMonth", "teamId", "timezone", "updatedAt") SELECT "alertRules", "alertsChannelId", "createdAt", "currency", "digestChangedAt", "digestChannelId", "digestDay", "digestEnabled", "digestTime", "digestTimezone", "fiscalStartMonth", "teamId", "timezone", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
CREATE TABLE "new_WorkspaceAdmin" (
    "teamId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("teamId", "userId"),
    CONSTRAINT "WorkspaceAdmin_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Workspace" ("teamId") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_WorkspaceAdmin" ("createdAt", "teamId", "userId") SELECT "createdAt", "teamId", "userId" FROM "WorkspaceAdmin";
DROP TABLE "WorkspaceAdmin";
ALTER TABLE "new_WorkspaceAdmin" RENAME TO "WorkspaceAdmin";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
