// HTTP operations of TON (schema/contract/operations): TON Connect proof, the caller's wallet, standalone
// balance checks and jetton metadata. Inputs arrive parsed by the table's schemas: parse → service → respond.
import type { CheckProofResponse, GeneratePayloadResponse } from '../../schema/contract/ton.ts';
import { principalOf } from '../auth/index.ts';
import { defineHandlers } from '../platform/http/operation-router.ts';
import type { Ton } from './index.ts';

export type TonOperationId =
  | 'generateTonProofPayload'
  | 'checkTonProof'
  | 'unlinkWallet'
  | 'checkHoldTon'
  | 'checkHoldJetton'
  | 'getJettonMetadata';

export function tonHandlers(ton: Ton) {
  return defineHandlers<TonOperationId>()({
    generateTonProofPayload: async (_input, req, res) => {
      const { payload } = await ton.wallets.generatePayload(principalOf(req).userId);
      const body: GeneratePayloadResponse = { ton_proof: { payload } };
      res.json(body);
    },
    checkTonProof: async ({ body }, req, res) => {
      const linked = await ton.wallets.checkProof(principalOf(req).userId, body);
      const answer: CheckProofResponse = { success: true, address: linked.address };
      res.json(answer);
    },
    unlinkWallet: async (_input, req, res) => {
      await ton.wallets.unlink(principalOf(req).userId);
      res.status(204).end();
    },
    checkHoldTon: async ({ body }, req, res) => {
      res.json(await ton.holdChecks.holdTon(principalOf(req).userId, body.ton_min_balance_nano));
    },
    checkHoldJetton: async ({ body }, req, res) => {
      const { jetton_address, jetton_min_amount } = body;
      res.json(await ton.holdChecks.holdJetton(principalOf(req).userId, jetton_address, jetton_min_amount));
    },
    getJettonMetadata: async ({ params }, _req, res) => {
      res.json(await ton.holdChecks.metadata(params.address));
    },
  });
}
