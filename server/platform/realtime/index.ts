// Public surface of the realtime plumbing.
export {
  startRealtimeServer,
  MAX_SOCKET_PAYLOAD_BYTES,
  type RealtimeIo,
  type RealtimeServer,
} from './realtime-server.ts';
export { createAdapter, type AdapterHandle } from './adapter.ts';
export { RedisPath, type DeliveryMode, type DeliveryPath, type RedisPathOptions } from './redis-path.ts';
export { SocketAdmission, type SocketAdmissionOptions } from './socket-admission.ts';
export { assertNativeUws } from './uws.ts';
export { attachRouter, commandRouter, setCommandGate, type CommandGate } from './socket-command.ts';
