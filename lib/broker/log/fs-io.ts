import * as fs from "node:fs";

/** Positional write of the whole buffer (loops on short writes). */
export function pwriteAll(fd: number, buf: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (off: number): void => {
      fs.write(fd, buf, off, buf.length - off, position + off, (err, n) => {
        if (err) return reject(err);
        if (off + n < buf.length) return step(off + n);
        resolve();
      });
    };
    step(0);
  });
}

/** Positional read of up to `length` bytes; resolves to the bytes actually read. */
export function pread(fd: number, length: number, position: number): Promise<Buffer> {
  return preadInto(fd, Buffer.allocUnsafe(length), position);
}

/** Positional read filling `buf` (fewer bytes at the end of the file); resolves to the bytes read. */
export function preadInto(fd: number, buf: Buffer, position: number): Promise<Buffer> {
  const length = buf.length;
  return new Promise((resolve, reject) => {
    const step = (off: number): void => {
      fs.read(fd, buf, off, length - off, position + off, (err, n) => {
        if (err) return reject(err);
        if (n === 0 || off + n >= length)
          return resolve(off + n === length ? buf : buf.subarray(0, off + n));
        step(off + n);
      });
    };
    if (length === 0) resolve(buf);
    else step(0);
  });
}

/** fdatasync (data + size, not timestamps). */
export function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())),
  );
}

/** ftruncate. */
export function ftruncate(fd: number, len: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.ftruncate(fd, len, (err) => (err ? reject(err) : resolve())),
  );
}

/** A whole file's bytes, or undefined when it does not exist (other errors are thrown). */
export async function readFileIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.promises.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}
