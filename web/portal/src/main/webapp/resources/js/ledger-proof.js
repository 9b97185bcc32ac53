// MedLedger's ledger proofs, checked in the browser with WebCrypto (SHA-256, ECDSA P-256): a
// producer certificate against the KGC key, a signed tree head against the producer's key, and
// an entry's inclusion proof (RFC 9162 §2.1.3.2) against that tree head. The encodings are the
// ledger's canonical ones (docs/ledger.md): a label, then each field as a 4-byte big-endian
// length and its bytes; u64 values as 8 bytes.
var MedLedgerProof = (function () {
  'use strict';
  var subtle = window.crypto && window.crypto.subtle;
  var enc = new TextEncoder();
  var dec = new TextDecoder('utf-8', { fatal: true });

  function fail(reason) { var e = new Error(reason); e.proofFailure = true; return e; }

  function b64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }
  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function unhex(s) {
    if (!/^([0-9a-f]{2})*$/.test(s)) { throw fail('malformed hash'); }
    var out = new Uint8Array(s.length / 2);
    for (var i = 0; i < out.length; i++) { out[i] = parseInt(s.substr(2 * i, 2), 16); }
    return out;
  }
  function concat(parts) {
    var n = parts.reduce(function (a, p) { return a + p.length; }, 0), out = new Uint8Array(n), o = 0;
    parts.forEach(function (p) { out.set(p, o); o += p.length; });
    return out;
  }
  function equal(a, b) {
    if (a.length !== b.length) { return false; }
    var d = 0;
    for (var i = 0; i < a.length; i++) { d |= a[i] ^ b[i]; }
    return d === 0;
  }

  // The canonical writer.
  function Canonical(label) { this.parts = []; this.str(label); }
  Canonical.prototype.bytes = function (b) {
    var len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, b.length);
    this.parts.push(len, b);
    return this;
  };
  Canonical.prototype.str = function (s) { return this.bytes(enc.encode(s)); };
  Canonical.prototype.u64 = function (v) {
    var b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v));
    return this.bytes(b);
  };
  Canonical.prototype.toBytes = function () { return concat(this.parts); };

  // The canonical reader.
  function Reader(b) { this.b = b; this.o = 0; }
  Reader.prototype.bytes = function () {
    if (this.o + 4 > this.b.length) { throw fail('truncated entry'); }
    var n = new DataView(this.b.buffer, this.b.byteOffset + this.o, 4).getUint32(0);
    this.o += 4;
    if (this.o + n > this.b.length) { throw fail('truncated entry'); }
    var out = this.b.subarray(this.o, this.o + n);
    this.o += n;
    return out;
  };
  Reader.prototype.str = function () { return dec.decode(this.bytes()); };
  Reader.prototype.u64 = function () {
    var b = this.bytes();
    if (b.length !== 8) { throw fail('malformed number'); }
    return Number(new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0));
  };
  Reader.prototype.label = function (l) { if (this.str() !== l) { throw fail('not a ' + l + ' encoding'); } return this; };
  Reader.prototype.end = function () { if (this.o !== this.b.length) { throw fail('trailing bytes'); } };

  // P-256: SEC1 compressed points are decompressed here (y = rhs^((p+1)/4), p = 3 mod 4).
  var P = BigInt('0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff');
  var B = BigInt('0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b');
  function modpow(b, e, m) {
    var r = 1n; b %= m;
    while (e > 0n) { if (e & 1n) { r = r * b % m; } b = b * b % m; e >>= 1n; }
    return r;
  }
  function toBig(bytes) { return BigInt('0x' + (hex(bytes) || '0')); }
  function toBytes32(v) { return unhex(v.toString(16).padStart(64, '0')); }
  function uncompressed(key) {
    if (key.length === 65 && key[0] === 4) { return key; }
    if (key.length !== 33 || (key[0] !== 2 && key[0] !== 3)) { throw fail('not a P-256 public key'); }
    var x = toBig(key.subarray(1));
    if (x >= P) { throw fail('not a P-256 public key'); }
    var rhs = ((x * x % P) * x - 3n * x + B) % P;
    rhs = (rhs + P) % P;
    var y = modpow(rhs, (P + 1n) / 4n, P);
    if (y * y % P !== rhs) { throw fail('not a point on P-256'); }
    if (Number(y & 1n) !== (key[0] & 1)) { y = P - y; }
    return concat([new Uint8Array([4]), toBytes32(x), toBytes32(y)]);
  }
  function importKey(key) {
    return subtle.importKey('raw', uncompressed(key), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  }
  function verifySignature(key, signature, message) {
    if (signature.length !== 64) { return Promise.resolve(false); }
    return importKey(key).then(function (k) {
      return subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, k, signature, message);
    });
  }
  function sha256(b) { return subtle.digest('SHA-256', b).then(function (d) { return new Uint8Array(d); }); }
  function leafHash(data) { return sha256(concat([new Uint8Array([0]), data])); }
  function nodeHash(l, r) { return sha256(concat([new Uint8Array([1]), l, r])); }

  /** The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or a failure. */
  function rootFromInclusion(leaf, index, size, path) {
    if (index < 0 || size <= 0 || index >= size) { return Promise.reject(fail('leaf index outside the tree')); }
    var fn = index, sn = size - 1, r = Promise.resolve(leaf), i = 0;
    function step(acc) {
      if (i === path.length) {
        if (sn !== 0) { throw fail('inclusion path too short'); }
        return acc;
      }
      if (sn === 0) { throw fail('inclusion path too long'); }
      var p = path[i++];
      var next;
      if ((fn & 1) === 1 || fn === sn) {
        next = nodeHash(p, acc);
        while ((fn & 1) === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        next = nodeHash(acc, p);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
      return next.then(step);
    }
    return r.then(step);
  }

  /** Checks a producer's member certificate against the KGC key; resolves to its public key. */
  function producerKey(anchors, signer, at) {
    var kgc = b64(anchors.kgcPublicKey);
    var cert = (anchors.producers || []).filter(function (p) { return p.memberId === signer; })[0];
    if (!cert) { return Promise.reject(fail('the tree head is signed by ' + signer + ', not a published producer')); }
    if (cert.role !== 'BLOCK_PRODUCER') { return Promise.reject(fail(signer + ' is not a block producer')); }
    if (at < cert.notBefore || at > cert.notAfter) { return Promise.reject(fail('producer certificate not valid at the tree head')); }
    var pk = b64(cert.publicKey);
    var tbs = new Canonical('MEDLEDGER/member-cert/v1').str(cert.memberId).str(cert.role).bytes(pk)
      .u64(cert.notBefore).u64(cert.notAfter).toBytes();
    return verifySignature(kgc, b64(cert.kgcSignature), tbs).then(function (ok) {
      if (!ok) { throw fail('the producer certificate is not signed by the published KGC key'); }
      return pk;
    });
  }

  /** Checks a signed tree head (JSON of GET /api/ledger/tree-head) against the anchors. */
  function verifyTreeHead(anchors, sth) {
    var root = unhex(sth.rootHash);
    if (root.length !== 32) { return Promise.reject(fail('malformed root hash')); }
    var keyId = unhex(sth.keyId || '');
    if (keyId.length !== 32 || typeof sth.logId !== 'string') { return Promise.reject(fail('malformed tree head')); }
    return producerKey(anchors, sth.signer, sth.timestamp).then(function (pk) {
      // The key id is SHA-256 of the signer's SEC1 key: it must name the producer key the anchors give.
      return sha256(pk).then(function (h) {
        if (hex(h) !== hex(keyId)) { throw fail('the tree head names another signing key'); }
        var signed = new Canonical('MEDLEDGER/sth/v2').str(sth.logId).u64(sth.treeSize).bytes(root).u64(sth.timestamp)
          .str(sth.signer).bytes(keyId).toBytes();
        return verifySignature(pk, b64(sth.signature), signed);
      });
    }).then(function (ok) {
      if (!ok) { throw fail('the tree head signature does not verify'); }
      return root;
    });
  }

  /** Decodes leaf data: the log index it is bound to and the transaction's visible fields and arguments. */
  function parseLeaf(data) {
    var r = new Reader(data).label('MEDLEDGER/leaf/v1');
    var logIndex = r.u64();
    var tx = new Reader(r.bytes()).label('MEDLEDGER/tx/v1');
    r.end();
    var body = new Reader(tx.bytes()).label('MEDLEDGER/tx-body/v1');
    var entry = { logIndex: logIndex, submitter: body.str(), contract: body.str(), function: body.str(), args: {} };
    var args = new Reader(body.bytes()).label('MEDLEDGER/args/v1');
    var n = args.u64();
    for (var i = 0; i < n && i < 64; i++) {
      var k = args.str();
      var v = args.bytes();
      try { entry.args[k] = dec.decode(v); } catch (e) { entry.args[k] = hex(v); }
    }
    entry.timestamp = body.u64();
    return entry;
  }

  function getJson(url) {
    return fetch(url, { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
      if (!r.ok) { throw fail(url + ' answered ' + r.status); }
      return r.json();
    });
  }

  /** Checks one entry's proof (JSON: logIndex, treeSize, leafData, path) against a checked tree head. */
  function checkProof(proof, sth, root) {
    var data, entry;
    // any failure, decoding included, rejects this entry's check only
    return Promise.resolve().then(function () {
      if (proof.treeSize !== sth.treeSize) { throw fail('the proof is for another tree size'); }
      data = b64(proof.leafData);
      entry = parseLeaf(data);
      if (entry.logIndex !== proof.logIndex) { throw fail('the entry is bound to another position'); }
      return leafHash(data);
    }).then(function (leaf) {
      return rootFromInclusion(leaf, proof.logIndex, proof.treeSize, proof.path.map(unhex));
    }).then(function (computed) {
      if (!equal(computed, root)) { throw fail('the inclusion proof does not lead to the signed root'); }
      return entry;
    });
  }

  function reason(e) {
    return e && e.proofFailure ? e.message : 'the check could not run (' + (e && e.message) + ')';
  }

  /** Fetches and checks the anchors and the newest tree head; resolves to {sth, root}. */
  function checkedTreeHead(o) {
    return Promise.all([getJson(o.anchorsUrl), getJson(o.treeHeadUrl)]).then(function (r) {
      return verifyTreeHead(r[0], r[1]).then(function (root) { return { sth: r[1], root: root }; });
    });
  }

  /**
   * Verifies entry {@code expectedIndex}: anchors, tree head, proof for the tree head's size.
   * Resolves to {ok: true, entry, treeHead} or {ok: false, reason}.
   */
  function verifyEntry(o) {
    if (!subtle) { return Promise.resolve({ ok: false, reason: 'this browser has no WebCrypto' }); }
    return checkedTreeHead(o).then(function (h) {
      return getJson(o.proofUrl + '?treeSize=' + encodeURIComponent(h.sth.treeSize)).then(function (proof) {
        if (proof.logIndex !== o.expectedIndex) { throw fail('the proof is for another entry'); }
        return checkProof(proof, h.sth, h.root);
      }).then(function (entry) { return { ok: true, entry: entry, treeHead: h.sth }; });
    }).catch(function (e) { return { ok: false, reason: reason(e) }; });
  }

  /**
   * Verifies every entry of a list endpoint (JSON: treeSize, entries[]) against the newest tree
   * head. Resolves to {ok, reason, treeHead, results: [{ok, entry, reason, logIndex}]}: the tree
   * head failing fails all; otherwise each entry stands or falls alone.
   */
  function verifyEntries(o) {
    if (!subtle) { return Promise.resolve({ ok: false, reason: 'this browser has no WebCrypto', results: [] }); }
    return checkedTreeHead(o).then(function (h) {
      return getJson(o.proofsUrl + '?treeSize=' + encodeURIComponent(h.sth.treeSize)).then(function (list) {
        if (list.treeSize !== h.sth.treeSize) { throw fail('the proofs are for another tree size'); }
        return Promise.all(list.entries.map(function (p) {
          return checkProof(p, h.sth, h.root).then(function (entry) {
            var why = o.accept ? o.accept(entry) : null;
            return why ? { ok: false, logIndex: p.logIndex, entry: entry, reason: why }
                       : { ok: true, logIndex: p.logIndex, entry: entry };
          }, function (e) { return { ok: false, logIndex: p.logIndex, reason: reason(e) }; });
        })).then(function (results) { return { ok: true, treeHead: h.sth, results: results }; });
      });
    }).catch(function (e) { return { ok: false, reason: reason(e), results: [] }; });
  }

  return { verifyEntry: verifyEntry, verifyEntries: verifyEntries, verifyTreeHead: verifyTreeHead, parseLeaf: parseLeaf,
           rootFromInclusion: rootFromInclusion, uncompressed: uncompressed };
})();
