// Runs the in-browser check of the entry named by #entry-check and shows the outcome.
(function () {
  'use strict';
  var box = document.getElementById('entry-check');
  if (!box) { return; }
  var mark = document.getElementById('proof-mark');
  var detail = document.getElementById('proof-detail');
  var dl = document.getElementById('proof-entry');
  function row(term, value) {
    var dt = document.createElement('dt'); dt.textContent = term;
    var dd = document.createElement('dd'); dd.textContent = value;
    dl.appendChild(dt); dl.appendChild(dd);
  }
  MedLedgerProof.verifyEntry({
    anchorsUrl: box.getAttribute('data-anchors-url'),
    treeHeadUrl: box.getAttribute('data-tree-head-url'),
    proofUrl: box.getAttribute('data-proof-url'),
    expectedIndex: Number(box.getAttribute('data-entry'))
  }).then(function (r) {
    if (r.ok) {
      mark.textContent = 'verified';
      mark.className = 'mark verified';
      detail.textContent = 'Entry ' + r.entry.logIndex + ' is in the ledger of ' + r.treeHead.treeSize
        + ' entries whose tree head ' + r.treeHead.signer + ' signed at ' + new Date(r.treeHead.timestamp).toISOString() + '.';
      row('Entry', String(r.entry.logIndex));
      row('Written by', r.entry.submitter);
      row('Operation', r.entry.contract + '.' + r.entry.function);
      row('At (UTC)', new Date(r.entry.timestamp).toISOString());
    } else {
      mark.textContent = 'NOT verified';
      mark.className = 'mark not-verified';
      detail.textContent = 'The check failed: ' + r.reason + '.';
    }
    box.setAttribute('data-result', r.ok ? 'verified' : 'failed');
  });
})();
