// Service worker: keeps every file of the page so that it opens and verifies without a network
// once loaded. The build writes the file list and a version made from the files' contents. The
// municipality's own files (config.json and the signed lists) are fetched from the network first
// so that a republished list reaches phones that are online, and kept for when they are not.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const DATA = ['config.json', 'trust_list.cbor', 'status_list.cbor'];
const CACHE = `verify-${VERSION}`;
const DATA_CACHE = 'verify-data';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      await (await caches.open(CACHE)).addAll(FILES);
      const data = await caches.open(DATA_CACHE);
      // Each one alone: a page published without a status list still installs.
      await Promise.all(
        DATA.map((f) =>
          fetch(f, { cache: 'no-cache' })
            .then((r) => (r.ok ? data.put(f, r) : null))
            .catch(() => null),
        ),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith('verify-') && k !== CACHE && k !== DATA_CACHE)
            .map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

const isData = (url) => DATA.some((f) => url.pathname.endsWith(`/${f}`));

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (isData(url)) {
    // The network first (a newer list), else the copy kept.
    const name = url.pathname.split('/').pop();
    event.respondWith(
      caches.open(DATA_CACHE).then(async (cache) => {
        try {
          const r = await fetch(event.request, { cache: 'no-cache' });
          if (r.ok) await cache.put(name, r.clone());
          return r;
        } catch {
          return (await cache.match(name)) || Response.error();
        }
      }),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const hit = await cache.match(event.request, { ignoreSearch: true });
      if (hit) return hit;
      if (event.request.mode === 'navigate') {
        const page = await cache.match('./');
        if (page) return page;
      }
      return fetch(event.request);
    }),
  );
});
