'use strict';
// oshigan's page: plain JavaScript, no libraries, talks only to the gateway's /api.
const $ = (id) => document.getElementById(id);
const key = () => localStorage.getItem('oshigan-key') || '';
$('api-key').value = key();
$('api-key').addEventListener('change', (e) => localStorage.setItem('oshigan-key', e.target.value.trim()));

function show(view) {
  document.querySelectorAll('.view').forEach((v) => v.classList.toggle('active', v.id === 'view-' + view));
  document.querySelectorAll('nav a[data-view]').forEach((a) => a.classList.toggle('active', a.dataset.view === view));
  if (view === 'gallery') regenerate();
  if (view === 'training') refreshTraining();
}
window.addEventListener('hashchange', () => show(location.hash.slice(1) || 'upload'));

async function json(url, options = {}) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
  return body;
}

// ---- upload ----
function upload(files) {
  for (const file of files) {
    const row = document.createElement('li');
    row.innerHTML = '<span class="name"></span><progress max="100" value="0"></progress><span class="result">uploading…</span>';
    row.querySelector('.name').textContent = file.name;
    $('uploads').prepend(row);
    const form = new FormData();
    form.append('files', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads');
    xhr.setRequestHeader('X-API-Key', key());
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) row.querySelector('progress').value = 100 * e.loaded / e.total; };
    xhr.onload = () => {
      const result = row.querySelector('.result');
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status !== 200) { result.textContent = body.error || ('HTTP ' + xhr.status); result.className = 'result bad'; return; }
      const stored = body.files[0];
      result.textContent = 'stored, looking for faces…';
      follow(stored.key, stored.eTag, result, 0);
    };
    xhr.send(form);
  }
}
async function follow(k, eTag, result, tries) {
  const state = await json('/api/dataset/upload?key=' + encodeURIComponent(k) + '&eTag=' + encodeURIComponent(eTag)).catch(() => ({ status: 'PENDING' }));
  if (state.status === 'PENDING' && tries < 60) { setTimeout(() => follow(k, eTag, result, tries + 1), 1000); return; }
  if (state.status === 'CROPPED') { result.textContent = state.faces + (state.faces === 1 ? ' face found' : ' faces found'); result.className = 'result ok'; }
  else if (state.status === 'NO_FACE') { result.textContent = 'no face found'; result.className = 'result'; }
  else if (state.status === 'REJECTED') { result.textContent = 'refused: ' + state.rejectedReason; result.className = 'result bad'; }
  else { result.textContent = 'still waiting for the crop-service'; }
  refreshDataset();
}
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); upload(e.dataTransfer.files); });
$('files').addEventListener('change', (e) => upload(e.target.files));
async function refreshDataset() {
  const s = await json('/api/dataset').catch(() => null);
  if (s) $('dataset').textContent = s.rawImages + ' uploads, ' + s.faces + ' faces' +
    Object.entries(s.rejectedByReason).map(([r, n]) => ', ' + n + ' refused (' + r + ')').join('');
}

// ---- gallery ----
async function regenerate() {
  const base = Math.floor(Math.random() * 1e9);
  const truncation = $('truncation').value;
  $('gallery').innerHTML = '';
  $('gallery-message').textContent = '';
  const models = await json('/api/models').catch((e) => { $('gallery-message').textContent = e.message; return null; });
  if (models) $('version').textContent = models.current ? 'model ' + models.current : '(no model yet: training will publish one)';
  for (let i = 0; i < 12; i++) {
    const seed = base + i;
    const url = '/api/faces/' + seed + (truncation === 'none' ? '' : '?truncation=' + truncation);
    const cell = document.createElement('div');
    cell.className = 'face';
    cell.innerHTML = '<img alt="generated face"><a class="permalink">seed ' + seed + '</a><a download="face-' + seed + '.png">⤓</a>';
    cell.querySelector('img').src = url;
    cell.querySelector('.permalink').href = url;
    cell.querySelector('a[download]').href = url;
    cell.querySelector('img').onerror = () => { $('gallery-message').textContent = 'The sampler has no model to serve yet.'; };
    $('gallery').appendChild(cell);
  }
}
$('regenerate').addEventListener('click', regenerate);
$('interpolate').addEventListener('click', () => { $('strip').src = '/api/faces/interpolate?steps=8&from=' + $('from').value + '&to=' + $('to').value; });

