import { GroupCoordinator } from "./group-coordinator";

/**
 * The broker's group coordinator, or null when the broker runs without one (the group API handlers
 * then answer COORDINATOR_NOT_AVAILABLE). `BrokerServices.groups` is typed loosely by the server, so
 * the handlers narrow it here with a runtime check instead of a cast.
 */
export function groupCoordinatorOf(services: {
  readonly groups: unknown;
}): GroupCoordinator | null {
  return services.groups instanceof GroupCoordinator ? services.groups : null;
}

/** Kafka shows a member's host as the socket address with a leading slash (`/127.0.0.1`). */
export function memberClientHost(clientHost: string): string {
  return clientHost.startsWith("/") ? clientHost : `/${clientHost}`;
}

/** Converts a wire int64 to a JS number, saturating outside the safe range (offsets stay far below). */
export function int64ToNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (v < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(v);
}
