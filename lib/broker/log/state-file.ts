import { promises as fsp } from "node:fs";
import { DamagedStateFileError, parseStateFile } from "./damaged-state-file-error";
import { writeFileAtomic } from "./write-file-atomic";

/** Suffix of the previous good copy of a state file. */
export const PREVIOUS_COPY = ".prev";
/** Suffix a damaged state file is moved to when its previous copy replaces it. */
export const DAMAGED_COPY = ".damaged";

/**
 * Replaces a JSON state file atomically and keeps what it held as `<file>.prev`. At every instant
 * `file` holds the old or the new content (never nothing), and `.prev` the one before or the old:
 * the current file is hard-linked to a temporary name, renamed over `.prev`, then the new content
 * is written to a temporary file, fsynced and renamed over `file` (see {@link writeFileAtomic}).
 */
export async function writeStateFile(file: string, data: string): Promise<void> {
  const staged = `${file}${PREVIOUS_COPY}.tmp-${process.pid}`;
  await fsp.rm(staged, { force: true });
  try {
    try {
      await fsp.link(file, staged);
    } catch (e) {
      // Some file systems (SMB, some FUSE mounts) have no hard links: copy instead.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw e;
      await fsp.copyFile(file, staged);
    }
    await fsp.rename(staged, `${file}${PREVIOUS_COPY}`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  await writeFileAtomic(file, data);
}

/** How to read one kind of state file. */
export interface StateFileKind<T> {
  /** Checks a parsed document: the value, or what is wrong with it. */
  readonly parse: (doc: unknown) => Checked<T>;
  /** What the operator can do when neither copy is usable. */
  readonly remedy: string;
  /** What a start from the previous copy may get wrong (in the warning and docs/log-engine.md). */
  readonly previousCopyCaveat: string;
  readonly onWarning?: (message: string) => void;
}

/** A checked state document: its value, or what is wrong with it. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

async function readText(file: string): Promise<string | null> {
  try {
    return await fsp.readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/** The value of `text`, or what is wrong with it. */
function check<T>(file: string, text: string, kind: StateFileKind<T>): Checked<T> {
  try {
    return kind.parse(parseStateFile(file, text, kind.remedy));
  } catch (e) {
    if (e instanceof DamagedStateFileError) return { ok: false, problem: e.detail };
    throw e;
  }
}

/** A `safeParse` result (zod's shape) as a {@link Checked} value, with `problem` when it failed. */
export function checkedBy<T>(
  result: { success: true; data: T } | { success: false },
  problem: string,
): Checked<T> {
  return result.success ? { ok: true, value: result.data } : { ok: false, problem };
}

/** What {@link readStateFile} found. */
export interface StateFileRead<T> {
  readonly value: T;
  /** The file was damaged (or gone) and this is its previous copy's value. */
  readonly fromPreviousCopy: boolean;
}

/**
 * Reads a state file written by {@link writeStateFile}: its value, or undefined when neither it nor
 * its previous copy exists (a new data directory). When the file is damaged (or gone while its
 * previous copy is there) and the previous copy is good, the start goes on from that copy: the
 * damaged file is kept as `<file>.damaged`, the previous copy becomes the file again, and a warning
 * says so and what may be out of date. When both are unusable, {@link DamagedStateFileError} names
 * the file, what is wrong and what to do.
 */
export async function readStateFile<T>(
  file: string,
  kind: StateFileKind<T>,
): Promise<StateFileRead<T> | undefined> {
  const text = await readText(file);
  let problem = "missing";
  if (text !== null) {
    const checked = check(file, text, kind);
    if (checked.ok) return { value: checked.value, fromPreviousCopy: false };
    problem = checked.problem;
  }
  const previous = `${file}${PREVIOUS_COPY}`;
  const prevText = await readText(previous);
  if (prevText === null) {
    if (text === null) return undefined;
    throw new DamagedStateFileError(file, problem, `${kind.remedy} (there is no ${previous})`);
  }
  const prevValue = check(previous, prevText, kind);
  if (!prevValue.ok) {
    throw new DamagedStateFileError(
      file,
      `${problem}; its previous copy ${previous} is damaged too (${prevValue.problem})`,
      kind.remedy,
    );
  }
  if (text !== null) await fsp.rename(file, `${file}${DAMAGED_COPY}`);
  await writeFileAtomic(file, prevText);
  kind.onWarning?.(
    `${file} is damaged (${problem}); started from its previous copy ${previous}` +
      `${text === null ? "" : ` (the damaged file is kept as ${file}${DAMAGED_COPY})`}: ${kind.previousCopyCaveat}`,
  );
  return { value: prevValue.value, fromPreviousCopy: true };
}
