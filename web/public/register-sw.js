// Registers OKPay's service worker from the server-rendered pages (/help): the web app registers
// it from its own bundle. When a new version is waiting, a bar offers to refresh into it.
(() => {
  if (!('serviceWorker' in navigator)) return;
  var english = (document.documentElement.lang || '').indexOf('en') === 0;
  var text = english ? { ready: 'A new version of OKPay is ready.', refresh: 'Refresh' } : { ready: 'OKPay 有新版本。', refresh: '刷新' };

  function offerRefresh(worker) {
    if (document.getElementById('okpay-update')) return;
    var bar = document.createElement('div');
    bar.id = 'okpay-update';
    bar.setAttribute('role', 'status');
    bar.style.cssText =
      'position:fixed;left:12px;right:12px;bottom:12px;z-index:2147483646;display:flex;gap:12px;align-items:center;justify-content:space-between;' +
      'padding:12px 16px;border-radius:8px;background:#1f1f1f;color:#fff;font:14px/1.5 system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.2)';
    var label = document.createElement('span');
    label.textContent = text.ready;
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = text.refresh;
    button.style.cssText = 'border:0;border-radius:6px;padding:6px 14px;background:#1677ff;color:#fff;font:inherit;cursor:pointer';
    button.addEventListener('click', () => {
      worker.postMessage({ type: 'SKIP_WAITING' });
    });
    bar.appendChild(label);
    bar.appendChild(button);
    document.body.appendChild(bar);
  }

  var reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Only an update the reader chose reloads the page; the very first worker just takes over.
    if (reloading || !document.getElementById('okpay-update')) return;
    reloading = true;
    window.location.reload();
  });

  navigator.serviceWorker.register('/sw.js', { scope: '/' }).then((registration) => {
    if (registration.waiting && navigator.serviceWorker.controller) offerRefresh(registration.waiting);
    registration.addEventListener('updatefound', () => {
      var installing = registration.installing;
      if (!installing) return;
      installing.addEventListener('statechange', () => {
        if (installing.state === 'installed' && navigator.serviceWorker.controller) offerRefresh(installing);
      });
    });
  });
})();
