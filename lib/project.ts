// Where this installation of ecs-takeover lives: the kernelspec, the notebooks and node_modules are found from it.
import { resolve } from "node:path";

export const projectRoot = resolve(__dirname, "..");
