// One apply or rollback at a time per installation: a lock file beside the journal, holding the owner's pid. A lock
// left by a process that died (killed mid-apply) is taken over; a live one makes the second apply refuse.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { FailureError } from "../errors";

export async function withApplyLock<T>(journal: string, work: () => Promise<T>): Promise<T> {
  const path = `${journal}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  take(path);
  try {
    return await work();
  } finally {
    rmSync(path, { force: true });
  }
}

function take(path: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new FailureError(`another apply is running (pid ${owner}): wait for it, then plan again`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new FailureError(`cannot take the apply lock ${path}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
