CREATE TABLE key_rotations (
    "Id" uuid NOT NULL,
    "NewKeyId" uuid NOT NULL,
    "Requested" timestamp with time zone NOT NULL,
    "RevokeOldKeys" boolean NOT NULL,
    "Pass" integer NOT NULL,
    "RewrittenThisPass" bigint NOT NULL,
    "RewrittenTotal" bigint NOT NULL,
    "Unreadable" bigint NOT NULL,
    "LeaseOwner" character varying(200),
    "LeaseExpires" timestamp with time zone,
    "Completed" timestamp with time zone,
    "Outcome" character varying(2000),
    CONSTRAINT "PK_key_rotations" PRIMARY KEY ("Id")
);

CREATE TABLE key_rotation_cursors (
    "RotationId" uuid NOT NULL,
    "TableName" character varying(64) NOT NULL,
    "After" character varying(200),
    "Done" boolean NOT NULL,
    CONSTRAINT "PK_key_rotation_cursors" PRIMARY KEY ("RotationId", "TableName"),
    CONSTRAINT "FK_key_rotation_cursors_key_rotations_RotationId" FOREIGN KEY ("RotationId") REFERENCES key_rotations ("Id") ON DELETE CASCADE
);
