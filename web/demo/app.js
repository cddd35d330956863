// Hosts the demo page in a frame and receives the receipt through the frame
// bridge (postMessage to this page's origin).
const frame = document.getElementById('app');
const jurisdiction = new URLSearchParams(location.search).get('jurisdiction') ?? 'GB';
frame.src = `index.html?view=app&jurisdiction=${jurisdiction}&frame-origin=${encodeURIComponent(location.origin)}`;
window.addEventListener('message', (event) => {
  if (event.origin !== location.origin || event.data?.type !== 'objection-submitted') return;
  window.receivedReceipts = [...(window.receivedReceipts ?? []), event.data.receipt];
  document.getElementById('received').textContent = `Receipt received for log entry of ${event.data.receipt.entry.statement.controller}.`;
});
