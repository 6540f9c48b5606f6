-- DropIndex
DROP INDEX "AuditEvent_teamId_createdAt_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_teamId_createdAt_id_idx" ON "AuditEvent"("teamId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Spend_teamId_id_idx" ON "Spend"("teamId", "id");
