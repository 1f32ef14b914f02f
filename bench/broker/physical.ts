/**
 * The machine's physical limits, measured in the same run as the brokers: raw file-write
 * bandwidth with the sync cadences that matter (sequential 1 MiB writes + one fdatasync; 16 KiB
 * writes with an fdatasync each, the shape of one fsync-per-ack produce batch) and one TCP
 * stream over loopback between two Node.js processes.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { fdatasync, pwriteAll } from "../../lib/broker/log/fs-io";
import { track } from "./proc";

const MiB = 2 ** 20;

/** Raw write bandwidth in MiB/s: `count` writes of `size` bytes, fdatasync after each or once. */
export async function rawWriteMBps(
  dir: string,
  size: number,
  count: number,
  syncEach: boolean,
): Promise<number> {
  const file = path.join(dir, `raw-${size}-${syncEach}.bin`);
  const fd = fs.openSync(file, "w");
  const buf = randomBytes(size);
  try {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      await pwriteAll(fd, buf, i * size);
      if (syncEach) await fdatasync(fd);
    }
    if (!syncEach) await fdatasync(fd);
    const s = (performance.now() - t0) / 1000;
    return (size * count) / MiB / s;
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}

const SINK = `
const net = require("node:net");
const want = Number(process.argv[1]);
const srv = net.createServer((s) => {
  let got = 0;
  s.on("data", (d) => { got += d.length; if (got >= want) { s.end("k"); srv.close(); } });
});
srv.listen(0, "127.0.0.1", () => process.stdout.write(String(srv.address().port) + "\\n"));
`;

/** One TCP stream over loopback, Node.js to Node.js (separate processes): MiB/s. */
export async function loopbackMBps(totalBytes: number): Promise<number> {
  const child = track(
    spawn(process.execPath, ["-e", SINK, String(totalBytes)], {
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
      child.once("exit", () => reject(new Error("loopback sink exited")));
    });
    const buf = randomBytes(MiB);
    return await new Promise<number>((resolve, reject) => {
      const s = net.connect({ host: "127.0.0.1", port }, () => {
        const t0 = performance.now();
        let sent = 0;
        const pump = () => {
          while (sent < totalBytes) {
            sent += buf.length;
            if (!s.write(buf)) {
              s.once("drain", pump);
              return;
            }
          }
        };
        s.once("data", () => {
          const secs = (performance.now() - t0) / 1000;
          s.destroy();
          resolve(totalBytes / MiB / secs);
        });
        pump();
      });
      s.once("error", reject);
    });
  } finally {
    child.kill("SIGKILL");
  }
}
