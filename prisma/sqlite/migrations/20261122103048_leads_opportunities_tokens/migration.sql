-- CreateTable
CREATE TABLE "Lead" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdDate" TEXT NOT NULL,
    "mqlDate" TEXT,
    "sqlDate" TEXT,
    "category" TEXT NOT NULL,
    "campaign" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Opportunity" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MappingRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "secretHash" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Lead_teamId_createdDate_idx" ON "Lead"("teamId", "createdDate");

-- CreateIndex
CREATE UNIQUE INDEX "Lead_teamId_externalId_key" ON "Lead"("teamId", "externalId");

-- CreateIndex
CREATE INDEX "Opportunity_teamId_createdDate_idx" ON "Opportunity"("teamId", "createdDate");

-- CreateIndex
CREATE UNIQUE INDEX "Opportunity_teamId_externalId_key" ON "Opportunity"("teamId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "MappingRule_teamId_position_key" ON "MappingRule"("teamId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_secretHash_key" ON "ApiToken"("secretHash");

-- CreateIndex
CREATE INDEX "ApiToken_teamId_idx" ON "ApiToken"("teamId");
