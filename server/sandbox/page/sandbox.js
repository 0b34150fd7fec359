// The sandbox page. It talks only to the public surface: /api/v1 with X-Telegram-Init-Data, the public proof
// route, the overlay page (a real Socket.IO viewer) and the verify page. /sandbox/api/sign is the one
// sandbox-only call: it stands in for Telegram handing init-data to a Mini App.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { info: null, initData: null, user: null, giveaway: null, joiners: null, nextJoiner: 0 };

  async function call(path, init = {}) {
    const headers = { 'content-type': 'application/json' };
    if (init.initData) headers['x-telegram-init-data'] = init.initData;
    const res = await fetch(path, {
      method: init.method || 'GET',
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      const err = new Error((body && (body.message || body.error)) || `HTTP ${res.status}`);
      err.status = res.status;
      err.retryAfter = Number(res.headers.get('retry-after')) || 1;
      throw err;
    }
    return body;
  }

  const sign = (users) =>
    call('/sandbox/api/sign', { method: 'POST', json: { users } }).then((b) => b.init_data);

  async function boot() {
    state.info = await call('/sandbox/api/info');
    for (const u of state.info.demo_users) {
      const option = document.createElement('option');
      option.value = String(u.id);
      option.textContent = `${u.first_name} (@${u.username}, id ${u.id})`;
      $('user').append(option);
    }
    document.body.dataset.ready = 'true';
  }

  $('sign-in').addEventListener('click', async () => {
    const user = state.info.demo_users.find((u) => String(u.id) === $('user').value);
    const [initData] = await sign([user]);
    const me = await call('/api/v1/users/me', { initData });
    state.initData = initData;
    state.user = user;
    $('who').textContent = `Signed in as @${user.username} (id ${me.id ?? user.id}) with real init-data.`;
    $('who').dataset.userId = String(user.id);
    $('create').disabled = false;
    showSdk();
  });

  $('create').addEventListener('click', async () => {
    $('create').disabled = true;
    try {
      const g = await call('/api/v1/giveaways', {
        method: 'POST',
        initData: state.initData,
        json: {
          title: $('title').value || 'Sandbox giveaway',
          description: 'Made in the local sandbox',
          duration: Number($('duration').value),
          winners_count: Number($('winners').value),
          prizes: [{ place: 1, title: 'Sandbox stars', description: 'Not real', quantity: 1 }],
          requirements: [],
          sponsors: [],
        },
      });
      state.giveaway = g;
      state.nextJoiner = 0;
      $('created').textContent =
        `Created ${g.id}; entries close at ${new Date(g.ends_at).toLocaleTimeString()}.`;
      $('created').dataset.giveawayId = g.id;
      const overlayUrl = `/overlay/${g.id}?layout=full`;
      $('overlay').src = overlayUrl;
      $('overlay').hidden = false;
      $('overlay-hint').hidden = true;
      $('overlay-link').href = overlayUrl;
      $('overlay-link').hidden = false;
      $('start-joiners').disabled = false;
      showSdk();
      watch(g.id);
    } catch (err) {
      $('created').textContent = `Create failed: ${err.message}`;
      $('create').disabled = false;
    }
  });

  // Simulated joiners: each one a new demo user who signs in and joins through the REST join route.
  $('start-joiners').addEventListener('click', () => {
    stopJoiners();
    const id = state.giveaway.id;
    const rate = Number($('rate').value);
    let pausedUntil = 0;
    const tick = async () => {
      if (Date.now() < pausedUntil) return;
      const n = state.nextJoiner++;
      const userId = state.info.joiner_id_base + n;
      try {
        const [initData] = await sign([{ id: userId, username: `fan${n}`, first_name: `Fan ${n}` }]);
        const r = await call(`/api/v1/giveaways/${id}/join`, { method: 'POST', initData });
        bump(r && r.status && r.status !== 'joined' && r.status !== 'success' ? 'refused' : 'joined');
      } catch (err) {
        if (err.status === 429) {
          bump('limited');
          pausedUntil = Date.now() + err.retryAfter * 1000;
        } else {
          bump('refused');
          if (err.status === 409 || err.status === 410) stopJoiners();
        }
      }
    };
    state.joiners = setInterval(() => void tick(), 1000 / rate);
    $('stop-joiners').disabled = false;
  });
  $('stop-joiners').addEventListener('click', stopJoiners);

  function stopJoiners() {
    if (state.joiners) clearInterval(state.joiners);
    state.joiners = null;
    $('stop-joiners').disabled = true;
  }

  function bump(which) {
    $(which).textContent = String(Number($(which).textContent) + 1);
  }

  function watch(id) {
    const timer = setInterval(async () => {
      let g;
      try {
        g = await call(`/api/v1/giveaways/${id}`, { initData: state.initData });
      } catch {
        return;
      }
      $('status').textContent = g.status;
      $('count').textContent = String(g.participants_count);
      if (g.status !== 'active' && g.status !== 'scheduled') stopJoiners();
      if (g.status === 'completed' || g.status === 'cancelled') {
        clearInterval(timer);
        await showResult(g);
      }
    }, 1000);
  }

  async function showResult(g) {
    const list = $('winners-list');
    list.replaceChildren(
      ...g.winners.map((w) => {
        const li = document.createElement('li');
        li.textContent = `@${w.username || w.user_id}`;
        li.dataset.userId = String(w.user_id);
        return li;
      }),
    );
    try {
      const proof = await call(`/api/public/giveaways/${g.id}/proof`);
      $('proof').textContent = [
        `protocol ${proof.protocol}`,
        `seed commitment ${proof.seed_commitment}`,
        `server seed ${proof.server_seed}`,
        `entrants root ${proof.entrants_root} (${proof.entrants_count} entrants)`,
        `beacon ${proof.beacon ? `drand round ${proof.beacon.round}` : 'none (commit-reveal)'}`,
      ].join('\n');
    } catch (err) {
      $('proof').textContent = `No proof: ${err.message}`;
    }
    $('verify-link').href = `/verify/${g.id}`;
    $('verify-link').hidden = false;
    document.body.dataset.drawn = 'true';
  }

  function showSdk() {
    const realtime = state.info.realtime_url;
    const id = state.giveaway ? state.giveaway.id : '<giveaway-id>';
    $('sdk').textContent = [
      'cd client-sdk/examples/watch-giveaway',
      `GIVEAWAY_API=${location.origin} GIVEAWAY_REALTIME=${realtime} \\`,
      `GIVEAWAY_INIT_DATA='${state.initData}' \\`,
      `node index.mjs ${id} 120`,
    ].join('\n');
  }

  void boot();
})();
