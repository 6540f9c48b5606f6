-- CreateTable
CREATE TABLE "Installation" (
    "installKey" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT,
    "teamName" TEXT NOT NULL DEFAULT '',
    "enterpriseId" TEXT,
    "enterpriseName" TEXT NOT NULL DEFAULT '',
    "isEnterpriseInstall" BOOLEAN NOT NULL DEFAULT false,
    "appId" TEXT,
    "botId" TEXT,
    "botUserId" TEXT NOT NULL,
    "botScopes" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "keyId" TEXT,
    "botTokenSealed" TEXT,
    "refreshTokenSealed" TEXT,
    "botTokenExpiresAt" DATETIME,
    "installerUserId" TEXT,
    "status" TEXT NOT NULL,
    "deactivatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OrgWorkspace" (
    "teamId" TEXT NOT NULL PRIMARY KEY,
    "enterpriseId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Installation_teamId_idx" ON "Installation"("teamId");

-- CreateIndex
CREATE INDEX "Installation_enterpriseId_idx" ON "Installation"("enterpriseId");

-- CreateIndex
CREATE INDEX "OrgWorkspace_enterpriseId_idx" ON "OrgWorkspace"("enterpriseId");
