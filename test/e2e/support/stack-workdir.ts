import * as fs from "node:fs";
import * as path from "node:path";
import { type CommandResult, runCommand } from "./run-command";

/** One resource of `terraform show -json`. */
export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
}

interface StateModule {
  readonly resources?: StateResource[];
  readonly child_modules?: StateModule[];
}

interface ShowJson {
  readonly values?: { readonly root_module?: StateModule };
}

/** The parts of a synthesized cdk.tf.json the suite reads. */
interface SynthesizedConfig {
  readonly resource?: {
    readonly docker_image?: Record<string, { readonly name?: unknown }>;
    readonly docker_container?: Record<
      string,
      {
        readonly name?: unknown;
        readonly mounts?: { readonly type?: string; readonly source?: string }[];
      }
    >;
  };
}

/** The app deployed by the e2e suite does not look as the suite expects. */
/** Long-running containers (brokers) of a state; one-shot jobs (`must_run = false`, e.g. `sluice apply`) excluded. */
export function serviceContainers(resources: readonly StateResource[]): StateResource[] {
  return resources.filter((r) => r.type === "docker_container" && r.values.must_run !== false);
}

export class StackWorkdirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackWorkdirError";
  }
}

const TEN_MINUTES = 600_000;

/**
 * A scratch cdktf project directory that runs a cdktf app of this checkout (by absolute path), so that
 * cdktf.out, Terraform state and lock files never land in the shared checkout. Runs the checkout's own
 * cdktf CLI, tsx and the Terraform binary named by `TERRAFORM_BINARY_NAME`, with no stdin (as CI does).
 */
export class StackWorkdir {
  private readonly cdktfBin: string;
  private readonly terraformBin: string;

  /**
   * @param repoRoot the checkout (its node_modules provide cdktf-cli and tsx)
   * @param dir the scratch directory (created)
   * @param appEntry the app's main file, relative to `repoRoot`
   * @param env extra environment for every command (merged over `process.env`)
   */
  constructor(
    readonly repoRoot: string,
    readonly dir: string,
    readonly appEntry: string,
    private readonly env: Record<string, string>,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.cdktfBin = path.join(repoRoot, "node_modules", ".bin", "cdktf");
    this.terraformBin = process.env.TERRAFORM_BINARY_NAME ?? "terraform";
  }

  /** Writes the scratch cdktf.json; `context` reaches the app through `node.tryGetContext`. */
  writeConfig(context: Record<string, unknown>): void {
    const tsx = path.join(this.repoRoot, "node_modules", ".bin", "tsx");
    const config = {
      language: "typescript",
      // The checkout's dev tsconfig maps `sluice` (the app's import) to the sources.
      app: `${tsx} --tsconfig ${path.join(this.repoRoot, "tsconfig.dev.json")} ${path.join(this.repoRoot, this.appEntry)}`,
      output: "cdktf.out",
      sendCrashReports: "false",
      terraformProviders: [],
      terraformModules: [],
      context,
    };
    fs.writeFileSync(path.join(this.dir, "cdktf.json"), `${JSON.stringify(config, null, 2)}\n`);
  }

