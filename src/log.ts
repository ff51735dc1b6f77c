import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import type { Config } from "./config";
import { traceFields } from "./tracing";

/**
 * Structured JSON logs, or readable ones (pino-pretty, in this thread: no worker) for a person at
 * a terminal. Authorization headers and e-mail addresses are redacted wherever they appear. While
 * tracing, each line carries the trace and span ids beside the request id.
 */
export function createLogger(
  config: Pick<Config, "logLevel"> & Partial<Pick<Config, "logFormat">>,
  destination?: pino.DestinationStream,
): Logger {
  const stream =
    destination ??
    (config.logFormat === "pretty"
      ? pretty({
          sync: true,
          singleLine: true,
          colorize: process.stdout.isTTY === true,
          translateTime: "SYS:HH:MM:ss",
          ignore: "pid,hostname,service",
        })
      : bufferedStdout());
  return pino(
    {
      level: config.logLevel,
      base: { service: "courant" },
      mixin: traceFields,
      redact: {
        paths: [
          "req.headers.authorization",
          "headers.authorization",
          "email",
          "*.email",
          "variables.email",
          "*.apiKey",
        ],
        censor: "[redacted]",
      },
    },
    stream as pino.DestinationStream,
  );
}

/** How long a log line may wait in the buffer before it is written. */
const LOG_FLUSH_MS = 200;

let stdout: pino.DestinationStream | undefined;

/**
 * JSON lines to stdout, written in batches of about 4 kB rather than one write per line (#16): a
 * write per request is a system call per request. A line waits at most LOG_FLUSH_MS, and whatever
 * is buffered is written before the process exits, however it exits. One buffer per process,
 * whatever number of loggers write to it (one fd, one timer, one exit hook).
 */
function bufferedStdout(): pino.DestinationStream {
  return (stdout ??= openBufferedStdout());
}

function openBufferedStdout(): pino.DestinationStream {
  const out = pino.destination({ dest: 1, sync: true, minLength: 4096 });
  let pending = false;
  const flush = () => {
    if (!pending) return;
    pending = false;
    try {
      // flush(), not flushSync(): in sync mode it writes at once, and it does not fsync.
      out.flush();
    } catch {
      // stdout is gone (a closed pipe): nothing to write to.
    }
  };
  setInterval(flush, LOG_FLUSH_MS).unref();
  process.on("exit", flush);
  return {
    write(line: string) {
      pending = true;
      out.write(line);
    },
  };
}

/**
 * The logger of command-line work (migrate, seed, import): warnings and errors only, on stderr,
 * so that stdout keeps what the command prints for scripts.
 */
export function commandLogger(): Logger {
  return createLogger({ logLevel: "warn" }, pino.destination(2));
}
