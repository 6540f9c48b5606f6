-- AlterTable
ALTER TABLE "ApiToken" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "AuditEvent" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "BudgetLine" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Lead" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "MappingRule" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Opportunity" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "SlackPost" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Spend" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Survey" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Target" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Workspace" ALTER COLUMN "createdAt" DROP DEFAULT,
ALTER COLUMN "digestChangedAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "WorkspaceAdmin" ALTER COLUMN "createdAt" DROP DEFAULT;
