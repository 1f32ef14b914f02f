import { floorIndex } from "./floor-index";

/** Ranges kept before the set gives up and starts again (random reads over a huge segment). */
const MAX_RANGES = 256;

/**
 * The byte ranges of one segment whose batches are known sound since the broker opened it: checked
 * by a read (CRC-32C and structure), validated by the append that wrote them, or by recovery. A read
 * skips the check there, so a consumer following the log pays for each batch's CRC at most once
 * per broker run. Sorted, disjoint, adjacent ranges merged (sequential reads keep one range).
 */
export class VerifiedRanges {
  private starts: number[] = [];
  private ends: number[] = [];

  /** Number of disjoint ranges (tests). */
  get size(): number {
    return this.starts.length;
  }

  /** True when [from, to) lies inside one known-sound range. */
  covers(from: number, to: number): boolean {
    const i = this.floor(from);
    return i >= 0 && (this.ends[i] as number) >= to;
  }

  /** Records [from, to) as sound, merging with touching or overlapping ranges. */
  add(from: number, to: number): void {
    if (to <= from) return;
    let i = this.floor(from);
    if (i < 0 || (this.ends[i] as number) < from) i++;
    // Ranges i .. j-1 touch or overlap [from, to).
    let j = i;
    let start = from;
    let end = to;
    while (j < this.starts.length && (this.starts[j] as number) <= end) {
      start = Math.min(start, this.starts[j] as number);
      end = Math.max(end, this.ends[j] as number);
      j++;
    }
    if (j - i === 0 && this.starts.length >= MAX_RANGES) {
      this.clear();
      i = 0;
      j = 0;
    }
    this.starts.splice(i, j - i, start);
    this.ends.splice(i, j - i, end);
  }

  /** Forgets everything. */
  clear(): void {
    this.starts = [];
    this.ends = [];
  }

  /** Index of the last range starting at or before `position`, or -1. */
  private floor(position: number): number {
    return floorIndex(this.starts, this.starts.length, position);
  }
}
