// How the command line names files it wrote.
import { isAbsolute, relative, resolve } from "node:path";

/** A path as a person would type it here: relative below the working directory, else absolute. */
export function displayPath(path: string): string {
  const relativePath = relative(process.cwd(), path);
  return relativePath === "" || relativePath.startsWith("..") || isAbsolute(relativePath)
    ? resolve(path)
    : relativePath;
}
