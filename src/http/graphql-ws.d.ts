// graphql-ws publishes its entry points through package "exports", which this project's
// moduleResolution (node10, for CommonJS) does not read for types; Node reads them at run time.
declare module "graphql-ws/use/ws" {
  export * from "graphql-ws/dist/use/ws";
}
