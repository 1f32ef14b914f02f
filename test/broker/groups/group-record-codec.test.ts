import { describe, expect, it } from "vitest";
import {
  decodeGroupRecord,
  encodeGroupRecord,
} from "../../../lib/broker/groups/group-record-codec";
import type { GroupStoreRecord } from "../../../lib/broker/groups/group-store";

const roundTrip = (r: GroupStoreRecord) => {
  const { key, value } = encodeGroupRecord(r);
  return decodeGroupRecord(key, value);
};

describe("group record codec", () => {
  it("round-trips offsets with leader epoch (v3) and with explicit expiry (v1)", () => {
    const v3: GroupStoreRecord = {
      kind: "offset",
      groupId: "g",
      topic: "t",
      partition: 7,
      value: {
        offset: 2 ** 40,
        leaderEpoch: 4,
        metadata: "mé",
        commitTimestamp: 1,
        expireTimestamp: -1,
      },
    };
    expect(roundTrip(v3)).toEqual(v3);
    const v1: GroupStoreRecord = {
      kind: "offset",
      groupId: "g",
      topic: "t",
      partition: 0,
      value: { offset: 5, leaderEpoch: -1, metadata: "", commitTimestamp: 10, expireTimestamp: 20 },
    };
    expect(roundTrip(v1)).toEqual(v1);
    expect(encodeGroupRecord(v1).value?.readInt16BE(0)).toBe(1);
  });

  it("round-trips group metadata and tombstones", () => {
    const g: GroupStoreRecord = {
      kind: "group",
      groupId: "g",
      value: {
        protocolType: "consumer",
        generationId: 3,
        protocolName: "range",
        leaderId: "m1",
        stateTimestamp: 99,
        members: [
          {
            memberId: "m1",
            groupInstanceId: "i1",
            clientId: "c",
            clientHost: "/1.2.3.4",
            rebalanceTimeoutMs: 30_000,
            sessionTimeoutMs: 10_000,
            subscription: Buffer.from("sub"),
            assignment: Buffer.from("asg"),
          },
        ],
      },
    };
    expect(roundTrip(g)).toEqual(g);
    expect(roundTrip({ kind: "group", groupId: "g", value: null })).toEqual({
      kind: "group",
      groupId: "g",
      value: null,
    });
    const tomb: GroupStoreRecord = {
      kind: "offset",
      groupId: "g",
      topic: "t",
      partition: 1,
      value: null,
    };
    expect(roundTrip(tomb)).toEqual(tomb);
  });

  it("uses distinct keys per group, topic and partition (compaction keeps one record per key)", () => {
    const key = (groupId: string, topic: string, partition: number) =>
      encodeGroupRecord({ kind: "offset", groupId, topic, partition, value: null }).key.toString(
        "hex",
      );
    const keys = new Set([key("g", "t", 0), key("g", "t", 1), key("g", "u", 0), key("h", "t", 0)]);
    expect(keys.size).toBe(4);
  });

  it("skips keys of unknown versions and rejects truncated values", () => {
    expect(decodeGroupRecord(Buffer.from([0, 9, 0, 0]), null)).toBeNull();
    const { key, value } = encodeGroupRecord({
      kind: "offset",
      groupId: "g",
      topic: "t",
      partition: 0,
      value: { offset: 1, leaderEpoch: 0, metadata: "x", commitTimestamp: 0, expireTimestamp: -1 },
    });
    expect(() => decodeGroupRecord(key, value?.subarray(0, 5) ?? null)).toThrow(/truncated/);
  });
});
