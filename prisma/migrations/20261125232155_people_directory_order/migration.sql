-- CreateIndex
CREATE INDEX "User_name_id_idx" ON "User"("name", "id");
