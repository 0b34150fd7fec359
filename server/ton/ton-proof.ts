// The TON Connect ton_proof check, pure: message layout, hashing and ed25519 as the TON Connect spec defines
// them, and the public key of an undeployed wallet read from a state_init whose hash is the address.
import { Cell, contractAddress, loadStateInit, type Address, type StateInit } from '@ton/core';
import { sha256_sync, signVerify } from '@ton/crypto';

export interface TonProofFields {
  timestamp: number;
  domain: { lengthBytes: number; value: string };
  signature: string;
  payload: string;
}

/** sha256(0xffff ‖ "ton-connect" ‖ sha256("ton-proof-item-v2/" ‖ wc ‖ hash ‖ len ‖ domain ‖ ts ‖ payload)). */
export function tonProofDigest(address: Address, proof: Omit<TonProofFields, 'signature'>): Buffer {
  const wc = Buffer.alloc(4);
  wc.writeInt32BE(address.workChain);
  const domain = Buffer.from(proof.domain.value, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(domain.length);
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64LE(BigInt(proof.timestamp));
  const message = Buffer.concat([
    Buffer.from('ton-proof-item-v2/', 'utf8'),
    wc,
    address.hash,
    len,
    domain,
    ts,
    Buffer.from(proof.payload, 'utf8'),
  ]);
  return sha256_sync(
    Buffer.concat([Buffer.from([0xff, 0xff]), Buffer.from('ton-connect', 'utf8'), sha256_sync(message)]),
  );
}

export function verifyTonProofSignature(address: Address, proof: TonProofFields, publicKey: Buffer): boolean {
  const signature = Buffer.from(proof.signature, 'base64');
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  return signVerify(tonProofDigest(address, proof), signature, publicKey);
}

/** The state_init (base64 BoC) if its hash is `address`; null otherwise or when it does not parse. */
export function stateInitFor(address: Address, stateInitBase64: string): StateInit | null {
  try {
    const init = loadStateInit(Cell.fromBase64(stateInitBase64).beginParse());
    return contractAddress(address.workChain, init).equals(address) ? init : null;
  } catch {
    return null;
  }
}

/**
 * Candidate public keys in a wallet's data cell: v3/v4 keep `seqno:32 wallet_id:32 key:256`, v5 keeps
 * `signature_allowed:1 seqno:32 wallet_id:32 key:256`. Only a key that verifies the signature is used, and the
 * data is bound to the address by the state_init hash, so trying both layouts cannot accept a foreign key.
 */
export function publicKeysFromStateInit(init: StateInit): Buffer[] {
  const data = init.data;
  if (!data) return [];
  const keys: Buffer[] = [];
  for (const skip of [64, 65]) {
    try {
      const slice = data.beginParse();
      slice.skip(skip);
      keys.push(slice.loadBuffer(32));
    } catch {
      // Too short for this layout.
    }
  }
  return keys;
}
