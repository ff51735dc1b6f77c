import pino, { type Logger } from "pino";
import type { Config } from "./config";

/** Structured JSON logs. Authorization headers and e-mail addresses are redacted wherever they appear. */
export function createLogger(config: Pick<Config, "logLevel">, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: "courant" },
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
    destination as pino.DestinationStream,
  );
}
