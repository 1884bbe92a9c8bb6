/**
 * All of the widget's CSS, applied inside its shadow root only. The host page's selectors cannot
 * reach in; what it can still do is set inherited properties (font-size, color) or `!important`
 * rules on the host element itself, so `:host` resets everything with `!important`, which beats the
 * page's own `!important` across the shadow boundary. Sizes are in px, never rem: the page owns rem.
 */
export const widgetCss = `
:host {
  all: initial !important;
  display: block !important;
  position: fixed !important;
  right: 0 !important;
  bottom: 0 !important;
  top: auto !important;
  left: auto !important;
  width: 0 !important;
  height: 0 !important;
  margin: 0 !important;
  padding: 0 !important;
  border: 0 !important;
  overflow: visible !important;
  z-index: 2147483647 !important;
  visibility: visible !important;
  opacity: 1 !important;
  transform: none !important;
  filter: none !important;
  pointer-events: auto !important;
}
.root {
  font-family: -apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
    "Noto Sans SC", "Source Han Sans SC", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px;
  font-weight: 400;
  line-height: 1.5;
  color: #1f2937;
  text-align: left;
  direction: ltr;
  letter-spacing: normal;
  word-spacing: normal;
  text-transform: none;
  font-style: normal;
  -webkit-font-smoothing: antialiased;
}
*, *::before, *::after { box-sizing: border-box; }
button, input, textarea, select { font: inherit; color: inherit; letter-spacing: inherit; margin: 0; }
button { cursor: pointer; }
button:disabled { cursor: default; }
:focus { outline: none; }
:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}

.bubble {
  position: fixed; right: 24px; bottom: 24px; width: 60px; height: 60px; border-radius: 50%;
  border: 0; padding: 0; background: #0958d9; color: #fff;
  box-shadow: 0 6px 20px rgba(9, 88, 217, 0.35), 0 2px 6px rgba(0, 0, 0, 0.15);
  display: flex; align-items: center; justify-content: center;
  transition: transform 0.15s ease, background 0.15s ease;
}
.bubble:hover { background: #003eb3; transform: translateY(-1px); }
.bubble:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 3px; box-shadow: 0 0 0 3px #fff, 0 6px 20px rgba(9, 88, 217, 0.35); }
.bubble svg { width: 28px; height: 28px; display: block; }
.badge {
  position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; background: #d4380d; color: #fff; font-size: 12px; font-weight: 600; line-height: 22px;
  text-align: center; border: 2px solid #fff;
}

.panel {
  position: fixed; right: 24px; bottom: 96px; width: 380px; height: 620px; max-height: calc(100vh - 120px);
  display: flex; flex-direction: column; background: #fff; border-radius: 14px; overflow: hidden;
  box-shadow: 0 12px 40px rgba(15, 23, 42, 0.22), 0 2px 8px rgba(15, 23, 42, 0.12);
  border: 1px solid #e5e7eb;
}
.header {
  flex: none; display: flex; align-items: flex-start; gap: 8px; padding: 14px 12px 12px 18px;
  background: #0958d9; color: #fff;
}
.header-text { flex: 1; min-width: 0; }
.title { margin: 0; font-size: 16px; font-weight: 600; line-height: 1.4; display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.verified {
  display: inline-flex; align-items: center; gap: 3px; padding: 1px 8px; border-radius: 10px;
  background: #f6ffed; color: #237804; font-size: 12px; font-weight: 500; line-height: 18px;
}
.subtitle { margin: 2px 0 0; font-size: 13px; color: #dbe7ff; }
.icon-button {
  flex: none; width: 34px; height: 34px; border-radius: 8px; border: 0; background: transparent; color: inherit;
  display: flex; align-items: center; justify-content: center;
}
.icon-button:hover { background: rgba(255, 255, 255, 0.16); }
.header .icon-button:focus-visible { outline-color: #fff; }
.icon-button svg { width: 20px; height: 20px; }

.body { flex: 1; min-height: 0; overflow-y: auto; padding: 16px 18px; }
.center { display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 12px; height: 100%; text-align: center; color: #4b5563; }
.spinner { width: 28px; height: 28px; border-radius: 50%; border: 3px solid #d6e4ff; border-top-color: #0958d9; animation: spin 0.9s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spinner { animation-duration: 3s; } .bubble { transition: none; } }

h2.screen-title { margin: 0 0 4px; font-size: 16px; font-weight: 600; color: #111827; }
.lead { margin: 0 0 14px; color: #4b5563; font-size: 13px; }
fieldset { border: 0; padding: 0; margin: 0 0 16px; min-width: 0; }
legend { padding: 0; margin-bottom: 8px; font-weight: 600; font-size: 13px; color: #374151; }
.hint { margin: -4px 0 8px; font-size: 12px; color: #6b7280; }
.chips { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.chip {
  position: relative; display: flex; align-items: center; min-height: 40px; padding: 8px 12px; border-radius: 10px;
  border: 1px solid #d1d5db; background: #fff; font-size: 14px; color: #1f2937; cursor: pointer;
}
.chip:hover { border-color: #0958d9; }
.chip.selected { border-color: #0958d9; background: #e6f0ff; color: #003eb3; font-weight: 600; }
/* The real radio covers its whole label, invisibly: clicks, taps and screen readers all reach it. */
.chip input, .pick input { position: absolute; inset: 0; width: 100%; height: 100%; opacity: 0; margin: 0; z-index: 1; cursor: pointer; }
.chip:has(input:focus-visible), .pick:has(input:focus-visible) { outline: 3px solid #1d4ed8; outline-offset: 2px; }

.picks { display: flex; flex-direction: column; gap: 6px; }
.pick {
  position: relative; display: block; padding: 9px 12px; border-radius: 10px; border: 1px solid #e5e7eb; cursor: pointer; background: #fff;
}
.pick:hover { border-color: #0958d9; }
.pick.selected { border-color: #0958d9; background: #e6f0ff; }
.pick-row { display: flex; justify-content: space-between; gap: 8px; font-size: 13px; }
.pick-main { font-weight: 600; color: #111827; }
.pick-time { color: #6b7280; font-size: 12px; white-space: nowrap; }
.pick-detail, .failure { display: block; }
.pick-detail { margin-top: 2px; font-size: 12px; color: #4b5563; }
.status-failed { color: #cf1322; font-weight: 600; }
.status-pending { color: #ad6800; }
.failure { margin-top: 4px; font-size: 12px; color: #a8071a; background: #fff1f0; border-radius: 6px; padding: 4px 8px; }

label.field { display: block; margin-bottom: 12px; font-size: 13px; font-weight: 600; color: #374151; }
.input, .textarea {
  display: block; width: 100%; margin-top: 6px; padding: 8px 10px; border: 1px solid #d1d5db; border-radius: 8px;
  background: #fff; font-size: 14px; font-weight: 400; color: #111827; line-height: 1.5;
}
.textarea { resize: vertical; min-height: 72px; }
.input:focus-visible, .textarea:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 0; border-color: #1d4ed8; }
.input::placeholder, .textarea::placeholder { color: #9ca3af; }
.primary {
  display: inline-flex; align-items: center; justify-content: center; width: 100%; min-height: 42px; padding: 8px 16px;
  border: 0; border-radius: 10px; background: #0958d9; color: #fff; font-size: 15px; font-weight: 600;
}
.primary:hover:not(:disabled) { background: #003eb3; }
.primary:disabled { background: #8fb3ee; }
.secondary {
  display: inline-flex; align-items: center; justify-content: center; min-height: 36px; padding: 6px 14px;
  border: 1px solid #d1d5db; border-radius: 8px; background: #fff; color: #1f2937; font-size: 13px;
}
.secondary:hover { border-color: #0958d9; color: #003eb3; }
/*
 * The start and call buttons stay in sight at the foot of the panel while the form above them
 * scrolls (over the body's bottom padding, hence -16px): articles suggested for the topic arrive a
 * moment after it is picked and would otherwise push the buttons down under a finger about to tap them.
 */
.start-actions {
  position: sticky; bottom: -16px; z-index: 2; display: flex; gap: 8px; align-items: stretch;
  margin: 0 -18px; padding: 10px 18px 14px; background: #fff; border-top: 1px solid #f0f0f0;
}
.start-actions .primary { flex: 1; }
/* A field reached with Tab scrolls into view above the buttons, not behind them. */
.body:has(.start-actions) { scroll-padding-bottom: 72px; }
.call-button {
  flex: none; min-height: 42px; padding: 8px 16px; border: 1px solid #0958d9; border-radius: 10px; background: #fff;
  color: #0958d9; font-size: 15px; font-weight: 600;
}
.call-button:hover { background: #f0f5ff; }
.danger {
  display: inline-flex; align-items: center; justify-content: center; min-height: 36px; padding: 6px 18px;
  border: 0; border-radius: 8px; background: #cf1322; color: #fff; font-size: 14px; font-weight: 600;
}
.danger:hover { background: #a8071a; }
.call-status { margin: 8px 0 12px; font-size: 16px; font-weight: 600; color: #111827; }
.call-timer { margin: 0 0 12px; font-variant-numeric: tabular-nums; color: #374151; }
.call-actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.link-button { border: 0; background: none; padding: 2px 0; color: #0958d9; font-size: 13px; text-decoration: underline; text-underline-offset: 2px; }
.error { margin: 8px 0; padding: 8px 10px; border-radius: 8px; background: #fff1f0; color: #a8071a; font-size: 13px; }
.note { margin: 0 0 12px; padding: 8px 10px; border-radius: 8px; background: #f0f5ff; color: #1d39c4; font-size: 13px; }
.recording { margin: 0 0 12px; display: flex; align-items: center; gap: 6px; font-size: 14px; font-variant-numeric: tabular-nums; color: #a8071a; }
.recording-dot { width: 10px; height: 10px; border-radius: 50%; background: #d4380d; animation: okpay-pulse 1s ease-in-out infinite; }
@keyframes okpay-pulse { 50% { opacity: 0.3; } }
@media (prefers-reduced-motion: reduce) { .recording-dot { animation: none; } }
.preview { display: block; width: 100%; margin: 6px 0 4px; }
.voicemail-link { margin: 0 0 12px; }
.voicemail-link .hint { margin: 0 0 4px; }
.offline-email { margin: -6px 0 14px; color: #4b5563; font-size: 13px; }
.offline-email a { color: #1677ff; }
.notice-offline { margin: 0 0 14px; padding: 10px 12px; border-radius: 10px; background: #fffbe6; border: 1px solid #ffe58f; color: #613400; font-size: 13px; }

.chat { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.banner { flex: none; padding: 8px 18px; font-size: 13px; border-bottom: 1px solid #eef0f4; background: #f8fafc; color: #374151; }
.banner strong { color: #111827; }
.banner.warn { background: #fffbe6; color: #613400; }
.banner.queue { background: #f0f5ff; color: #1d39c4; }
.log { flex: 1; min-height: 0; overflow-y: auto; }
.log-list { list-style: none; margin: 0; padding: 14px 14px 6px; display: flex; flex-direction: column; gap: 10px; }
.msg { display: flex; flex-direction: column; align-items: flex-start; max-width: 82%; }
.msg.own { align-self: flex-end; align-items: flex-end; }
.msg.system { align-self: center; align-items: center; max-width: 92%; }
.author { font-size: 12px; color: #6b7280; margin: 0 0 2px 4px; }
.text {
  padding: 8px 12px; border-radius: 14px 14px 14px 4px; background: #f1f5f9; color: #111827; font-size: 14px;
  white-space: pre-wrap; overflow-wrap: anywhere;
}
.msg.own .text { background: #0958d9; color: #fff; border-radius: 14px 14px 4px 14px; }
.msg.own.pending .text { background: #4f86e0; }
.msg.own.failed .text { background: #fff; color: #111827; border: 1px solid #ffa39e; }
.msg.system .text { background: transparent; color: #6b7280; font-size: 12px; padding: 2px 8px; text-align: center; }
.meta { display: flex; gap: 8px; align-items: center; margin-top: 3px; font-size: 11px; color: #6b7280; }
.meta .read { color: #0958d9; font-weight: 600; }
.failed-label { color: #cf1322; font-weight: 600; font-size: 12px; }
.meta button { font-size: 12px; }
.redacted { margin: 4px 0 0; padding: 4px 8px; border-radius: 6px; background: #fffbe6; color: #613400; font-size: 12px; }
.thumb { display: block; max-width: 200px; max-height: 200px; border-radius: 10px; margin-bottom: 4px; background: #e5e7eb; }
.thumb-placeholder { display: flex; align-items: center; justify-content: center; width: 160px; height: 100px; border-radius: 10px; background: #e5e7eb; color: #6b7280; font-size: 12px; margin-bottom: 4px; }
.typing { flex: none; padding: 0 18px 6px; font-size: 12px; color: #6b7280; min-height: 20px; }
.rating { margin: 8px 0 4px; padding: 12px; border-radius: 12px; border: 1px solid #d6e4ff; background: #f8fbff; list-style: none; }
.rating fieldset { margin-bottom: 10px; }
.rating-heading { margin: 0 0 8px; font-size: 14px; font-weight: 600; color: #111827; }
.rating-given, .rating-note { margin: 0 0 4px; font-size: 13px; color: #374151; display: flex; align-items: center; gap: 4px; flex-wrap: wrap; }
.rating-actions { margin: 4px 0 0; display: flex; justify-content: space-between; align-items: center; gap: 8px; font-size: 12px; color: #6b7280; }
.faces { display: grid; grid-template-columns: repeat(5, 1fr); gap: 4px; }
.face { position: relative; display: flex; flex-direction: column; align-items: center; gap: 2px; padding: 6px 2px; border-radius: 10px; border: 1px solid transparent; cursor: pointer; font-size: 11px; color: #4b5563; text-align: center; }
.face:hover { border-color: #adc6ff; }
.face.selected { border-color: #0958d9; background: #e6f0ff; color: #003eb3; font-weight: 600; }
.face input, .reason-chip input { position: absolute; inset: 0; width: 100%; height: 100%; opacity: 0; margin: 0; cursor: pointer; }
.face:has(input:focus-visible), .reason-chip:has(input:focus-visible) { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.reason-chips { display: flex; flex-wrap: wrap; gap: 6px; }
.reason-chip { position: relative; padding: 4px 10px; border-radius: 999px; border: 1px solid #d1d5db; background: #fff; font-size: 13px; cursor: pointer; }
.reason-chip.selected { border-color: #0958d9; background: #e6f0ff; color: #003eb3; }
.rating-buttons { display: flex; flex-direction: column; align-items: center; gap: 6px; }
.ended { flex: none; margin: 0 14px 10px; padding: 10px 12px; border-radius: 10px; background: #f8fafc; border: 1px solid #e5e7eb; display: flex; align-items: center; justify-content: space-between; gap: 10px; font-size: 13px; }

.composer { flex: none; border-top: 1px solid #eef0f4; padding: 10px 12px 8px; background: #fff; }
.composer-row { display: flex; align-items: flex-end; gap: 6px; }
.composer textarea {
  flex: 1; min-width: 0; resize: none; border: 1px solid #d1d5db; border-radius: 10px; padding: 8px 10px; font-size: 14px;
  line-height: 1.5; max-height: 120px; min-height: 40px; color: #111827; background: #fff;
}
.composer textarea:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 0; border-color: #1d4ed8; }
.composer .icon-button { color: #4b5563; width: 40px; height: 40px; }
.composer .icon-button:hover { background: #f1f5f9; color: #0958d9; }
.send { flex: none; height: 40px; padding: 0 14px; border: 0; border-radius: 10px; background: #0958d9; color: #fff; font-weight: 600; }
.send:disabled { background: #8fb3ee; }
.composer-foot { display: flex; justify-content: space-between; align-items: flex-end; gap: 8px; margin-top: 6px; min-height: 20px; }
.transcript { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; min-width: 0; }
.hint-keys { flex: none; font-size: 11px; color: #9ca3af; }
.transcript-form { display: flex; flex: 1; gap: 6px; align-items: flex-end; }
.empty { align-self: center; margin: 24px 12px; color: #6b7280; font-size: 13px; text-align: center; }
.linked { align-self: stretch; display: flex; flex-direction: column; gap: 2px; padding: 8px 12px; border-radius: 10px; background: #f0f5ff; color: #1d39c4; font-size: 12px; }
.linked-heading { font-weight: 600; }
.transcript-form label { flex: 1; margin: 0; font-weight: 400; font-size: 12px; }
.transcript-form .input { margin-top: 2px; padding: 6px 8px; font-size: 13px; }
.transcript-form .field-hint { display: block; margin-top: 2px; color: #6b7280; font-size: 11px; }
.composer-foot:has(.transcript-form) .hint-keys { display: none; }
.transcript:has(.transcript-form) { flex: 1; }
.transcript:has(.transcript-form) [role="status"] { flex-basis: 100%; }
.small-status { font-size: 12px; color: #237804; }

.suggestions { margin: -4px 0 14px; padding: 10px 12px; border-radius: 10px; background: #fffbe6; border: 1px solid #ffe58f; }
.suggestions-title { margin: 0 0 6px; font-size: 13px; color: #614700; }
.suggestions ul { margin: 0; padding: 0; list-style: none; }
.suggestion { display: block; width: 100%; text-align: left; border: 0; background: #fff; border-radius: 8px; padding: 8px 10px; margin-top: 6px; cursor: pointer; font: inherit; color: inherit; }
.suggestion:hover, .suggestion:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 0; }
.suggestion-title { display: block; font-weight: 600; color: #1d4ed8; font-size: 14px; }
.suggestion-snippet { display: block; font-size: 12px; color: #4b5563; margin-top: 2px; }
.suggestion-snippet mark, .article-body mark { background: #fff1b8; color: inherit; }
.link-button { border: 0; background: none; color: #1d4ed8; padding: 0; font: inherit; cursor: pointer; margin-bottom: 10px; }
.article-title { font-size: 17px; margin: 0 0 8px; outline: none; }
.article-body { font-size: 14px; line-height: 1.65; color: #1f2937; }
.article-body h2 { font-size: 15px; margin: 14px 0 6px; }
.article-body ol, .article-body ul { padding-left: 20px; }
.article-body table { border-collapse: collapse; display: block; overflow-x: auto; font-size: 12px; }
.article-body th, .article-body td { border: 1px solid #e5e7eb; padding: 4px 6px; text-align: left; vertical-align: top; }
.article-body svg { display: block; width: 100%; max-width: 300px; height: auto; margin: 8px 0; }
.article-body img { max-width: 100%; height: auto; }
.article-link { display: inline-block; margin: 8px 0 0; font-size: 13px; color: #1d4ed8; }
.article-actions { margin-top: 16px; padding-top: 12px; border-top: 1px solid #e5e7eb; }
.article-actions p { margin: 0 0 8px; font-size: 13px; color: #4b5563; }
@media (max-width: 479px) {
  .panel { inset: 0; right: 0; bottom: 0; width: 100%; height: 100%; max-height: none; border-radius: 0; border: 0; }
  .chips { grid-template-columns: 1fr; }
  .msg { max-width: 88%; }
}
`;
