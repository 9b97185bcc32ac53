// The patient's consent key and consent signatures, in the browser only (WebCrypto ECDSA P-256).
// The private key is created non-extractable and kept in IndexedDB: no script, this one included,
// can read it out, and it never leaves the browser. Consent transactions are built in the ledger's
// canonical encoding (4-byte big-endian length before every field) and signed here; the server
// receives the signed transaction, as from the device client.
(function () {
  'use strict';
  var root = document.getElementById('consent-signing');
  if (!root) { return; }
  var patient = root.getAttribute('data-patient');
  var ledgerKey = root.getAttribute('data-ledger-key') || '';
  // P-256 group order: signatures are sent with s <= n/2, as the ledger requires
  var N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
  var utf8 = new TextEncoder();

  function concat(parts) {
    var n = 0, i, off = 0;
    for (i = 0; i < parts.length; i++) { n += parts[i].length; }
    var out = new Uint8Array(n);
    for (i = 0; i < parts.length; i++) { out.set(parts[i], off); off += parts[i].length; }
    return out;
  }
  function field(b) {
    var out = new Uint8Array(4 + b.length);
    new DataView(out.buffer).setUint32(0, b.length);
    out.set(b, 4);
    return out;
  }
  function str(s) { return field(utf8.encode(s)); }
  function u64(v) {
    var b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)));
    return field(b);
  }
  function b64(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
    return btoa(s);
  }
  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
  }
  function args(map) {
    var keys = Object.keys(map).sort();
    var parts = [str('MEDLEDGER/args/v1'), u64(keys.length)];
    keys.forEach(function (k) { parts.push(str(k), str(String(map[k]))); });
    return concat(parts);
  }

  async function sign(privateKey, data) {
    var sig = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, data));
    var s = BigInt('0x' + hex(sig.slice(32)));
    if (s > N / 2n) {
      var low = (N - s).toString(16).padStart(64, '0');
      for (var i = 0; i < 32; i++) { sig[32 + i] = parseInt(low.substr(2 * i, 2), 16); }
    }
    return sig;
  }

  function store() {
    return new Promise(function (resolve, reject) {
      var r = indexedDB.open('medledger', 1);
      r.onupgradeneeded = function () { r.result.createObjectStore('consent-keys'); };
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }
  async function loadKey() {
    var db = await store();
    return new Promise(function (resolve, reject) {
      var q = db.transaction('consent-keys').objectStore('consent-keys').get(patient);
      q.onsuccess = function () { resolve(q.result || null); };
      q.onerror = function () { reject(q.error); };
    });
  }
  async function saveKey(value) {
    var db = await store();
    return new Promise(function (resolve, reject) {
      var t = db.transaction('consent-keys', 'readwrite');
      t.objectStore('consent-keys').put(value, patient);
      t.oncomplete = function () { resolve(); };
      t.onerror = function () { reject(t.error); };
    });
  }
  /** The browser's key if it is the one the ledger holds for this patient. */
  async function ledgerKeyHere() {
    var k = await loadKey();
    return k && ledgerKey && b64(k.compressed) === ledgerKey ? k : null;
  }

  async function createKey() {
    var pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    var raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
    var compressed = new Uint8Array(33);
    compressed[0] = (raw[64] & 1) ? 3 : 2;
    compressed.set(raw.slice(1, 33), 1);
    await saveKey({ privateKey: pair.privateKey, publicKey: pair.publicKey, compressed: compressed });
    var at = Date.now();
    // proof of possession: MEDLEDGER/consent-key/v1, patient, key, time
    var proof = await sign(pair.privateKey, concat([str('MEDLEDGER/consent-key/v1'), str(patient), field(compressed), u64(at)]));
    return { publicKey: b64(compressed), signedAt: String(at), proof: b64(proof) };
  }

  async function consentTransaction(key, fn, a) {
    var nonce = crypto.getRandomValues(new Uint8Array(8));
    var body = concat([str('MEDLEDGER/tx-body/v1'), str(patient), str('consent'), str(fn), field(args(a)),
      u64(Date.now()), field(nonce)]);
    var sig = await sign(key.privateKey, body);
    var endorsements = concat([str('MEDLEDGER/endorsements/v1'), u64(0)]);
    return b64(concat([str('MEDLEDGER/tx/v1'), field(body), field(sig), field(endorsements)]));
  }

  /** The last millisecond (UTC) of the chosen day, as the server computes it. */
  function endOfDay(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3] + 1) - 1 : null;
  }
  function byId(id) { return document.getElementById(id); }
  var idPattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

  // A form is submitted once the browser signed; what it cannot sign it submits unsigned, and the
  // server says beside the field what is missing.
  function onSubmit(form, prepare) {
    if (!form) { return; }
    form.addEventListener('submit', function (ev) {
      if (form.getAttribute('data-signed') === '1') { return; }
      ev.preventDefault();
      var submitter = ev.submitter;
      prepare().catch(function () { /* unsigned: the server explains */ }).then(function () {
        form.setAttribute('data-signed', '1');
        // after this submit event's dispatch has ended: a form ignores a submission requested during it
        setTimeout(function () { form.requestSubmit(submitter); }, 0);
      });
    });
  }

  onSubmit(byId('consent-key'), async function () {
    var r = await createKey();
    byId('consent-key:publicKey').value = r.publicKey;
    byId('consent-key:signedAt').value = r.signedAt;
    byId('consent-key:proof').value = r.proof;
  });

  onSubmit(byId('consent-grant'), async function () {
    var grantee = byId('consent-grant:granteeId').value.trim();
    var scope = byId('consent-grant:scope').value.trim();
    var expiry = endOfDay(byId('consent-grant:expiry').value);
    if (!idPattern.test(grantee) || !idPattern.test(scope) || expiry === null) { return; }
    var key = await ledgerKeyHere();
    if (!key) { return; }
    byId('consent-grant:transaction').value = await consentTransaction(key, 'grant',
      { patientId: patient, granteeId: grantee, scope: scope, expiry: expiry });
  });

  onSubmit(byId('consent-revoke'), async function () {
    var key = await ledgerKeyHere();
    if (!key) { return; }
    byId('consent-revoke:transaction').value = await consentTransaction(key, 'revoke', {
      patientId: patient, granteeId: byId('consent-revoke:granteeId').value, scope: byId('consent-revoke:scope').value });
  });
  Array.prototype.forEach.call(document.querySelectorAll('button.revoke'), function (b) {
    b.addEventListener('click', function () {
      byId('consent-revoke:granteeId').value = b.getAttribute('data-grantee');
      byId('consent-revoke:scope').value = b.getAttribute('data-scope');
      byId('consent-revoke').requestSubmit(byId('consent-revoke:revoke'));
    });
  });

  var state = byId('browser-key-state');
  if (state) {
    ledgerKeyHere().then(function (k) {
      state.textContent = k ? 'holds this key: you can grant and revoke here.'
        : 'does not hold this key: grant and revoke where it is kept (the browser that created it, or your device).';
      state.className = k ? 'ok' : 'error';
      root.setAttribute('data-browser-key', k ? 'yes' : 'no');
    }, function () {
      state.textContent = 'cannot open its key store (IndexedDB).';
      state.className = 'error';
      root.setAttribute('data-browser-key', 'no');
    });
  } else {
    root.setAttribute('data-browser-key', 'none');
  }
})();
