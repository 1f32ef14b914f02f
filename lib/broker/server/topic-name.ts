/** Kafka's limit on topic name length (so that "name-partition" fits a 255-byte file name). */
export const MAX_TOPIC_NAME_LENGTH = 249;

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Why `name` is not a legal Kafka topic name, or null when it is. */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return "topic name is empty";
  if (name === "." || name === "..") return `topic name "${name}" is not allowed`;
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `topic name is ${name.length} characters long; the maximum is ${MAX_TOPIC_NAME_LENGTH}`;
  }
  if (!LEGAL.test(name)) {
    return `topic name "${name}" contains characters other than ASCII letters, digits, '.', '_' and '-'`;
  }
  return null;
}

/**
 * Kafka's metric names replace '.' with '_', so two topics whose names differ only there would collide;
 * Kafka refuses the second one. This is the key both names map to.
 */
export function topicCollisionKey(name: string): string {
  return name.replaceAll(".", "_");
}

/** Internal topics (e.g. `__consumer_offsets`) are never auto-created. */
export function isInternalTopicName(name: string): boolean {
  return name.startsWith("__");
}
