import { promises as fsp } from "node:fs";
import { DamagedStateFileError, parseStateFile } from "./damaged-state-file-error";
import { readFileIfExists } from "./fs-io";
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
 * The first write also writes `.prev` (the same content), so a file written once — `broker.json`,
 * a partition's `partition.json` — can be restored too.
 */
export async function writeStateFile(file: string, data: string): Promise<void> {
  const previous = `${file}${PREVIOUS_COPY}`;
  const staged = `${previous}.tmp-${process.pid}`;
  await fsp.rm(staged, { force: true });
  let first = false;
  try {
    try {
      await fsp.link(file, staged);
    } catch (e) {
      // Some file systems (SMB, some FUSE mounts) have no hard links: copy instead.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw e;
      await fsp.copyFile(file, staged);
    }
    await fsp.rename(staged, previous);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    first = true;
  }
  await writeFileAtomic(file, data);
  if (first) await writeFileAtomic(previous, data);
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
  /**
   * What a start from the previous copy uses and writes back, when that is not the previous copy as
   * is (e.g. a counter that must move past what the damaged file may have handed out).
   */
  readonly fromPrevious?: (previous: T) => { readonly value: T; readonly text: string };
}

/** A checked state document: its value, or what is wrong with it. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

/** A state file's text, or null when it does not exist. */
async function readText(file: string): Promise<string | null> {
  return (await readFileIfExists(file))?.toString("utf8") ?? null;
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
  const restored = kind.fromPrevious?.(prevValue.value) ?? {
    value: prevValue.value,
    text: prevText,
  };
  if (text !== null) await fsp.rename(file, `${file}${DAMAGED_COPY}`);
  await writeFileAtomic(file, restored.text);
  kind.onWarning?.(
    `${file} is damaged (${problem}); started from its previous copy ${previous}` +
      `${text === null ? "" : ` (the damaged file is kept as ${file}${DAMAGED_COPY})`}: ${kind.previousCopyCaveat}`,
  );
  return { value: restored.value, fromPreviousCopy: true };
}

/** The condition of one copy of a state file. */
export type CopyCondition = "ok" | "missing" | { readonly damaged: string };

/** What {@link inspectStateFile} found, without changing anything. */
export interface StateFileInspection<T> {
  /** The file's value when it is good. */
  readonly value?: T;
  readonly file: CopyCondition;
  readonly previous: CopyCondition;
  /** Whether a start (or `verify --repair`) can go on from the previous copy. */
  readonly restorable: boolean;
}

/** Checks a state file and its previous copy as {@link readStateFile} would, read-only (`verify`). */
export async function inspectStateFile<T>(
  file: string,
  kind: StateFileKind<T>,
): Promise<StateFileInspection<T>> {
  const condition = async (f: string): Promise<{ condition: CopyCondition; value?: T }> => {
    const text = await readText(f);
    if (text === null) return { condition: "missing" };
    const checked = check(f, text, kind);
    return checked.ok
      ? { condition: "ok", value: checked.value }
      : { condition: { damaged: checked.problem } };
  };
  const [current, previous] = await Promise.all([
    condition(file),
    condition(`${file}${PREVIOUS_COPY}`),
  ]);
  return {
    value: current.value,
    file: current.condition,
    previous: previous.condition,
    restorable: current.condition !== "ok" && previous.condition === "ok",
  };
}