  private commandEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      CI: "true",
      CHECKPOINT_DISABLE: "1",
      DISABLE_VERSION_CHECK: "1",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      FORCE_COLOR: "0",
      NO_COLOR: "1",
      ...this.env,
    };
  }

  /** Runs the cdktf CLI in the scratch directory. */
  cdktf(args: readonly string[]): Promise<CommandResult> {
    return runCommand(this.cdktfBin, args, {
      cwd: this.dir,
      env: this.commandEnv(),
      timeoutMs: TEN_MINUTES,
    });
  }

  /** Runs Terraform in the synthesized directory of `stack`. */
  terraform(
    stack: string,
    args: readonly string[],
    okCodes: readonly number[] = [0],
  ): Promise<CommandResult> {
    return runCommand(this.terraformBin, args, {
      cwd: this.stackDir(stack),
      env: this.commandEnv(),
      timeoutMs: TEN_MINUTES,
      okCodes,
    });
  }

  /** The directory cdktf synthesizes `stack` into. */
  stackDir(stack: string): string {
    return path.join(this.dir, "cdktf.out", "stacks", stack);
  }

  /** Synthesizes the app and returns its stack names. */
  async synth(): Promise<string[]> {
    await this.cdktf(["synth"]);
    return this.stackNames();
  }

  /** Stack names of the last synth (from cdktf.out/manifest.json). */
  stackNames(): string[] {
    const manifestPath = path.join(this.dir, "cdktf.out", "manifest.json");
    const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as {
      stacks?: Record<string, unknown>;
    };
    const names = Object.keys(manifest.stacks ?? {});
    if (names.length === 0) throw new StackWorkdirError(`no stacks in ${manifestPath}`);
    return names;
  }

  /** `cdktf deploy --auto-approve` of all stacks; returns the outputs (sensitive ones included). */
  async deploy(): Promise<Record<string, unknown>> {
    const outputsFile = path.join(this.dir, "outputs.json");
    fs.rmSync(outputsFile, { force: true });
    const stacks = await this.synth();
    await this.cdktf([
      "deploy",
      ...stacks,
      "--auto-approve",
      "--skip-synth",
      // cdktf would run `terraform providers lock -platform=linux_amd64`, which ignores the CLI config's
      // filesystem mirror and asks the registry; `terraform init` already wrote the lock file.
      "--skip-provider-lock",
      "--outputs-file",
      outputsFile,
      "--outputs-file-include-sensitive-outputs",
    ]);
    return fs.existsSync(outputsFile)
      ? (JSON.parse(fs.readFileSync(outputsFile, "utf8")) as Record<string, unknown>)
      : {};
  }

  /** `cdktf destroy --auto-approve` of all stacks of the last synth. */
  async destroy(): Promise<void> {
    const stacks = await this.synth();
    await this.cdktf([
      "destroy",
      ...stacks,
      "--auto-approve",
      "--skip-synth",
      "--skip-provider-lock",
    ]);
  }

  /**
   * Synthesizes, then runs `terraform plan -detailed-exitcode` against the deployed state.
   * @returns 0 when the plan is empty, 2 when it has changes (with the plan text)
   */
  async plan(stack: string): Promise<{ code: number; text: string }> {
    await this.synth();
    await this.terraform(stack, ["init", "-input=false", "-no-color"]);
    const result = await this.terraform(
      stack,
      ["plan", "-detailed-exitcode", "-input=false", "-lock=false", "-no-color"],
      [0, 2],
    );
    return { code: result.code, text: result.stdout };
  }

  /**
   * Terraform's own plan of the last synth against the deployed state, as `terraform show -json`
   * prints it, written to `file` (for `sluice plan --terraform-plan`).
   */
  async planJson(stack: string, file: string): Promise<void> {
    await this.terraform(stack, ["init", "-input=false", "-no-color"]);
    await this.terraform(stack, [
      "plan",
      "-input=false",
      "-lock=false",
      "-no-color",
      "-out",
      "plan.tfplan",
    ]);
    const show = await this.terraform(stack, ["show", "-json", "-no-color", "plan.tfplan"]);
    fs.writeFileSync(file, show.stdout);
  }

  /** Names of the containers the synthesized config of `stack` declares (from cdk.tf.json). */
  containerNames(stack: string): string[] {
    return Object.values(this.synthesized(stack).resource?.docker_container ?? {})
      .map((c) => c.name)
      .filter((n): n is string => typeof n === "string");
  }

  /** Names (tags) of the images the synthesized config of `stack` builds. */
  imageNames(stack: string): string[] {
    return Object.values(this.synthesized(stack).resource?.docker_image ?? {})
      .map((i) => i.name)
      .filter((n): n is string => typeof n === "string");
  }

  private synthesized(stack: string): SynthesizedConfig {
    const file = path.join(this.stackDir(stack), "cdk.tf.json");
    return JSON.parse(fs.readFileSync(file, "utf8")) as SynthesizedConfig;
  }

  /**
   * Named Docker volumes the synthesized containers of `stack` mount (from cdk.tf.json), whether or not
   * Terraform manages them as `docker_volume` resources.
   */
  mountedVolumes(stack: string): string[] {
    const file = path.join(this.stackDir(stack), "cdk.tf.json");
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as {
      resource?: {
        docker_container?: Record<string, { mounts?: { type?: string; source?: string }[] }>;
      };
    };
    const names = Object.values(config.resource?.docker_container ?? {}).flatMap((c) =>
      (c.mounts ?? []).filter((m) => m.type === "volume" && m.source).map((m) => String(m.source)),
    );
    return [...new Set(names)];
  }

  /** Resources in the Terraform state of `stack` (empty when nothing is deployed). */
  async resources(stack: string): Promise<StateResource[]> {
    const result = await this.terraform(stack, ["show", "-json", "-no-color"]);
    const show = JSON.parse(result.stdout) as ShowJson;
    const out: StateResource[] = [];
    const walk = (module: StateModule | undefined): void => {
      if (!module) return;
      out.push(...(module.resources ?? []));
      for (const child of module.child_modules ?? []) walk(child);
    };
    walk(show.values?.root_module);
    return out;
  }
}
