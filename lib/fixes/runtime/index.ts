// The runtime fixes: the platform version, and plans for what the owner must decide or test first (privileges,
// filesystem, user, namespaces, tags).
import type { Fix } from "../fix";
import { fix as hostNetwork } from "./host-network";
import { fix as hostPid } from "./host-pid";
import { fix as platformOutdated } from "./platform-outdated";
import { fix as privileged } from "./privileged";
import { fix as rootUser } from "./root-user";
import { fix as rootfsWritable } from "./rootfs-writable";
import { fix as untagged } from "./untagged";

export const RUNTIME_FIXES: readonly Fix[] = [
  privileged,
  rootfsWritable,
  rootUser,
  hostPid,
  hostNetwork,
  platformOutdated,
  untagged,
];
