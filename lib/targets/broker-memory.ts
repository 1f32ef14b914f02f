/**
 * How a broker's memory is divided (docs/broker.md, "Memory bounds"): half for the Node.js heap, a
 * quarter for requests held at once (`queued.max.request.bytes`), and the rest for what lives
 * outside both — Fetch responses (one per fetching connection, at most `fetch.max.bytes`), unsent
 * response bytes, file reads and the runtime itself.
 */
export interface BrokerMemorySizing {
  /** `--max-old-space-size` of the broker's Node.js, in MiB. */
  readonly heapMiB: number;
  /** `--queued-max-request-bytes` of the broker. */
  readonly queuedMaxRequestBytes: number;
}

/** The sizing for a broker given `memoryMiB` (the container's limit, or the VM's broker share). */
export function brokerMemorySizing(memoryMiB: number): BrokerMemorySizing {
  return {
    heapMiB: Math.floor(memoryMiB / 2),
    queuedMaxRequestBytes: Math.floor(memoryMiB / 4) * 1024 * 1024,
  };
}
