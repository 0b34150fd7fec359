// Loads uWebSockets.js and refuses to run on its silent pure-JS fallback: under the fallback a Socket.IO
// websocket connection hangs (toolchain-notes §1), so a node without the native binary must not boot.
import uWS from 'uWebSockets.js';

export function assertNativeUws(): typeof uWS {
  if (typeof (uWS as unknown as { getParts?: unknown }).getParts !== 'function') {
    throw new Error(
      'uWebSockets.js native binary did not load (fallback emulation detected); the realtime role needs it. ' +
        'Check the platform/ABI of node_modules/uWebSockets.js/binaries and that UWS_USE_FALLBACK is unset.',
    );
  }
  return uWS;
}

export type { uWS };
