// A local TonAPI speaking the real shapes: /v2/accounts/{id}, /publickey, /jettons, /v2/jettons/{id}.
// Balances are written as bare JSON numbers (as TonAPI does), so big ones exceed 2^53 on the wire.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Address } from '@ton/core';

export interface FakeJetton {
  master: string;
  symbol: string;
  decimals: number;
  image?: string;
}

export class FakeTonApi {
  readonly publicKeys = new Map<string, string>();
  readonly balances = new Map<string, bigint>();
  readonly jettonBalances = new Map<string, Array<{ master: string; balance: bigint }>>();
  readonly jettons = new Map<string, FakeJetton>();
  down = false;
  requests: string[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      this.requests.push(path);
      const send = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      };
      if (this.down) return send(500, '{"error":"internal"}');
      const m = /^\/v2\/(accounts|jettons)\/([^/]+)(?:\/(publickey|jettons))?$/.exec(path);
      const raw = m?.[2] ? Address.parse(m[2]).toRawString() : '';
      if (m?.[1] === 'accounts' && m[3] === 'publickey') {
        const key = this.publicKeys.get(raw);
        return key
          ? send(200, JSON.stringify({ public_key: key }))
          : send(404, '{"error":"account not found"}');
      }
      if (m?.[1] === 'accounts' && m[3] === 'jettons') {
        const items = (this.jettonBalances.get(raw) ?? []).map((b) => {
          const j = this.jettons.get(b.master);
          return `{"balance":"${b.balance}","wallet_address":{"address":"0:${'1'.repeat(64)}","is_scam":false,"is_wallet":false},"jetton":{"address":"${b.master}","name":"${j?.symbol ?? ''}","symbol":"${j?.symbol ?? ''}","decimals":${j?.decimals ?? 9},"image":"${j?.image ?? ''}","verification":"whitelist"}}`;
        });
        return send(200, `{"balances":[${items.join(',')}]}`);
      }
      if (m?.[1] === 'accounts' && !m[3]) {
        const balance = this.balances.get(raw);
        return balance === undefined
          ? send(404, '{"error":"entity not found"}')
          : send(
              200,
              `{"address":"${raw}","balance":${balance},"status":"active","interfaces":["wallet_v4r2"]}`,
            );
      }
      if (m?.[1] === 'jettons' && !m[3]) {
        const j = this.jettons.get(raw);
        return j
          ? send(
              200,
              JSON.stringify({
                mintable: true,
                total_supply: '1000000000000000000000000000',
                metadata: {
                  address: raw,
                  name: j.symbol,
                  symbol: j.symbol,
                  decimals: String(j.decimals),
                  image: j.image,
                },
                preview: j.image,
                verification: 'whitelist',
                holders_count: 10,
              }),
            )
          : send(404, '{"error":"jetton not found"}');
      }
      send(404, '{"error":"no route"}');
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
