import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../../lib/broker/log/group-commit";

function controlledSync(): { gc: GroupCommit; finish: () => void; calls: () => number } {
  let calls = 0;
  const pending: Array<() => void> = [];
  const gc = new GroupCommit(() => {
    calls++;
    return new Promise<void>((r) => pending.push(r));
  });
  return { gc, finish: () => pending.shift()?.(), calls: () => calls };
}

describe("GroupCommit", () => {
  it("starts a sync immediately when idle", async () => {
    const { gc, finish, calls } = controlledSync();
    const p = gc.request();
    expect(calls()).toBe(1);
    finish();
    await p;
  });

  it("makes all requests that arrive during a sync share exactly one next sync", async () => {
    const { gc, finish, calls } = controlledSync();
    const first = gc.request();
    const later = Array.from({ length: 10 }, () => gc.request());
    expect(calls()).toBe(1);
    let laterDone = false;
    void Promise.all(later).then(() => {
      laterDone = true;
    });
    finish();
    await first;
    await new Promise((r) => setImmediate(r));
    // Those requests may have written after the first sync began: they wait for a second one.
    expect(laterDone).toBe(false);
    expect(calls()).toBe(2);
    finish();
    await Promise.all(later);
    expect(calls()).toBe(2);
  });

  it("propagates a failed sync to its waiters", async () => {
    const gc = new GroupCommit(() => Promise.reject(new Error("EIO")));
    await expect(gc.request()).rejects.toThrow("EIO");
  });
});
