-- CreateTable
CREATE TABLE "Installation" (
    "installKey" TEXT NOT NULL,
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
    "botTokenExpiresAt" TIMESTAMP(3),
    "installerUserId" TEXT,
    "status" TEXT NOT NULL,
    "deactivatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Installation_pkey" PRIMARY KEY ("installKey")
);

-- CreateTable
CREATE TABLE "OrgWorkspace" (
    "teamId" TEXT NOT NULL,
    "enterpriseId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrgWorkspace_pkey" PRIMARY KEY ("teamId")
);

-- CreateIndex
CREATE INDEX "Installation_teamId_idx" ON "Installation"("teamId");

-- CreateIndex
CREATE INDEX "Installation_enterpriseId_idx" ON "Installation"("enterpriseId");

-- CreateIndex
CREATE INDEX "OrgWorkspace_enterpriseId_idx" ON "OrgWorkspace"("enterpriseId");
