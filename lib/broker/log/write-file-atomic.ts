import { promises as fsp } from "node:fs";
import * as path from "node:path";

/** fsyncs a directory so that a rename or a created/deleted entry in it survives a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

let counter = 0;

/**
 * Replaces `file` with `data` so that after a crash it holds either the old or the new content:
 * write `<file>.tmp-*` → fsync → rename over `file` → fsync the directory.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  counter = (counter + 1) % 1_000_000;
  const tmp = `${file}.tmp-${process.pid}-${counter}`;
  const fh = await fsp.open(tmp, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(file));
}
