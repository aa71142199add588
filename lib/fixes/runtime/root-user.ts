// root-user: a plan only. The image must work as another user (file ownership, ports below 1024), which only a
// test of the image can show.
import { rootUser } from "../../checks/runtime/root-user";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { containersOf, referenceOf } from "./verdict-resource";

export const ID = "root-user";

/** Ports below this need root (or a capability Fargate does not grant) to listen on. */
const FIRST_UNPRIVILEGED_PORT = 1024;

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const lowPorts = containersOf(snapshot, verdict.resource).flatMap((container) => {
    if (rootUser(container) === undefined) return [];
    const ports = (container.portMappings ?? [])
      .map((mapping) => mapping.containerPort)
      .filter((port): port is number => port !== undefined && port < FIRST_UNPRIVILEGED_PORT);
    return ports.length > 0 ? [`container ${container.name} listens on port ${ports.join(", ")}`] : [];
  });
  return manualChange(
    ID,
    verdict.resource,
    `run the containers of ${verdict.resource} as a non-root user`,
    [
      `found: ${verdict.detail}`,
      "choose a non-root UID:GID (e.g. 1000:1000), best set as USER in the Dockerfile so the image says it " +
        "itself; else as the container's `user`",
      "the files the app writes (and its runtime's caches) must be owned by or writable for that user: chown them " +
        "in the image, or put them on a volume",
      ...lowPorts.map(
        (found) =>
          `${found}: a non-root process cannot listen below port ${FIRST_UNPRIVILEGED_PORT} — move the app to a ` +
          "higher port (e.g. 8080), and change the port mapping, the target group's port and health check and the " +
          "task security group's rule with it",
      ),
      "test the image as that user (`docker run --user 1000:1000`) before registering a revision and deploying it",
    ],
    referenceOf(snapshot, verdict.resource),
  );
}

export const fix: Fix = { id: ID, plan, writes: [] };
