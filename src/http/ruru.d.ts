// ruru publishes its entry points through package.json "exports", which this project's
// module resolution (node10, as ts-jest and type-graphql need) does not read: map the one we use here.
declare module "ruru/server" {
  export * from "ruru/dist/server";
}
