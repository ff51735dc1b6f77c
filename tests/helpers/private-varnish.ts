export { PrivateVarnish } from "../../bench/varnish";
