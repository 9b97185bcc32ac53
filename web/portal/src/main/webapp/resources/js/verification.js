// Polls the full ledger verification's progress while it runs and updates the progress bar.
(function () {
  'use strict';
  var box = document.getElementById('verification');
  if (!box) { return; }
  var bar = document.getElementById('verification-progress');
  var result = document.getElementById('verification-result');
  function show(s) {
    bar.value = s.percent;
    bar.textContent = s.percent + '%';
    box.setAttribute('data-state', s.state);
    if (s.state === 'RUNNING') {
      result.textContent = 'Running: ' + s.blocksRead + ' of ' + s.blocksTotal + ' blocks read.';
    } else if (s.state === 'PASSED') {
      result.textContent = 'Passed: ' + s.blocksRead + ' blocks and ' + s.transactions + ' transactions verified.';
      result.className = 'ok';
    } else if (s.state === 'FAILED') {
      result.textContent = 'Failed: ' + s.finding;
      result.className = 'error';
    }
  }
  function poll() {
    fetch(box.getAttribute('data-status-url'), { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { if (!r.ok) { throw new Error('status ' + r.status); } return r.json(); })
      .then(function (s) { show(s); if (s.state === 'RUNNING') { setTimeout(poll, 500); } })
      .catch(function () { result.textContent = 'The progress could not be read; reload the page.'; });
  }
  if (box.getAttribute('data-state') === 'RUNNING') { poll(); }
})();
