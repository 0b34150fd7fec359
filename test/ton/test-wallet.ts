// A real wallet for proofs: a @ton/ton WalletContractV4 with its own key pair and state init, signing the TON
// Connect message laid out here from the spec (independently of the server's code, so a wrong layout fails).
import { randomBytes } from 'node:crypto';
import { beginCell, storeStateInit, type Address } from '@ton/core';
import { keyPairFromSeed, sha256_sync, sign, type KeyPair } from '@ton/crypto';
import { WalletContractV4 } from '@ton/ton';

export interface TestWallet {
  keys: KeyPair;
  address: Address;
  raw: string;
  stateInit: string;
  publicKeyHex: string;
}

export function newWallet(): TestWallet {
  const keys = keyPairFromSeed(randomBytes(32));
  const wallet = WalletContractV4.create({ workchain: 0, publicKey: keys.publicKey });
  const stateInit = beginCell().store(storeStateInit(wallet.init)).endCell().toBoc().toString('base64');
  return {
    keys,
    address: wallet.address,
    raw: wallet.address.toRawString(),
    stateInit,
    publicKeyHex: keys.publicKey.toString('hex'),
  };
}

export function signProof(
  wallet: { keys: KeyPair; address: Address },
  fields: { domain: string; timestamp: number; payload: string },
) {
  const domain = Buffer.from(fields.domain);
  const head = Buffer.alloc(4 + 32 + 4);
  head.writeInt32BE(wallet.address.workChain, 0);
  wallet.address.hash.copy(head, 4);
  head.writeUInt32LE(domain.length, 36);
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64LE(BigInt(fields.timestamp));
  const message = Buffer.concat([
    Buffer.from('ton-proof-item-v2/'),
    head,
    domain,
    ts,
    Buffer.from(fields.payload),
  ]);
  const digest = sha256_sync(
    Buffer.concat([Buffer.from('ffff', 'hex'), Buffer.from('ton-connect'), sha256_sync(message)]),
  );
  return {
    timestamp: fields.timestamp,
    domain: { lengthBytes: domain.length, value: fields.domain },
    signature: sign(digest, wallet.keys.secretKey).toString('base64'),
    payload: fields.payload,
  };
}
