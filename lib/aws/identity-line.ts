// The first thing a runbook says: where its AWS calls go and as whom — the sandbox or a real account, the region,
// and the caller STS names — so nobody triages, or changes, the wrong account by mistake.
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { Aws } from "./client";
import { classifyEnvironmentError, errorCode, oneLine } from "./known";

export interface IdentityOptions {
  /** The profile the clients were made with (`createAws({ profile })`); default AWS_PROFILE. */
  readonly profile?: string;
  /** The endpoint the clients were made with; default AWS_ENDPOINT_URL. */
  readonly endpoint?: string;
  /** Where AWS_ENDPOINT_URL, AWS_PROFILE and ECS_TAKEOVER_SANDBOX (set by `--sandbox`) are read; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Identity {
  /** "the sandbox account (scenario incident)", "AWS (profile prod)", "the endpoint http://localhost:4566". */
  readonly target: string;
  readonly region: string;
  readonly account: string;
  readonly arn: string;
}

/** Who we are and where (STS GetCallerIdentity); a failure says what is wrong with the credentials or endpoint. */
export async function identity(aws: Aws, options: IdentityOptions = {}): Promise<Identity> {
  const env = options.env ?? process.env;
  let caller: { Account?: string; Arn?: string };
  try {
    caller = await aws.sts.send(new GetCallerIdentityCommand({}));
  } catch (error) {
    const reason =
      classifyEnvironmentError(error)?.message ??
      `${errorCode(error)}: ${oneLine(error instanceof Error ? error.message : String(error))}`;
    throw new Error(`cannot tell who we are (sts:GetCallerIdentity): ${reason}`);
  }
  return {
    target: connectionTarget(options, env),
    region: await aws.region(),
    account: caller.Account ?? "",
    arn: caller.Arn ?? "",
  };
}

/** "Talking to the sandbox account (scenario incident), region ap-northeast-1, as arn:… (account 123456789012).". */
export async function identityLine(aws: Aws, options: IdentityOptions = {}): Promise<string> {
  const who = await identity(aws, options);
  return `Talking to ${who.target}, region ${who.region}, as ${who.arn} (account ${who.account}).`;
}

/** Where the calls go, from the options and the environment the clients were made with. */
export function connectionTarget(
  options: Pick<IdentityOptions, "profile" | "endpoint">,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const endpoint = options.endpoint || env.AWS_ENDPOINT_URL;
  const scenario = env.ECS_TAKEOVER_SANDBOX;
  // Not its address: an embedded sandbox listens on a free port that changes every run, and a runbook executed twice
  // must print the same bytes (runbooks/). `ecs-takeover notebook` and `sandbox` print the address.
  if (scenario && endpoint) return `the sandbox account (scenario ${scenario})`;
  if (endpoint) return `the endpoint ${endpoint}`;
  const profile = options.profile || env.AWS_PROFILE;
  return profile ? `AWS (profile ${profile})` : "AWS";
}
