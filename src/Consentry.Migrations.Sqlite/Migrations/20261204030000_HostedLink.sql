ALTER TABLE "oauth_flows" ADD "ProtectedHandOff" text NULL;
