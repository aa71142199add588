// STS: who the operator is. The journal records it, so a scenario sets it; otherwise a plain IAM user answers.
import type { ServiceDefinition } from "../service";
import type { SandboxState } from "../state";

export interface CallerIdentity {
  Account: string;
  Arn: string;
  UserId: string;
}

export interface StsState {
  /** Unset: the account's `user/new-owner`. */
  callerIdentity?: CallerIdentity;
}

export function emptyStsState(): StsState {
  return {};
}

const DEFAULT_USER_ID = "AIDASANDBOXNEWOWNER01";

export function defaultCallerIdentity(account: string): CallerIdentity {
  return { Account: account, Arn: `arn:aws:iam::${account}:user/new-owner`, UserId: DEFAULT_USER_ID };
}

/** Sets who GetCallerIdentity answers; the account is read from the ARN. */
export function setCallerIdentity(state: SandboxState, identity: { arn: string; userId?: string }): void {
  const account = /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(identity.arn)?.[1] ?? state.account;
  state.sts.callerIdentity = { Account: account, Arn: identity.arn, UserId: identity.userId ?? DEFAULT_USER_ID };
}

export const stsService: ServiceDefinition = {
  signingName: "sts",
  protocol: "awsQuery",
  handlers: {
    GetCallerIdentity: (_input, { state }) => ({
      ...(state.sts.callerIdentity ?? defaultCallerIdentity(state.account)),
    }),
  },
};
