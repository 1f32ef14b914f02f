/**
 * An integer environment variable of an app, or undefined when unset or empty.
 * @throws Error naming the variable when it is set to something else than an integer.
 */
export function integerFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`${name}=${raw} is not an integer`);
  return n;
}
