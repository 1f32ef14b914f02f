import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The release tooling for real: commit-and-tag-version with the project's .versionrc.json in a scratch
// git repository, and the publish workflow's own step that cuts a version's CHANGELOG.md section.

const root = path.resolve(__dirname, "..", "..");
const bin = path.join(root, "node_modules", ".bin", "commit-and-tag-version");
const repo = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-release-"));
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8" });
}

function commit(message: string): void {
  fs.writeFileSync(path.join(repo, `${message.length}-${Date.now()}`), message);
  git("add", "-A");
  git("commit", "-q", "-m", message);
}

function release(...args: string[]): void {
  execFileSync(bin, args, { cwd: repo, encoding: "utf8", stdio: "pipe" });
}

/** The workflow's step that writes a version's release notes, run for `tag`. */
function releaseNotes(tag: string): string {
  const workflow = fs.readFileSync(path.join(root, ".github", "workflows", "release.yml"), "utf8");
  const line = workflow.split("\n").find((l) => l.trim().startsWith("awk "));
  if (line === undefined) throw new Error("no awk step in release.yml");
  return execFileSync("bash", ["-c", line.trim().replace(/ > release-notes\.md$/, "")], {
    cwd: repo,
    env: { ...process.env, GITHUB_REF_NAME: tag },
    encoding: "utf8",
  });
}

describe("releases from conventional commits", () => {
  it("bumps, writes CHANGELOG.md sections, tags; the workflow cuts each version's notes", () => {
    git("init", "-q");
    git("config", "user.email", "release@sluice.test");
    git("config", "user.name", "release test");
    git("config", "commit.gpgsign", "false");
    fs.copyFileSync(path.join(root, ".versionrc.json"), path.join(repo, ".versionrc.json"));
    fs.writeFileSync(path.join(repo, "package.json"), '{ "name": "sluice", "version": "0.0.0" }\n');
    commit("chore: scaffold");
    commit("feat(aws): Apache Kafka across three zones");
    commit("test: more cases");
    release("--release-as", "0.1.0");
    commit("fix(plan): exit 3 when Terraform disagrees");
    commit("perf(broker): fewer copies on fetch");
    release();
    expect(JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")).version).toBe(
      "0.1.1",
    );
    expect(git("tag").trim().split("\n")).toEqual(["v0.1.0", "v0.1.1"]);
    const changelog = fs.readFileSync(path.join(repo, "CHANGELOG.md"), "utf8");
    expect(changelog.startsWith("# Changelog\n\nAll notable changes to this package")).toBe(true);
    expect(changelog).not.toContain("more cases");
    const first = releaseNotes("v0.1.0");
    expect(first).toContain("### Features");
    expect(first).toContain("**aws:** Apache Kafka across three zones");
    expect(first).not.toContain("exit 3");
    const second = releaseNotes("v0.1.1");
    expect(second).toContain("### Bug Fixes");
    expect(second).toContain("**plan:** exit 3 when Terraform disagrees");
    expect(second).toContain("### Performance");
    expect(second).not.toContain("Apache Kafka");
    expect(releaseNotes("v9.9.9")).toBe("");
  });
});
