import type { IConstruct } from "constructs";

const METADATA_KEY = "sluice:suppressions";

/** One suppressed rule, with the reason a reviewer reads. */
export interface PolicySuppression {
  /** Rule id, e.g. `Sluice.PublicListener`. */
  readonly ruleId: string;
  /** Why the finding is acceptable here (required: a suppression without a reason is refused). */
  readonly reason: string;
}

/** A suppression was added without a usable reason. */
export class PolicySuppressionError extends Error {
  /** The error class name, for `instanceof`-free checks and logs. */
  override readonly name = "PolicySuppressionError";
}

/**
 * Explicit, reasoned suppressions of Sluice's policy checks (cdk-nag's model): a rule suppressed on a
 * construct is suppressed for it and everything below it.
 */
export class PolicySuppressions {
  /** The suppressions of a construct. */
  static of(scope: IConstruct): PolicySuppressions {
    return new PolicySuppressions(scope);
  }

  private constructor(private readonly scope: IConstruct) {}

  /** Suppresses `ruleId` on this construct and its children. */
  add(ruleId: string, reason: string): void {
    if (reason.trim().length < 10) {
      throw new PolicySuppressionError(
        `${this.scope.node.path}: suppressing ${ruleId} needs a reason of at least 10 characters, saying why the finding is acceptable`,
      );
    }
    this.scope.node.addMetadata(METADATA_KEY, { ruleId, reason } satisfies PolicySuppression);
  }

  /** Whether `ruleId` is suppressed on this construct or one of its ancestors. */
  isSuppressed(ruleId: string): boolean {
    return this.scope.node.scopes.some((s) =>
      s.node.metadata.some(
        (m) => m.type === METADATA_KEY && (m.data as PolicySuppression).ruleId === ruleId,
      ),
    );
  }
}
