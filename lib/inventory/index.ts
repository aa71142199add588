// lib/inventory: discover(aws, scope) → Snapshot, and saving, loading and comparing snapshots.
export { diffSnapshots, type SnapshotChange } from "./diff";
export {
  type DiscoverOptions,
  type DiscoverProgress,
  DiscoveryEnvironmentError,
  discover,
  discoverAll,
  listClusters,
  UnknownClusterError,
  UnknownServiceError,
  whoAmI,
} from "./discover";
export { detectSecret, redactionKey } from "./secret-detection";
export { loadSnapshot, saveSnapshot } from "./store";
