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
  })
  .partial()
  .strict();

/** What the `security` section may contain. */
export type SecuritySettings = z.infer<typeof SecuritySettingsSchema>;
