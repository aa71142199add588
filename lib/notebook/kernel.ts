// A tslab kernel driven over ZeroMQ with no Jupyter installation: start, execute, interrupt, shut down.
//
// tslab's quirks (../shared/reference/tslab.md, appendix) shape this client: the first requests after start-up can
// be dropped, so kernel_info is resent until both the shell and iopub answer; an execute_reply can come before the
// cell's last output, so a cell is done on reply *and* idle; only a signal interrupts, and a signal sent while a
// cell is still compiling is lost, so interrupts are repeated and then escalated.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zmq from "zeromq";
import { decode, encode, type Message, newMessage } from "./wire";

export interface KernelOptions {
  /** The repository root: the kernelspec is read from `jupyter/kernels/tslab` below it. */
  root: string;
  /** The kernel's whole environment. */
  env: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

export interface ExecuteOptions {
  timeoutMs: number;
  /** Every iopub message of this request but its status messages, including late ones after it finished. */
  onMessage: (message: Message) => void;
}

export type ExecuteOutcome =
  | { status: "ok" | "error"; executionCount: number | null }
  | { status: "timeout"; kernelAlive: boolean }
  | { status: "died" };

/** The kernel could not be started or stopped answering. */
export class KernelError extends Error {
  override name = "KernelError";
}

const KERNEL_NAME = "tslab";
const REPLY_GRACE_MS = 5000;
const IDLE_GRACE_MS = 2000;
const ABORT_RETRY_MS = 250;

export class Kernel {
  private readonly session = randomUUID();
  private readonly key = randomBytes(32).toString("hex");
  private readonly shell = new zmq.Dealer();
  private readonly control = new zmq.Dealer();
  private readonly iopub = new zmq.Subscriber({ receiveHighWaterMark: 0 }); // never drop a cell's output
  private readonly replyListeners = new Map<string, (message: Message) => void>();
  private readonly iopubListeners = new Map<string, (message: Message) => void>();
  private readonly exitListeners = new Set<() => void>();
  private sendQueue: Promise<unknown> = Promise.resolve();
  private output = "";
  private process: ChildProcess | undefined;
  private exited = false;
  private closed = false;

  private constructor(private readonly directory: string) {}

  /** Starts the kernel and returns once it answers on both shell and iopub. */
  static async start(options: KernelOptions): Promise<Kernel> {
    const kernel = new Kernel(mkdtempSync(join(tmpdir(), "ecs-takeover-kernel-")));
    try {
      await kernel.boot(options);
      return kernel;
    } catch (error) {
      kernel.kill();
      throw error;
    }
  }

  /** The last few kilobytes the kernel process wrote to stdout and stderr (start-up errors land there). */
  get processOutput(): string {
    return this.output;
  }

  get alive(): boolean {
    return !this.exited;
  }

