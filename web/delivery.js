// Hands a confirmed receipt to the host. The app bridges are the person's own
// app (native code): they get the full receipt, as the download does. Page
// scripts (the DOM event, an enclosing frame) get the public receipt — entry,
// proof, index, leaf hash, no device seed or opening — unless the host set
// `deliver-secrets` (INTEGRATION.md says what that entrusts to the page).
// Order: iOS WKWebView message handler, Android JavascriptInterface (a JSON
// string), an enclosing frame at the configured origin; the event always.
export function deliver(host, { receipt, publicReceipt, index, leafHash, verified }, { frameOrigin, secrets = false } = {}) {
  const shared = secrets ? receipt : publicReceipt;
  const detail = { receipt: shared, index, leaf_hash: leafHash, verified };
  host.dispatchEvent(new CustomEvent('objection-submitted', { detail, bubbles: true, composed: true }));
  const w = globalThis.window;
  if (w?.webkit?.messageHandlers?.objector) {
    w.webkit.messageHandlers.objector.postMessage(receipt);
    return 'ios';
  }
  if (typeof w?.ObjectorBridge?.postMessage === 'function') {
    w.ObjectorBridge.postMessage(JSON.stringify(receipt));
    return 'android';
  }
  if (frameOrigin && w && w.parent !== w) {
    w.parent.postMessage({ type: 'objection-submitted', ...detail }, frameOrigin);
    return 'frame';
  }
  return 'event';
}
