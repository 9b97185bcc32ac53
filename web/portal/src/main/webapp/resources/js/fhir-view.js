// A FHIR R4 record (a Bundle or one resource) rendered for a person: one part per resource, its
// clinically relevant fields as text. Everything is written with textContent (never as HTML), so
// a record cannot inject markup or script; the file never leaves the browser.
(function () {
  'use strict';
  var input = document.getElementById('record-file');
  var data = document.getElementById('record-data');
  if (!input && !data) { return; }
  var help = document.getElementById('record-file-help');
  var out = document.getElementById('record');
  var section = document.getElementById('record-section');
  var MAX = 5 * 1024 * 1024;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function concept(c) {
    if (!c) { return ''; }
    if (c.text) { return c.text; }
    var codings = c.coding || [];
    return codings.map(function (x) {
      return (x.display || x.code || '') + (x.code && x.display ? ' (' + systemName(x.system) + ' ' + x.code + ')' : '');
    }).join('; ');
  }
  function systemName(s) {
    var names = { 'http://snomed.info/sct': 'SNOMED CT', 'http://loinc.org': 'LOINC',
      'http://hl7.org/fhir/sid/icd-10': 'ICD-10', 'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm' };
    return names[s] || s || '';
  }
  function humanName(n) {
    if (!n || !n.length) { return ''; }
    var x = n[0];
    return x.text || [(x.prefix || []).join(' '), (x.given || []).join(' '), x.family || ''].join(' ').trim();
  }
  function quantity(q) {
    return q ? (q.value !== undefined ? q.value : '') + ' ' + (q.unit || q.code || '') : '';
  }
  function value(o) {
    if (o.valueQuantity) { return quantity(o.valueQuantity); }
    if (o.valueCodeableConcept) { return concept(o.valueCodeableConcept); }
    if (o.valueString !== undefined) { return o.valueString; }
    if (o.valueBoolean !== undefined) { return o.valueBoolean ? 'yes' : 'no'; }
    if (o.valueInteger !== undefined) { return String(o.valueInteger); }
    if (o.component) {
      return o.component.map(function (c) { return concept(c.code) + ': ' + value(c); }).join('; ');
    }
    return '';
  }
  var ENCOUNTER_CLASS = { AMB: 'ambulatory', IMP: 'inpatient', EMER: 'emergency', HH: 'home health', VR: 'virtual',
    OBSENC: 'observation', SS: 'short stay' };
  function period(p) { return p ? (p.start || '') + (p.end ? ' to ' + p.end : '') : ''; }
  function notes(r) { return (r.note || []).map(function (n) { return n.text; }).join(' '); }
  function narrative(r) {
    if (!r.text || !r.text.div) { return ''; }
    return new DOMParser().parseFromString(r.text.div, 'text/html').body.textContent.trim();
  }

  // label, value pairs per resource type; anything else shows its type, id and narrative
  var VIEWS = {
    Patient: { title: 'Patient', rows: function (r) {
      return [['Name', humanName(r.name)], ['Identifier', (r.identifier || []).map(function (i) { return i.value; }).join(', ')],
        ['Sex', r.gender], ['Born', r.birthDate]]; } },
    Encounter: { title: 'Encounter', rows: function (r) {
      return [['Kind', r['class'] ? (r['class'].display || ENCOUNTER_CLASS[r['class'].code] || r['class'].code) : ''], ['Type', (r.type || []).map(concept).join('; ')],
        ['Status', r.status], ['When', period(r.period)], ['Reason', (r.reasonCode || []).map(concept).join('; ')]]; } },
    Condition: { title: 'Diagnosis', rows: function (r) {
      return [['Condition', concept(r.code)], ['Clinical status', concept(r.clinicalStatus)],
        ['Verification', concept(r.verificationStatus)], ['Onset', r.onsetDateTime || ''], ['Recorded', r.recordedDate || ''],
        ['Recorded by', r.recorder ? (r.recorder.display || r.recorder.reference || '') : ''],
        ['Note', notes(r)]]; } },
    Observation: { title: 'Observation', rows: function (r) {
      return [['What', concept(r.code)], ['Result', value(r)], ['Interpretation', (r.interpretation || []).map(concept).join('; ')],
        ['When', r.effectiveDateTime || period(r.effectivePeriod)], ['Status', r.status], ['Note', notes(r)]]; } },
    MedicationRequest: { title: 'Prescription', rows: function (r) {
      return [['Medication', concept(r.medicationCodeableConcept)], ['Dosage', (r.dosageInstruction || []).map(function (d) {
        return d.text; }).join('; ')], ['Status', r.status], ['Written', r.authoredOn || ''], ['Note', notes(r)]]; } },
    MedicationStatement: { title: 'Medication', rows: function (r) {
      return [['Medication', concept(r.medicationCodeableConcept)], ['Dosage', (r.dosage || []).map(function (d) {
        return d.text; }).join('; ')], ['Status', r.status]]; } },
    AllergyIntolerance: { title: 'Allergy', rows: function (r) {
      return [['Substance', concept(r.code)], ['Criticality', r.criticality], ['Reaction', (r.reaction || []).map(function (x) {
        return (x.manifestation || []).map(concept).join(', '); }).join('; ')]]; } },
    Procedure: { title: 'Procedure', rows: function (r) {
      return [['Procedure', concept(r.code)], ['Status', r.status], ['When', r.performedDateTime || period(r.performedPeriod)]]; } },
    DiagnosticReport: { title: 'Report', rows: function (r) {
      return [['Report', concept(r.code)], ['Conclusion', r.conclusion], ['Status', r.status], ['Issued', r.issued]]; } }
  };

  function render(resource) {
    var view = VIEWS[resource.resourceType];
    var part = el('article', null, 'resource');
    part.setAttribute('data-type', resource.resourceType || 'unknown');
    part.appendChild(el('h3', view ? view.title : (resource.resourceType || 'Unknown resource')));
    var dl = el('dl');
    var rows = view ? view.rows(resource) : [['Id', resource.id], ['Summary', narrative(resource)]];
    if (view && narrative(resource)) { rows.push(['Summary', narrative(resource)]); }
    rows.forEach(function (kv) {
      if (kv[1] === undefined || kv[1] === null || String(kv[1]).trim() === '') { return; }
      dl.appendChild(el('dt', kv[0]));
      dl.appendChild(el('dd', String(kv[1])));
    });
    part.appendChild(dl);
    return part;
  }

  function show(text) {
    var json;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error('it is not JSON');
    }
    if (!json || typeof json.resourceType !== 'string') { throw new Error('it is not a FHIR resource'); }
    var resources = json.resourceType === 'Bundle'
      ? (json.entry || []).map(function (e) { return e.resource; }).filter(Boolean) : [json];
    out.textContent = '';
    resources.forEach(function (r) { out.appendChild(render(r)); });
    section.hidden = false;
    return resources.length;
  }

  // A record the server released to this page (EMR search, a claim) travels in an attribute, as text.
  if (data) {
    try {
      section.setAttribute('data-shown', String(show(data.getAttribute('data-record') || '')));
    } catch (e) {
      out.textContent = 'This record cannot be shown: ' + e.message + '.';
      section.hidden = false;
    }
    return;
  }

  input.addEventListener('change', function () {
    var f = input.files && input.files[0];
    help.className = 'field-message';
    if (!f) { return; }
    if (f.size > MAX) {
      help.textContent = 'The file is larger than a record can be (5 MB).';
      help.className = 'field-message error';
      return;
    }
    f.text().then(function (t) {
      var n = show(t);
      help.textContent = 'Showing ' + n + (n === 1 ? ' resource' : ' resources') + ' from ' + f.name + '.';
      section.setAttribute('data-shown', String(n));
    }).catch(function (e) {
      section.hidden = true;
      out.textContent = '';
      help.textContent = 'This file cannot be shown: ' + e.message + '.';
      help.className = 'field-message error';
    });
  });
})();
