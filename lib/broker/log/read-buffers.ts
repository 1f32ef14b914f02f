/**
 * Most bytes a read takes before the batch it is after: PartitionLog reads from the offset index
 * entry before a fetch offset in one trip, so its reads are up to this much larger than asked.
 */
export const READ_SLACK_BYTES = 64 * 1024;

/**
 * Sizes of the pooled buffers: a fetch's index walk (16 KiB) up to one partition's 1 MiB read, and
 * that read with the slack of a read from an index entry (else those reads would miss the pool).
 */
const SIZE_CLASSES = [
  16 * 1024,
  64 * 1024,
  256 * 1024,
  1024 * 1024,
  1024 * 1024 + READ_SLACK_BYTES,
] as const;

/** Free buffers kept for reuse by default, over all size classes. */
export const DEFAULT_RETAINED_BYTES = 32 * 1024 * 1024;

/**
 * Reusable buffers for the read path. Without them every Fetch allocates fresh memory for what it
 * reads (up to 1 MiB per partition), which the kernel must map and zero and the garbage collector
 * must find and free: under a fast consumer that was a sixth of the broker's CPU. Reads made
 * through a {@link ReadScope} take pooled buffers; the scope's owner gives them all back at once
 * when nothing refers to what was read any more (for Fetch: once the response is on the socket).
 *
 * A buffer that is never given back is simply garbage collected, so forgetting a release costs
 * only the reuse; giving one back too early would hand its bytes to the next read, so a buffer is
 * accepted back only from the scope holding it, once (see {@link ReadBufferPool.give}).
 */
export class ReadBufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private retained = 0;
  /** Buffers taken and not given back yet, with the scope holding each. */
  private readonly out = new WeakMap<ArrayBuffer, ReadScope>();
  private reused = 0;

  constructor(private readonly maxRetainedBytes = DEFAULT_RETAINED_BYTES) {}

  /** A new scope whose reads take buffers from this pool. */
  scope(): ReadScope {
    return new ReadScope(this);
  }

  /** Free bytes kept for reuse. */
  get retainedBytes(): number {
    return this.retained;
  }

  /** How many takes were served by a reused buffer (tests, metrics). */
  get reuseCount(): number {
    return this.reused;
  }

  /**
   * A buffer of `length` bytes for `holder`, with its backing store, or a plain buffer (`slab` null)
   * when no size class is large enough.
   */
  take(length: number, holder: ReadScope): { buf: Buffer; slab: ArrayBuffer | null } {
    const size = SIZE_CLASSES.find((c) => c >= length);
    if (size === undefined) return { buf: Buffer.allocUnsafe(length), slab: null };
    let slab = this.free.get(size)?.pop();
    if (slab) {
      this.retained -= size;
      this.reused++;
    } else {
      slab = Buffer.allocUnsafeSlow(size).buffer as ArrayBuffer;
    }
    this.out.set(slab, holder);
    return { buf: Buffer.from(slab, 0, length), slab };
  }

  /**
   * Takes a buffer back for reuse; ignored unless `holder` holds it (a second give, or a stale one
   * after the buffer went to another scope, changes nothing).
   */
  give(slab: ArrayBuffer, holder: ReadScope): void {
    if (this.out.get(slab) !== holder) return;
    this.out.delete(slab);
    const size = slab.byteLength;
    if (this.retained + size > this.maxRetainedBytes) return;
    let list = this.free.get(size);
    if (list === undefined) {
      list = [];
      this.free.set(size, list);
    }
    list.push(slab);
    this.retained += size;
  }
}

/**
 * The buffers one operation read into (see {@link ReadBufferPool}). {@link release} gives them all
 * back; call it only when nothing refers to the bytes read through the scope any more.
 */
export class ReadScope {
  private slabs: ArrayBuffer[] = [];
  private released = false;

  constructor(private readonly pool: ReadBufferPool) {}

  /** A buffer of `length` bytes to read into, owned by this scope. */
  alloc(length: number): Buffer {
    const { buf, slab } = this.pool.take(length, this);
    // After release the scope stops lending: a late read gets memory of its own.
    if (slab !== null && !this.released) this.slabs.push(slab);
    return buf;
  }

  /** Gives every buffer of the scope back to the pool; later calls do nothing. */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const s of this.slabs) this.pool.give(s, this);
    this.slabs = [];
  }
}