  async execute(code: string, options: ExecuteOptions): Promise<ExecuteOutcome> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.executeOnce(code, options);
      // tslab aborts requests that arrive within 200 ms of an error; sending again is safe, the code never ran.
      if (outcome !== "abort") return outcome;
      if (attempt === 3) return { status: "error", executionCount: null };
      await sleep(ABORT_RETRY_MS);
    }
  }

  /** Asks the kernel to exit, then makes sure it has; always removes the connection file. */
  async shutdown(): Promise<void> {
    if (!this.exited) {
      await this.send(this.control, newMessage(this.session, "shutdown_request", { restart: false })).catch(() => {});
      // A live setInterval keeps tslab running after its shutdown_reply: escalate when it lingers.
      if (!(await this.waitForExit(2000))) this.signal("SIGTERM");
      if (!(await this.waitForExit(1000))) this.kill();
    }
    this.close();
  }

  /** Kills the kernel at once, synchronously (safe in signal and exit handlers). */
  kill(): void {
    const pid = this.process?.pid;
    if (pid !== undefined && !this.exited) {
      try {
        process.kill(-pid, "SIGKILL"); // the watchdog leads a process group that holds the kernel
      } catch {
        // already gone
      }
    }
    this.close();
  }

  private async boot(options: KernelOptions): Promise<void> {
    const argv = kernelArgv(options.root, this.writeConnectionFile(await freePorts(5)));
    const watchdog = join(__dirname, "watchdog.cjs");
    const child = spawn(process.execPath, [watchdog, ...argv], {
      cwd: options.root,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    this.process = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString("utf8")).slice(-8192);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.on("exit", () => {
      this.exited = true;
      for (const listener of this.exitListeners) listener();
    });
    process.once("exit", () => this.kill());

    const connection = JSON.parse(readFileSync(join(this.directory, "connection.json"), "utf8"));
    this.shell.connect(`tcp://127.0.0.1:${connection.shell_port}`);
    this.control.connect(`tcp://127.0.0.1:${connection.control_port}`);
    this.iopub.connect(`tcp://127.0.0.1:${connection.iopub_port}`);
    this.iopub.subscribe(); // tslab's topic is the shell socket's routing id: take everything
    void this.receive(this.shell, (message) =>
      this.replyListeners.get(String(message.parent_header.msg_id))?.(message),
    );
    void this.receive(this.control, () => {});
    void this.receive(this.iopub, (message) =>
      this.iopubListeners.get(String(message.parent_header.msg_id))?.(message),
    );
    await this.handshake(options.startTimeoutMs ?? 60_000);
  }

  /** Resends kernel_info until the shell replies and iopub has delivered a status message (iopub joins late). */
  private async handshake(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let replied = false;
    let iopubSeen = false;
    while (!(replied && iopubSeen)) {
      if (this.exited) throw new KernelError(`the kernel exited while starting${describeOutput(this.output)}`);
      if (Date.now() > deadline) {
        throw new KernelError(`the kernel did not answer within ${timeoutMs / 1000} s${describeOutput(this.output)}`);
      }
      const request = newMessage(this.session, "kernel_info_request", {});
      const id = request.header.msg_id;
      const answered = new Promise<void>((resolve) => {
        this.replyListeners.set(id, () => {
          replied = true;
          resolve();
        });
        this.iopubListeners.set(id, () => {
          iopubSeen = true;
        });
      });
      await this.send(this.shell, request);
      await Promise.race([answered, sleep(1000)]);
      if (replied && !iopubSeen) await sleep(200);
      this.replyListeners.delete(id);
      this.iopubListeners.delete(id);
    }
  }

  private executeOnce(code: string, options: ExecuteOptions): Promise<ExecuteOutcome | "abort"> {
    const request = newMessage(this.session, "execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    const id = request.header.msg_id;
    return new Promise((resolve) => {
      let reply: Message | undefined;
      let idle = false;
      let interrupting = false;
      const timers: NodeJS.Timeout[] = [];
      const finish = (outcome: ExecuteOutcome | "abort") => {
        for (const timer of timers) clearTimeout(timer);
        this.replyListeners.delete(id);
        this.exitListeners.delete(onExit);
        resolve(outcome);
      };
      const settle = () => {
        if (reply === undefined) return;
        const status = reply.content.status;
        if (status === "abort") return finish("abort");
        if (interrupting) return finish({ status: "timeout", kernelAlive: true });
        const executionCount = typeof reply.content.execution_count === "number" ? reply.content.execution_count : null;
        finish({ status: status === "ok" ? "ok" : "error", executionCount });
      };
      const onExit = () => finish(interrupting ? { status: "timeout", kernelAlive: false } : { status: "died" });
      this.exitListeners.add(onExit);
      this.replyListeners.set(id, (message) => {
        reply = message;
        if (idle) settle();
        else timers.push(setTimeout(settle, IDLE_GRACE_MS));
      });
      // Kept after the cell finishes: late output (a timer firing after idle) still belongs to this cell.
      this.iopubListeners.set(id, (message) => {
        if (message.header.msg_type !== "status") return options.onMessage(message);
        if (message.content.execution_state !== "idle") return;
        idle = true;
        if (reply !== undefined) settle();
        else timers.push(setTimeout(() => finish({ status: "error", executionCount: null }), REPLY_GRACE_MS));
      });
      timers.push(
        setTimeout(() => {
          interrupting = true;
          void this.interrupt(() => reply !== undefined || this.exited);
        }, options.timeoutMs),
      );
      this.send(this.shell, request).catch(() => finish({ status: "died" }));
    });
  }

  /** SIGINT, again (one sent while a cell compiles is lost), then SIGTERM and SIGKILL. */
  private async interrupt(answered: () => boolean): Promise<void> {
    for (const [signal, waitMs] of [
      ["SIGINT", 1000],
      ["SIGINT", 2000],
      ["SIGTERM", 1000],
    ] as const) {
      if (answered()) return;
      this.signal(signal);
      await this.waitFor(answered, waitMs);
    }
    if (!answered()) this.kill();
  }

  private signal(signal: NodeJS.Signals): void {
    if (!this.exited) this.process?.kill(signal); // the watchdog passes it on to the kernel
  }

  private waitForExit(timeoutMs: number): Promise<boolean> {
    return this.waitFor(() => this.exited, timeoutMs);
  }

  private async waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!condition() && Date.now() < deadline) await sleep(20);
    return condition();
  }

  /** zeromq allows one send at a time per socket. */
  private send(socket: zmq.Dealer, message: Message): Promise<void> {
    const sent = this.sendQueue.then(() => socket.send(encode(message, this.key)));
    this.sendQueue = sent.catch(() => {});
    return sent;
  }

  private async receive(socket: zmq.Dealer | zmq.Subscriber, deliver: (message: Message) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        const message = decode(frames, this.key);
        if (message !== undefined) deliver(message);
      }
    } catch {
      // the socket was closed
    }
  }

  private writeConnectionFile(ports: number[]): string {
    const [shell, iopub, stdin, control, hb] = ports;
    const path = join(this.directory, "connection.json");
    const connection = {
      transport: "tcp",
      ip: "127.0.0.1",
      shell_port: shell,
      iopub_port: iopub,
      stdin_port: stdin,
      control_port: control,
      hb_port: hb,
      key: this.key,
      signature_scheme: "hmac-sha256",
      kernel_name: KERNEL_NAME,
    };
    writeFileSync(path, JSON.stringify(connection), { mode: 0o600 });
    return path;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.process?.stdin?.end();
    for (const socket of [this.shell, this.control, this.iopub]) {
      socket.linger = 0; // unsent requests to a dead kernel must not keep this process alive
      socket.close();
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** The kernelspec's argv with its placeholders filled in: the runner starts exactly what Jupyter would. */
export function kernelArgv(root: string, connectionFile: string): string[] {
  const resourceDir = join(root, "jupyter", "kernels", KERNEL_NAME);
  const spec = JSON.parse(readFileSync(join(resourceDir, "kernel.json"), "utf8")) as { argv: string[] };
  return spec.argv.map((arg) =>
    arg.replaceAll("{resource_dir}", resourceDir).replaceAll("{connection_file}", connectionFile),
  );
}

async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve, reject) => {
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            resolve(typeof address === "object" && address !== null ? address.port : 0);
          });
        }),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function describeOutput(output: string): string {
  const text = output.trim();
  return text === "" ? "" : `: ${text.split("\n").slice(-3).join(" | ")}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
