/**
 * Index of the last of the first `count` values of `sorted` (ascending) that is <= `value`, or -1:
 * the binary search behind index lookups (offset index, verified byte ranges).
 */
export function floorIndex(sorted: ArrayLike<number>, count: number, value: number): number {
  let lo = 0;
  let hi = count - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
