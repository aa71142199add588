// lib/aws: clients, concurrency, the service's clock, and how AWS failures become data.
export {
  type Aws,
  type AwsOptions,
  createAws,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  type RequestCounters,
} from "./client";
export {
  classifyEnvironmentError,
  deniedAction,
  type EnvironmentClassification,
  type EnvironmentProblem,
  errorCode,
  isDenial,
  known,
  knownValue,
  unknownFrom,
} from "./known";
export { chunks, createLimit, type Limit } from "./limit";
