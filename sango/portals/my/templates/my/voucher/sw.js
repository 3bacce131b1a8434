{% autoescape off %}/* マイページ's service worker (sango.portals.my.views.voucher): keeps the voucher pages she
   opened, and what they load, in Cache Storage on her device, and serves them when there is no
   connection. Every other request goes to the network as usual. */
"use strict";
const CACHE = "{{ cache }}";
const ASSETS = {{ assets_json }};
const VOUCHER = /^{{ scope_pattern }}vouchers\/\d+\/$/;

const START = "{{ start }}";

function lastVoucher() {
  return caches.open(CACHE).then((cache) => cache.keys().then((keys) => {
    const pages = keys.filter((key) => VOUCHER.test(new URL(key.url).pathname));
    return pages.length ? cache.match(pages[pages.length - 1]) : Response.error();
  }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  const old = caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key.startsWith("my-vouchers-") && key !== CACHE).map((key) => caches.delete(key))
  ));
  event.waitUntil(old.then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (event.request.mode === "navigate" && url.pathname === START) {
    // マイページ opened from the home screen with no connection: her voucher, as last kept.
    event.respondWith(fetch(event.request).catch(() => lastVoucher()));
    return;
  }
  const page = VOUCHER.test(url.pathname);
  if (!page && !ASSETS.includes(url.pathname)) return;
  // The network first, so that what remains is always today's; the copy kept only when offline.
  event.respondWith(
    fetch(event.request).then((response) => {
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
      }
      return response;
    }).catch(() => caches.open(CACHE).then((cache) => cache.match(url.pathname)).then(
      (kept) => kept || Response.error()
    ))
  );
});
{% endautoescape %}
