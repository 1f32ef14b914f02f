/**
 * Whether this Node can run @platformatic/kafka 1.35, whose engines are
 * ">= 20.19.4 || >= 22.18.0 || >= 24.6.0". Sluice itself supports Node >= 20.9, so on older 20.x/22.x
 * the @platformatic/kafka suites are skipped (with this reason in their title) instead of failing
 * inside the client; every other client suite still runs there.
 */
export function platformaticSupported(version = process.versions.node): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
  if (major >= 25 || major === 23) return major >= 25;
  if (major === 24) return minor >= 6;
  if (major === 22) return minor >= 18;
  return major === 20 && (minor > 19 || (minor === 19 && patch >= 4));
}

/** Title suffix explaining a skip. */
export function platformaticSkipNote(version = process.versions.node): string {
  return platformaticSupported(version)
    ? ""
    : ` — skipped: @platformatic/kafka needs Node >= 20.19.4 / 22.18 / 24.6; this is ${version}`;
}
