// Public surface of the REST edge: the /api/v1, /api/public and /api/docs routers built from the operation table.
export {
  buildApiRouters,
  type ApiRouters,
  type ApiRoutersOptions,
  type CoreOperationId,
} from './build-api-routers.ts';