// ---- training ----
let history = [];
function drawLosses() {
  const c = $('losses'), g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  if (history.length < 2) { g.fillStyle = '#7a6a78'; g.fillText('losses appear here while training runs', 20, 30); return; }
  const max = Math.max(...history.flatMap((p) => [p.lossD, p.lossG])) * 1.1 || 1;
  const x = (i) => 40 + i * (c.width - 60) / (history.length - 1), y = (v) => c.height - 20 - v / max * (c.height - 40);
  for (const [field, colour] of [['lossD', '#e4407a'], ['lossG', '#3b6fd8']]) {
    g.strokeStyle = colour; g.lineWidth = 2; g.beginPath();
    history.forEach((p, i) => (i ? g.lineTo(x(i), y(p[field])) : g.moveTo(x(i), y(p[field]))));
    g.stroke();
  }
  g.fillStyle = '#e4407a'; g.fillText('D', 10, 20); g.fillStyle = '#3b6fd8'; g.fillText('G', 24, 20);
}
function showStatus(s) {
  $('t-state').textContent = s.state || '—';
  $('t-epoch').textContent = s.epoch ?? '—';
  $('t-step').textContent = s.step ?? '—';
  $('t-speed').textContent = s.imagesPerSecond ? s.imagesPerSecond.toFixed(0) : '—';
  $('t-eta').textContent = s.etaSecondsToEpochEnd != null ? s.etaSecondsToEpochEnd + ' s' : '—';
  $('t-data').textContent = s.datasetSize ?? '—';
  if (s.runId) refreshGrids(s.runId);
}
async function refreshTraining() {
  const s = await json('/api/training/status').catch((e) => ({ state: 'UNAVAILABLE', message: e.message }));
  showStatus(s);
  history = await json('/api/training/losses').catch(() => history);
  drawLosses();
  const models = await json('/api/models').catch(() => null);
  $('versions').innerHTML = '';
  for (const v of (models && models.available) || []) {
    const li = document.createElement('li');
    li.textContent = v + (models.current === v ? ' (serving)' : '');
    const b = document.createElement('button');
    b.textContent = 'serve this one';
    b.onclick = () => { location.hash = 'gallery'; setTimeout(() => document.querySelectorAll('.face img').forEach((img) => { img.src += (img.src.includes('?') ? '&' : '?') + 'version=' + v; }), 300); };
    li.appendChild(b);
    $('versions').appendChild(li);
  }
}
let gridRun = null;
async function refreshGrids(run) {
  const list = await json('/api/grids?run=' + encodeURIComponent(run)).catch(() => null);
  if (!list || !list.epochs.length) return;
  const slider = $('epoch'), last = list.epochs[list.epochs.length - 1];
  const following = gridRun !== run || Number(slider.value) === Number(slider.max);
  gridRun = run; slider.min = list.epochs[0]; slider.max = last;
  if (following) { slider.value = last; showGrid(); }
}
function showGrid() { $('epoch-label').textContent = 'epoch ' + $('epoch').value; $('grid').src = '/api/grids/' + gridRun + '/' + $('epoch').value + '.png'; }
$('epoch').addEventListener('input', showGrid);
async function control(action) {
  await json('/api/training/' + action, { method: 'POST', headers: { 'X-API-Key': key() } }).catch((e) => alert(e.message));
  refreshTraining();
}
$('pause').addEventListener('click', () => control('pause'));
$('resume').addEventListener('click', () => control('resume'));

// live updates: the trainer's status arrives as server-sent events
const events = new EventSource('/api/events');
events.onmessage = (e) => {
  const s = JSON.parse(e.data);
  showStatus(s);
  if (s.step && (!history.length || history[history.length - 1].step !== s.step)) {
    history.push({ step: s.step, lossD: s.lossD, lossG: s.lossG });
    if (history.length > 2000) history.shift();
    drawLosses();
  }
};

show(location.hash.slice(1) || 'upload');
refreshDataset();
