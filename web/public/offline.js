// The offline page: in the reader's language, with the help articles this device has kept.
(() => {
  var texts = {
    'zh-CN': {
      title: '您已离线',
      intro: '这个页面需要网络。连上网络后点“重试”；涉及资金的操作只在联网时进行。',
      retry: '重试',
      toApp: '打开 OKPay',
      savedTitle: '已保存的帮助文章',
      savedIntro: '这些文章您读过，离线也能看：',
      noneSaved: '还没有离线可读的帮助文章。联网时读过的文章会保存在这台设备上。',
    },
    en: {
      title: 'You are offline',
      intro: 'This page needs the network. Press Retry once you are back online; anything that moves money waits until then.',
      retry: 'Retry',
      toApp: 'Open OKPay',
      savedTitle: 'Saved help articles',
      savedIntro: 'You read these before; they work offline:',
      noneSaved: 'No help articles are saved yet. Articles you read while online are kept on this device.',
    },
  };
  var stored = null;
  try {
    stored = window.localStorage.getItem('okpay.locale');
  } catch {
    stored = null;
  }
  var asked = new URLSearchParams(window.location.search).get('lang');
  var wanted = asked || stored || navigator.language || 'zh-CN';
  var locale = wanted.indexOf('en') === 0 ? 'en' : 'zh-CN';
  var t = texts[locale];
  document.documentElement.lang = locale;
  document.querySelectorAll('[data-text]').forEach((element) => {
    element.textContent = t[element.getAttribute('data-text')];
  });
  document.getElementById('retry').addEventListener('click', () => {
    window.location.reload();
  });

  if (!('caches' in window)) return;
  caches
    .open('okpay-help-pages')
    .then((cache) =>
      cache
        .keys()
        .then((requests) =>
          Promise.all(
            requests.map((request) =>
              cache
                .match(request)
                .then((response) => (response ? response.text().then((html) => ({ url: request.url, html: html })) : null)),
            ),
          ),
        ),
    )
    .then((pages) => {
      var seen = {};
      var items = pages
        .filter((page) => {
          if (!page) return false;
          var lang = /<html lang="([^"]+)"/.exec(page.html);
          return !lang || lang[1].indexOf(locale === 'en' ? 'en' : 'zh') === 0;
        })
        .map((page) => {
          var title = /<title>([^<]*)<\/title>/.exec(page.html);
          var heading = title
            ? title[1]
                .replace(/&amp;/g, '&')
                .replace(/&lt;/g, '<')
                .replace(/&gt;/g, '>')
                .replace(/&quot;/g, '"')
                .replace(/&#39;/g, "'")
            : page.url;
          return { url: page.url, title: heading.replace(/ - OKPay .*$/, '') };
        })
        .filter((page) => {
          var path = new URL(page.url).pathname;
          if (seen[path]) return false;
          seen[path] = true;
          return true;
        });
      var list = document.getElementById('articles');
      items.forEach((item) => {
        var link = document.createElement('a');
        link.href = item.url;
        link.textContent = item.title;
        var entry = document.createElement('li');
        entry.appendChild(link);
        list.appendChild(entry);
      });
      document.getElementById(items.length > 0 ? 'saved' : 'none').hidden = false;
    })
    .catch(() => {
      document.getElementById('none').hidden = false;
    });
})();
