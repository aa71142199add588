// Notebook cells import lib through tslab, which resolves a relative import as `<path>.js` among the files it
// compiled — never a folder's index. A folder import works under Node and vitest but breaks every notebook cell that
// reaches it (it happened: "Cannot find module '../aws'"), so lib imports name files.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect, test } from "vitest";
import { projectRoot } from "../../lib/project";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};
const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

test("lib never imports a folder (tslab cannot resolve its index)", () => {
  const folderImports: string[] = [];
  for (const file of sources(join(projectRoot, "lib"))) {
    for (const match of readFileSync(file, "utf8").matchAll(/from "(\.[^"]*)"/g)) {
      const target = resolve(dirname(file), match[1] as string);
      if (isDirectory(target) && !isFile(`${target}.ts`))
        folderImports.push(`${relative(projectRoot, file)}: ${match[1]}`);
    }
  }
  expect(folderImports).toEqual([]);
});
