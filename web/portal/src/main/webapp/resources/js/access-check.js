// "Who accessed my records": every access entry about the signed-in patient, each decoded from
// the ledger leaf the browser verified itself, with its own verified mark.
(function () {
  'use strict';
  var box = document.getElementById('access-check');
  if (!box) { return; }
  var me = box.getAttribute('data-patient');
  var body = document.getElementById('accesses-body');
  var summary = document.getElementById('accesses-summary');
  function cell(tr, text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) { td.className = cls; }
    tr.appendChild(td);
    return td;
  }
  function mark(ok) {
    var s = document.createElement('span');
    s.className = 'mark ' + (ok ? 'verified' : 'not-verified');
    s.textContent = ok ? 'verified' : 'NOT verified';
    return s;
  }
  MedLedgerProof.verifyEntries({
    anchorsUrl: box.getAttribute('data-anchors-url'),
    treeHeadUrl: box.getAttribute('data-tree-head-url'),
    proofsUrl: box.getAttribute('data-proofs-url'),
    // an entry counts only if it is an access entry about this patient
    accept: function (e) {
      if (e.contract !== 'access' || e['function'] !== 'record') { return 'not an access entry'; }
      if (e.args.patientId !== me) { return 'not about your records'; }
      return null;
    }
  }).then(function (r) {
    if (!r.ok) {
      summary.textContent = 'The list could not be verified: ' + r.reason + '.';
      summary.className = 'error';
      box.setAttribute('data-result', 'failed');
      return;
    }
    var bad = 0;
    r.results.forEach(function (x) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-log-index', String(x.logIndex));
      var a = x.entry ? x.entry.args : {};
      cell(tr, a.at ? new Date(Number(a.at)).toISOString() : '');
      cell(tr, a.accessorId || '');
      cell(tr, a.holderId || '');
      cell(tr, a.outcome === 'released' ? 'released' : (a.outcome ? 'refused' : ''), a.outcome === 'released' ? '' : 'error');
      cell(tr, a.reason || '');
      var m = cell(tr, '');
      m.appendChild(mark(x.ok));
      if (!x.ok) {
        bad++;
        var why = document.createElement('span');
        why.textContent = ' ' + x.reason;
        m.appendChild(why);
      }
      body.appendChild(tr);
    });
    summary.textContent = r.results.length === 0
      ? 'No access to your records is on the ledger.'
      : r.results.length + ' accesses, ' + (r.results.length - bad) + ' verified by this browser against the tree head of '
        + r.treeHead.treeSize + ' entries signed by ' + r.treeHead.signer + '.';
    summary.className = bad ? 'error' : 'ok';
    box.setAttribute('data-result', bad ? 'failed' : 'verified');
  });
})();
