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
      : // JSON lines to stdout without blocking on each: a line is queued and written as soon as
        // the last write finished, so under load many lines go in one write (#16). What is queued
        // is written out synchronously when the process exits, however it exits.
        pino.destination({ dest: 1, sync: false }));
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

/**
 * The logger of command-line work (migrate, seed, import): warnings and errors only, on stderr,
 * so that stdout keeps what the command prints for scripts.
 */
export function commandLogger(): Logger {
  return createLogger({ logLevel: "warn" }, pino.destination(2));
}
