import { z } from "zod";
import { tenantSchema } from "../../manifest/schema";

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
     * at startup — also the ones `sluice apply` stored since. The manifest's tenant schema.
     */
    tenants: z.array(tenantSchema),
  })
  .partial()
  .strict();

/** What the `security` section may contain. */
export type SecuritySettings = z.infer<typeof SecuritySettingsSchema>;
