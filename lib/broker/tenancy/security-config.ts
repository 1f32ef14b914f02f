import { z } from "zod";

/**
 * The `security` section of the broker's config file (Kafka names in brackets). Listeners named
 * `SASL_PLAINTEXT` require SASL authentication; PLAINTEXT listeners serve `User:ANONYMOUS`.
 */
export const SecuritySettingsSchema = z
  .object({
    /** [sasl.enabled.mechanisms] */
    saslMechanisms: z.array(z.enum(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])).min(1),
    /** [super.users], e.g. `["User:admin"]` */
    superUsers: z.array(z.string().regex(/^[A-Za-z]+:.+$/, "must look like User:name")),
    /** Check ACLs [authorizer.class.name]. Tenant isolation applies regardless. */
    authorizationEnabled: z.boolean(),
    /** [allow.everyone.if.no.acl.found] */
    allowEveryoneIfNoAclFound: z.boolean(),
    /**
     * Users whose SCRAM credentials are created at startup when missing (the first admin of a
     * SASL-only broker). The password comes from an environment variable, never from the file.
     */
    bootstrapUsers: z.array(
      z
        .object({
          user: z.string().min(1),
          passwordEnv: z
            .string()
            .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name"),
          iterations: z.number().int().min(4096).max(16384).optional(),
        })
        .strict(),
    ),
    /**
     * Tenants (principals + topic/group prefixes + limits); when given they replace the stored set
     * at startup. Same shape as a manifest tenant.
     */
    tenants: z.array(
      z
        .object({
          name: z.string().min(1),
          topicPrefix: z.string().min(1),
          groupPrefix: z.string().min(1),
          transactionalIdPrefix: z.string().min(1).optional(),
          principals: z.array(z.string().min(1)),
          limits: z
            .object({
              storageBytes: z.number().int().positive().optional(),
              maxTopics: z.number().int().positive().optional(),
              maxPartitions: z.number().int().positive().optional(),
              maxConnections: z.number().int().positive().optional(),
            })
            .strict()
            .optional(),
        })
        .strict(),
    ),
  })
  .partial()
  .strict();

/** What the `security` section may contain. */
export type SecuritySettings = z.infer<typeof SecuritySettingsSchema>;
