CREATE TABLE "key_rotations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_key_rotations" PRIMARY KEY,
    "NewKeyId" TEXT NOT NULL,
    "Requested" TEXT NOT NULL,
    "RevokeOldKeys" INTEGER NOT NULL,
    "Pass" INTEGER NOT NULL,
    "RewrittenThisPass" INTEGER NOT NULL,
    "RewrittenTotal" INTEGER NOT NULL,
    "Unreadable" INTEGER NOT NULL,
    "LeaseOwner" TEXT NULL,
    "LeaseExpires" TEXT NULL,
    "Completed" TEXT NULL,
    "Outcome" TEXT NULL
);

CREATE TABLE "key_rotation_cursors" (
    "RotationId" TEXT NOT NULL,
    "TableName" TEXT NOT NULL,
    "After" TEXT NULL,
    "Done" INTEGER NOT NULL,
    CONSTRAINT "PK_key_rotation_cursors" PRIMARY KEY ("RotationId", "TableName"),
    CONSTRAINT "FK_key_rotation_cursors_key_rotations_RotationId" FOREIGN KEY ("RotationId") REFERENCES "key_rotations" ("Id") ON DELETE CASCADE
);
