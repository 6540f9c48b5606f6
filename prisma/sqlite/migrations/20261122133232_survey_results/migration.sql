-- AlterTable
ALTER TABLE "Survey" ADD COLUMN "resultsTs" TEXT;
