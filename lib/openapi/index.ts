export { buildOpenApiDocument, getOpenApiDocument, OPENAPI_VERSION, type TOpenApiDocument, type TOperation, type TParameter, type TJsonSchema } from "./document";
export { ROUTES, TAGS, EXAMPLE_IDS, findRoute, type TRouteSpec, type THttpMethod, type TTag } from "./routes";
