import { examples } from "./help";
import fs from "node:fs";
import { Command } from "commander";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { buildCourantSchema } from "../graphql/build-schema";
import { limitRules } from "../graphql/limits";
import { readManifest } from "../documents/trusted-document.manifest";
import { TrustedDocumentService, type StoredProblem } from "../documents/trusted-document.service";

type WithDatabase = (fn: (ds: DataSource) => Promise<void>) => Promise<void>;

const service = (config: Config, ds: DataSource) =>
  new TrustedDocumentService(ds, buildCourantSchema(), limitRules(config.limits));

function reportStored(invalid: StoredProblem[]): void {
  for (const d of invalid) {
    console.error(
      `stored document ${d.documentId} (${d.operationName ?? "anonymous"}) of ${d.clientName} no longer validates: ${d.problems.join("; ")}`,
    );
  }
}

/** `courant documents add|list|remove`: the operations clients registered at build time. */
export function documentsCommand(config: () => Config, withDatabase: WithDatabase): Command {
  const documents = new Command("documents")
    .addHelpText("after", examples("courant documents add manifest.json --client news-ios", "courant documents list"))
    .description(
      "trusted documents: the operations client apps register at build time (TRUSTED_DOCUMENTS=audit|enforce)",
    );

  documents
    .command("add <file>")
    .description(
      "register the operations of a manifest (Apollo's persisted query manifest, or Relay's persisted-queries.json); each must validate against the schema",
    )
    .requiredOption("--client <name>", "the client's name, as its apollographql-client-name header says it")
    .option("--version <version>", "the app version the manifest belongs to")
    .addHelpText(
      "after",
      examples(
        "courant documents add persisted-query-manifest.json --client news-ios --version 5.2.0",
        "courant documents add persisted-queries.json --client website",
      ),
    )
    .action(async (file: string, opts: { client: string; version?: string }) => {
      let json: unknown;
      try {
        json = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch (err) {
        throw new Error(`cannot read ${file}: ${(err as Error).message}`);
      }
      const manifest = readManifest(json);
      const cfg = config();
      await withDatabase(async (ds) => {
        const docs = service(cfg, ds);
        const r = await docs.add(manifest, opts.client, opts.version);
        for (const op of r.rejected) {
          console.error(`rejected ${op.id} (${op.operationName ?? "anonymous"}): ${op.problems.join("; ")}`);
        }
        const invalid = await docs.invalidStored();
        reportStored(invalid);
        console.log(
          `${manifest.format} manifest for ${opts.client}${opts.version ? ` ${opts.version}` : ""}: ${r.added} added, ${r.updated} updated, ${r.unchanged} already known, ${r.rejected.length} rejected`,
        );
        if (r.rejected.length > 0 || invalid.length > 0) process.exitCode = 1;
      });
    });

  documents
    .command("list")
    .description("list trusted documents (client, version, id, operation, and whether it still validates)")
    .option("--client <name>", "only this client's")
    .addHelpText("after", examples("courant documents list", "courant documents list --client news-ios"))
    .action(async (opts: { client?: string }) => {
      const cfg = config();
      await withDatabase(async (ds) => {
        const docs = service(cfg, ds);
        const invalid = new Map((await docs.invalidStored()).map((d) => [`${d.clientName}\n${d.documentId}`, d]));
        for (const d of await docs.list(opts.client)) {
          const problem = invalid.get(`${d.clientName}\n${d.documentId}`);
          console.log(
            [
              d.clientName,
              d.clientVersion ?? "-",
              d.documentId,
              d.operationName ?? "anonymous",
              problem ? `INVALID: ${problem.problems.join("; ")}` : "ok",
            ].join("\t"),
          );
        }
      });
    });

  documents
    .command("remove")
    .description("remove a client's documents: all of them, those a version registered last, or the given ids")
    .requiredOption("--client <name>", "the client's name")
    .option("--version <version>", "only documents this version registered last (not carried into a later one)")
    .option("--id <ids...>", "only these document ids")
    .option("--all", "every document of the client")
    .addHelpText(
      "after",
      examples(
        "courant documents remove --client news-ios --version 5.1.0",
        "courant documents remove --client website --id 5c0a1b2c... --id 9d8e7f6a...",
        "courant documents remove --client website --all",
      ),
    )
    .action(async (opts: { client: string; version?: string; id?: string[]; all?: boolean }) => {
      if (!opts.all && !opts.version && !opts.id?.length) {
        console.error("courant: documents remove needs --version, --id or --all");
        process.exit(2);
      }
      const cfg = config();
      await withDatabase(async (ds) => {
        const n = await service(cfg, ds).remove(opts.client, { version: opts.version, ids: opts.id });
        console.log(`removed ${n} document(s) of ${opts.client}`);
      });
    });

  return documents;
}
