// Hands a verified receipt to the host: always a DOM event, plus the first
// app bridge present, in this order: iOS WKWebView message handler, Android
// WebView JavascriptInterface (a JSON string), an enclosing frame at the
// configured origin.
export function deliver(host, receipt, frameOrigin) {
  host.dispatchEvent(new CustomEvent('objection-submitted', { detail: { receipt }, bubbles: true, composed: true }));
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
    w.parent.postMessage({ type: 'objection-submitted', receipt }, frameOrigin);
    return 'frame';
  }
  return 'event';
}
